// State and plan encryption: the OpenTofu `encryption {}` block uses the environment's Cloud KMS key for both
// targets and is enforced; every environment names its own key; only that environment's plan and deploy
// identities may use a key. (tools/terraform/test-encryption.sh proves the block itself with real tofu.)
import { join } from "node:path";
import { attr, blocks, type HclBlock, loadHcl, parseHclFile, stringLiteral } from "../../tools/terraform/hcl";
import { terraformRoot } from "../../tools/terraform/readme";
import { moduleGrants } from "./iam-grants";

let encryption: HclBlock | undefined;
beforeAll(async () => {
  await loadHcl();
  encryption = blocks(
    blocks(parseHclFile(join(terraformRoot, "encryption.tofu")), "terraform")[0]?.body ?? [],
    "encryption",
  )[0];
});

test("state and plans are encrypted, enforced, with the Cloud KMS key of the environment", () => {
  const body = encryption?.body ?? [];
  const kms = blocks(body, "key_provider").find((b) => b.labels[0] === "gcp_kms");
  expect(attr(kms?.body ?? [], "kms_encryption_key")?.expr).toBe("var.state_encryption_key");
  expect(Number(attr(kms?.body ?? [], "key_length")?.expr)).toBe(32);
  const method = blocks(body, "method").find((b) => b.labels[0] === "aes_gcm");
  expect(attr(method?.body ?? [], "keys")?.expr).toBe(`key_provider.gcp_kms.${kms?.labels[1]}`);
  for (const target of ["state", "plan"]) {
    const t = blocks(body, target)[0];
    expect(`${target}: ${attr(t?.body ?? [], "method")?.expr} ${attr(t?.body ?? [], "enforced")?.expr}`).toBe(
      `${target}: method.aes_gcm.${method?.labels[1]} true`,
    );
  }
});

test.each(["dev", "staging", "prod"])("%s.tfvars names its own state key", (env) => {
  const items = parseHclFile(join(terraformRoot, "environments", `${env}.tfvars`));
  expect(stringLiteral(attr(items, "state_encryption_key")?.expr ?? "")).toMatch(
    new RegExp(`^projects/[^/]+/locations/[^/]+/keyRings/[^/]+/cryptoKeys/state-${env}$`),
  );
});

test("only the plan and deploy identities of the key's own environment can use a state key", () => {
  const keyGrants = moduleGrants("bootstrap").filter((g) => g.type === "google_kms_crypto_key_iam_member");
  expect(keyGrants.length).toBeGreaterThanOrEqual(2);
  for (const g of keyGrants) {
    expect(g.member).toMatch(/^google_service_account\.(plan|deploy)\[each\.key\]\.member/);
    expect(g.scope).toMatch(/google_kms_crypto_key\.tofu_state\[each\.key\]/);
  }
});
