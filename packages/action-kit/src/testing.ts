/**
 * Helpers for tests (not bundled into any dist): the action.yml check of an input table, a synthetic plan
 * generator, and the real OpenTofu binary for tests that run it.
 */
import { readFileSync } from "node:fs";
import { parse as parseYaml } from "yaml";
import type { InputTable } from "./inputs";

export { syntheticPlan } from "./terraform/synthetic";
export { tofuBinary } from "./terraform/tofu-binary";

/** An action.yml's inputs (the fields compared). */
interface ActionYmlInput {
  required?: boolean;
  default?: unknown;
}

/**
 * Where `table` and the action.yml at `path` disagree: inputs missing on either side, `required` (action.yml
 * marks required only an input without a default), `default`. Empty when they agree (each action's test
 * expects that).
 */
export function actionYmlProblems(table: InputTable, path: string): string[] {
  const yml = parseYaml(readFileSync(path, "utf8")) as { inputs?: Record<string, ActionYmlInput> };
  const declared = yml.inputs ?? {};
  const problems: string[] = [];
  for (const name of Object.keys(declared))
    if (!(name in table)) problems.push(`${name}: in action.yml but not in the input table`);
  for (const [name, spec] of Object.entries(table)) {
    const yaml = declared[name];
    if (spec.removed) {
      if (yaml) problems.push(`${name}: removed in the input table but still in action.yml`);
      continue;
    }
    if (!yaml) {
      problems.push(`${name}: in the input table but not in action.yml`);
      continue;
    }
    // action.yml marks required only what has no default (the runner fills a default in, e.g. github.token).
    const required = Boolean(spec.required) && spec.default === undefined;
    if ((yaml.required === true) !== required)
      problems.push(`${name}: required is ${yaml.required === true} in action.yml, ${required} in the table`);
    const ymlDefault = yaml.default === undefined || yaml.default === "" ? undefined : String(yaml.default);
    const tableDefault = spec.default === "" ? undefined : spec.default;
    if (ymlDefault !== tableDefault)
      problems.push(
        `${name}: default is ${JSON.stringify(ymlDefault)} in action.yml, ${JSON.stringify(tableDefault)} in the table`,
      );
  }
  return problems;
}
