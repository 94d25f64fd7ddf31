import { readFileSync } from "node:fs";
import { join } from "node:path";
import { encryptionEnv, tfvarsString } from "../src";

const environments = join(__dirname, "..", "..", "..", "terraform", "environments");

describe("state encryption key from the environment's tfvars", () => {
  const saved = process.env.TF_VAR_state_encryption_key;
  beforeEach(() => {
    delete process.env.TF_VAR_state_encryption_key;
  });
  afterAll(() => {
    if (saved !== undefined) process.env.TF_VAR_state_encryption_key = saved;
  });

  test.each(["dev", "staging", "prod"])(
    "%s.tfvars yields its own KMS key for init, show and apply",
    (env) => {
      const text = readFileSync(join(environments, `${env}.tfvars`), "utf8");
      expect(encryptionEnv(text)).toEqual({
        TF_VAR_state_encryption_key: expect.stringMatching(
          new RegExp(`^projects/[^/]+/locations/[^/]+/keyRings/[^/]+/cryptoKeys/state-${env}$`),
        ),
      });
    },
  );

  test("reads only a whole top-level assignment of a plain string", () => {
    expect(tfvarsString('a = 1\nstate_encryption_key = "k1" # note\n', "state_encryption_key")).toBe("k1");
    expect(tfvarsString('x_state_encryption_key = "no"\n', "state_encryption_key")).toBeUndefined();
    // An interpolation is not a plain string: "$" is refused.
    expect(tfvarsString(`state_encryption_key = "$${"{"}var.x}"\n`, "state_encryption_key")).toBeUndefined();
    expect(tfvarsString('# state_encryption_key = "old"\n', "state_encryption_key")).toBeUndefined();
  });

  test("an explicit TF_VAR_state_encryption_key wins and nothing is added without a key", () => {
    expect(encryptionEnv(undefined)).toEqual({});
    expect(encryptionEnv('region = "x"\n')).toEqual({});
    process.env.TF_VAR_state_encryption_key = "from-the-workflow";
    expect(encryptionEnv('state_encryption_key = "from-file"\n')).toEqual({});
  });
});
