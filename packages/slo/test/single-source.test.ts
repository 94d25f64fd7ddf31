/**
 * SLOs are declared once (policies/slo): a target changed there changes the Terraform input, the gate
 * thresholds and the audit, and nothing in terraform/ declares an SLO by hand.
 */
import { existsSync, readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import {
  auditCatalog,
  DEFAULT_SLO_DIR,
  evaluateCatalog,
  loadSloCatalog,
  type MinuteCounts,
  REPO_ROOT,
  terraformSlos,
  terraformSlosJson,
} from "../src";
import { copyDeclarations, END, minutesOf } from "./helpers";

const MONTH = 30 * 1440;
// 0.08% of events fail every minute: within a 99.9% objective (80% of its budget), outside 99.95%.
const data = () =>
  new Map<string, MinuteCounts>([
    ["processing-success", minutesOf(MONTH, () => ({ good: 9992, total: 10000 }))],
    ["processing-latency", minutesOf(MONTH, () => ({ good: 1, total: 1 }))],
    ["mongodb-connections", minutesOf(MONTH, () => ({ good: 1, total: 1 }))],
  ]);

describe("one declaration, every consumer", () => {
  test("changing one goal in policies/slo changes Terraform, the gate and the audit", () => {
    // The live declaration, pinned to 99.9% and then moved to 99.95% by editing only the YAML.
    const withGoal = (goal: string) =>
      loadSloCatalog(
        copyDeclarations(
          (f, t) => (f === "processing-success.yaml" ? t.replace(/goal: [0-9.]+/, `goal: ${goal}`) : t),
          DEFAULT_SLO_DIR,
        ),
      );
    const before = withGoal("0.999");
    const after = withGoal("0.9995");
    const tf = (c: typeof before) => terraformSlos(c).find((s) => s.name === "processing-success")!;
    expect(tf(before).goal).toBe(0.999);
    expect(tf(after).goal).toBe(0.9995);
    // only the goal differs in the Terraform input
    expect({ ...tf(after), goal: 0.999 }).toEqual(tf(before));

    const gate = (c: typeof before) =>
      evaluateCatalog(c, data(), END).evaluations.find((e) => e.slo.name === "processing-success")!;
    expect(gate(before).budgetRemaining).toBeCloseTo(0.2);
    expect(gate(before).score).toBe("warn"); // 20% left < 25%
    expect(gate(after).budgetRemaining).toBeCloseTo(-0.6);
    expect(gate(after).score).toBe("fail");
    expect(gate(after).alerts.find((a) => a.alert.name === "slow-burn")?.long.burnRate).toBeCloseTo(1.6);

    const audit = (c: typeof before) =>
      auditCatalog(c, data(), END).findings.find((f) => f.evaluation.slo.name === "processing-success")!;
    expect(audit(before).verdict).toBe("ok");
    expect(audit(after).verdict).toBe("too-tight");
  });

  test("changing a burn-rate rule in the policy changes every SLO's alerts and gate rules", () => {
    const after = loadSloCatalog(
      copyDeclarations(
        (f, t) =>
          f === "error-budget-policy.yaml" ? t.replace(/(name: fast-burn.*burnRate: )[0-9.]+/, "$110") : t,
        DEFAULT_SLO_DIR,
      ),
    );
    for (const s of terraformSlos(after))
      expect(s.alerts[0]).toMatchObject({ name: "fast-burn", burn_rate: 10 });
    const e = evaluateCatalog(after, data(), END).evaluations[0]!;
    expect(e.alerts[0]?.alert.burnRate).toBe(10);
  });

  test("the generated Terraform input is up to date (run: npx tsx packages/slo/scripts/generate.ts)", () => {
    const file = join(DEFAULT_SLO_DIR, "generated", "terraform-slos.json");
    expect(readFileSync(file, "utf8")).toBe(terraformSlosJson(loadSloCatalog()));
  });
});

describe("Terraform reads the declaration and declares no SLO by hand", () => {
  const tf = (p: string) => readFileSync(join(REPO_ROOT, "terraform", p), "utf8");

  test("the root feeds the monitoring module from the generated file only", () => {
    expect(tf("main.tf")).toMatch(
      /jsondecode\(file\("\$\{path\.module\}\/\$\{var\.slo_declaration_file\}"\)\)/,
    );
    expect(tf("main.tf")).toMatch(/slos\s+= local\.slos/);
    expect(tf("variables.tf")).toContain('default     = "../policies/slo/generated/terraform-slos.json"');
    expect(existsSync(join(REPO_ROOT, "terraform", "../policies/slo/generated/terraform-slos.json"))).toBe(
      true,
    );
    expect(tf("variables.tf")).not.toMatch(/variable "slos"/);
  });

  test("no tfvars or .tf file outside the module example sets goals, SLIs or burn rates", () => {
    const files = [
      "main.tf",
      "variables.tf",
      ...readdirSync(join(REPO_ROOT, "terraform", "environments")).map((f) => `environments/${f}`),
    ];
    for (const f of files) {
      const text = tf(f);
      expect([f, /^\s*slos\s*=\s*\[\s*\{/m.test(text)]).toEqual([f, false]);
      expect([f, /\bgoal\s*=\s*0?\.\d/.test(text)]).toEqual([f, false]);
      expect([f, /burn_rate\s*=\s*\d/.test(text)]).toEqual([f, false]);
    }
  });

  test("the module keys one burn-rate policy per declared alert and links the runbook", () => {
    const main = tf("modules/monitoring/main.tf");
    // biome-ignore lint/suspicious/noTemplateCurlyInString: HCL interpolation, not a JS template
    expect(main).toContain('"${s.name}-${coalesce(a.name,');
    expect(main).toMatch(/Runbook: \$\{each\.value\.runbook_url\}#/);
    expect(main).toMatch(/filter\s+= "select_slo_burn_rate\(/);
    expect(main).toMatch(/combiner\s+= "AND"/);
  });
});

describe("runbooks", () => {
  const runbook = (p: string) => readFileSync(join(REPO_ROOT, p), "utf8");
  const sections = ["## What it means", "## Confirm", "## Mitigate", "## Post-incident review"];

  test("every SLO has a runbook with page and ticket sections", () => {
    for (const slo of loadSloCatalog().slos) {
      const text = runbook(slo.runbook);
      for (const s of sections) expect([slo.runbook, text.includes(s)]).toEqual([slo.runbook, true]);
      expect(text).toMatch(/^## Page: fast burn/m);
      expect(text).toMatch(/^## Ticket: slow burn/m);
    }
  });

  test("every runbook linked by the monitoring module exists with the four sections", () => {
    const main = readFileSync(join(REPO_ROOT, "terraform", "modules", "monitoring", "main.tf"), "utf8");
    const linked = [...main.matchAll(/docs\/runbooks\/[a-z0-9-]+\.md/g)].map((m) => m[0]);
    expect(linked.length).toBeGreaterThanOrEqual(2);
    for (const p of linked) {
      const text = runbook(p);
      for (const s of sections) expect([p, text.includes(s)]).toEqual([p, true]);
    }
    // every alert policy resource carries documentation
    const policies = main.match(/resource "google_monitoring_alert_policy"/g) ?? [];
    const docs = main.match(/documentation \{/g) ?? [];
    expect(docs.length).toBe(policies.length);
  });
});
