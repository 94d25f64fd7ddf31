/**
 * Names are declared once (packages/platform/platform.ts): a name changed there changes the Terraform
 * input, packages/config and the actions together, and nothing in terraform/ builds a name by hand.
 */
import { readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { readInputs as integrationTestInputs } from "@shopstream/action-integration-test/inputs";
import { readInputs as sloGateInputs } from "@shopstream/action-slo-gate/inputs";
import { readConfig, resourceVariables } from "@shopstream/config";
import {
  DECLARATION,
  type PlatformDeclaration,
  platformNames,
  terraformPlatform,
  terraformPlatformJson,
} from "@shopstream/platform";

const REPO = join(__dirname, "..", "..");
const read = (p: string) => readFileSync(join(REPO, p), "utf8");
const renamed: PlatformDeclaration = { ...DECLARATION, app: "acme-shop" };

type TfEnvironment = {
  pubsub: { topic: string; subscriptions: Record<string, string> };
  dataflow: { jobs: Record<string, string>; service_accounts: Record<string, string> };
  delivery: Record<string, unknown>;
};
const tf = (d: PlatformDeclaration) =>
  terraformPlatform(d) as { app: string; environments: Record<string, TfEnvironment> };

describe("one declaration, every consumer", () => {
  test("the generated Terraform input is up to date (run: npm run generate:platform)", () => {
    expect(read("packages/platform/generated/terraform-platform.json")).toBe(
      terraformPlatformJson(DECLARATION),
    );
  });

  test("renaming the app changes the Terraform input and packages/config consistently", () => {
    const before = tf(DECLARATION).environments.prod!;
    const after = tf(renamed).environments.prod!;
    expect(before.pubsub.topic).toBe("shopstream-prod-events");
    expect(after.pubsub.topic).toBe("acme-shop-prod-events");
    expect(after.dataflow.service_accounts.ingestion).toBe("acme-shop-prod-df-ingestion");
    // nothing but the app part differs
    expect(
      JSON.parse(
        JSON.stringify(after).replaceAll("acme-shop", "shopstream").replaceAll("acme_shop", "shopstream"),
      ),
    ).toEqual(before);

    const local = resourceVariables(platformNames(renamed, "local"));
    const config = readConfig({ ...local.PUBSUB, ...local.MONGODB, ...local.BIGQUERY }, {});
    expect(config.EVENTS_TOPIC).toBe("acme-shop-local-events");
    expect(config.INGESTION_SUBSCRIPTION).toBe("acme-shop-local-events-ingestion");
    expect(config.MONGODB_DATABASE).toBe("acme_shop");
    expect(config.BIGQUERY_DATASET).toBe("acme_shop_local_analytics");

    const action = (values: Record<string, string>) => (name: string) => values[name] ?? "";
    const inputs = integrationTestInputs(
      action({ "project-id": "acme-prod-123", environment: "prod", "mongodb-uri": "mongodb://x/" }),
      "/ws",
      renamed,
    );
    expect(inputs).toMatchObject({
      topic: after.pubsub.topic,
      database: "acme_shop",
      dataset: "acme_shop_prod_analytics",
    });
    const gate = sloGateInputs(
      action({ "project-id": "acme-prod-123", environment: "prod" }),
      "/ws",
      0,
      renamed,
    );
    expect(gate.namePrefix).toBe("acme-shop-prod");
  });

  test("the delivery policy is the same in Terraform and locally", () => {
    const policy = { ...DECLARATION.delivery, minimumBackoffSeconds: 5, maxDeliveryAttempts: 7 };
    const changed = { ...DECLARATION, delivery: policy };
    expect(tf(changed).environments.dev!.delivery).toEqual({
      ack_deadline_seconds: 60,
      minimum_backoff: "5s",
      maximum_backoff: "60s",
      max_delivery_attempts: 7,
    });
    const local = platformNames(changed, "local");
    expect(local.delivery).toEqual(policy);
    expect(readConfig(resourceVariables(local).PUBSUB, {}).MAX_DELIVERY_ATTEMPTS).toBe(7);
  });

  test("the SLO filters name resources the declaration derives", () => {
    const slos = read("policies/slo/generated/terraform-slos.json");
    const labels = [...slos.matchAll(/resource\.label\.(\w+) = \\"(\{name_prefix\}[^\\]*)\\"/g)];
    // The Pub/Sub topic and subscription of processing success; latency and availability read custom
    // metrics whose `deployment` label is the prefix itself.
    expect(labels.length).toBeGreaterThanOrEqual(2);
    const deployments = [...slos.matchAll(/metric\.label\.deployment = \\"([^\\]*)\\"/g)].map((m) => m[1]);
    expect(deployments.length).toBeGreaterThanOrEqual(2);
    for (const value of deployments) expect(value).toBe("{name_prefix}");
    for (const env of Object.keys(tf(DECLARATION).environments)) {
      const n = platformNames(DECLARATION, env);
      const derived = [
        n.pubsub.topic,
        ...Object.values(n.pubsub.subscriptions),
        ...Object.values(n.dataflow.jobs),
      ];
      for (const [, label, pattern] of labels) {
        const name = pattern!.replace("{name_prefix}", n.prefix);
        expect([label, name, derived.includes(name)]).toEqual([label, name, true]);
      }
    }
  });
});

describe("Terraform reads the declaration and builds no name by hand", () => {
  const terraform = (p: string) => read(`terraform/${p}`);

  test("the root reads the generated file and selects its environment", () => {
    const main = terraform("main.tf");
    expect(main).toMatch(/platform\s+= jsondecode\(file\("\$\{path\.module\}\/\$\{var\.platform_file\}"\)\)/);
    expect(main).toMatch(/names\s+= local\.platform\.environments\[var\.environment\]/);
    expect(terraform("variables.tf")).toContain(
      'default     = "../packages/platform/generated/terraform-platform.json"',
    );
    for (const gone of [
      "app_name",
      "region",
      "bigquery_location",
      "atlas_region_name",
      "mongodb_database",
      "mongodb_collection",
    ])
      expect([gone, terraform("variables.tf").includes(`variable "${gone}"`)]).toEqual([gone, false]);
  });

  test("no module builds a resource name from a prefix", () => {
    for (const module of readdirSync(join(REPO, "terraform", "modules"))) {
      for (const file of readdirSync(join(REPO, "terraform", "modules", module)).filter((f) =>
        f.endsWith(".tf"),
      )) {
        const text = terraform(`modules/${module}/${file}`);
        // names are inputs: `name`, `account_id`, `secret_id`, `dataset_id` and `table_id` never interpolate a prefix
        const built = [
          ...text.matchAll(
            /^\s*(name|account_id|secret_id|service_id|dataset_id|table_id)\s*=\s*"[^"]*\$\{var\.[a-z_]*prefix\}/gm,
          ),
        ];
        expect([`${module}/${file}`, built.map((m) => m[0].trim())]).toEqual([`${module}/${file}`, []]);
      }
    }
  });

  test("bootstrap takes the state bucket, pool, deploy accounts and UDF buckets from the declaration", () => {
    const main = terraform("bootstrap/main.tf");
    expect(main).toMatch(/platform\s+= jsondecode\(file\("\$\{path\.module\}\/\$\{var\.platform_file\}"\)\)/);
    expect(main).toContain("workload_identity_pool_id = local.platform.bootstrap.workload_identity_pool");
    expect(main).toContain(
      "account_id   = local.platform.environments[each.key].bootstrap.deploy_service_account",
    );
    expect(main).not.toMatch(/\$\{var\.app_name\}/);
    expect(terraform("bootstrap/variables.tf")).not.toContain('variable "app_name"');
  });

  test("no tfvars sets a name, a region or a location", () => {
    for (const file of readdirSync(join(REPO, "terraform", "environments")).filter((f) =>
      f.endsWith(".tfvars"),
    )) {
      const text = terraform(`environments/${file}`);
      expect([
        file,
        /^\s*(region|bigquery_location|atlas_region_name|app_name|mongodb_database|mongodb_collection)\s*=/m.test(
          text,
        ),
      ]).toEqual([file, false]);
    }
  });
});
