// Secrets: nothing reads a secret at plan time (a data source would need secretmanager.versions.access from
// every identity that plans, including pull requests' read-only one), and the values that cross modules are
// sensitive.
import { readdirSync, readFileSync } from "node:fs";
import { join, relative } from "node:path";
import { blocks, loadHcl, parseHclFile, readModule } from "../../tools/terraform/hcl";
import { terraformRoot } from "../../tools/terraform/readme";
import { moduleGrants } from "./iam-grants";

beforeAll(loadHcl);

/** Data sources whose read returns secret material. */
const secretReadingDataSources = [
  /^google_secret_manager_secret_version(_access)?$/,
  /^google_secret_manager_regional_secret_version(_access)?$/,
  /^google_kms_secret(_ciphertext)?$/,
  /^google_service_account_(key|access_token|id_token)$/,
  /^mongodbatlas_.*(api_key|credentials|x509).*/,
  /^google_sql_user$/,
];

function tfFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) => {
    if (e.name === ".terraform" || e.name === "test") return [];
    const p = join(dir, e.name);
    return e.isDirectory() ? tfFiles(p) : e.name.endsWith(".tf") ? [p] : [];
  });
}

describe("secrets", () => {
  test("no data source reads a secret (plans must not need secret access)", () => {
    const found = tfFiles(terraformRoot).flatMap((path) =>
      blocks(parseHclFile(path), "data")
        .filter((b) => secretReadingDataSources.some((re) => re.test(b.labels[0] ?? "")))
        .map((b) => `${relative(terraformRoot, path)}:${b.line} data "${b.labels[0]}" "${b.labels[1]}"`),
    );
    expect(found).toEqual([]);
  });

  test("the MongoDB URI crosses modules as a sensitive value", () => {
    const mongodb = readModule(join(terraformRoot, "modules", "mongodb"));
    expect(mongodb.outputs.find((o) => o.name === "connection_uri")).toMatchObject({ sensitive: true });
    const dataflow = readModule(join(terraformRoot, "modules", "dataflow"));
    expect(dataflow.variables.find((v) => v.name === "mongodb_uri")).toMatchObject({
      sensitive: true,
      default: null,
    });
  });
});

test("plan and SLO-audit identities hold no secret access (roles recorded in permissions.json)", () => {
  const roles = (
    JSON.parse(readFileSync(join(__dirname, "permissions.json"), "utf8")) as {
      roles: Record<string, string[]>;
    }
  ).roles;
  const readOnly = moduleGrants("bootstrap").filter((g) =>
    /google_service_account\.(plan|slo_audit)\b/.test(g.member),
  );
  expect(readOnly.length).toBeGreaterThan(0);
  const withSecrets = readOnly.flatMap((g) =>
    g.roles
      .filter(
        (r) => (roles[r] ?? []).some((p) => p.startsWith("secretmanager.versions.access")) || !(r in roles),
      )
      .map((r) => `${g.address}: ${r}`),
  );
  expect(withSecrets).toEqual([]);
});
