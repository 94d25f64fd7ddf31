/** Cloud Monitoring filters from metric selectors, rendered the same way for Terraform and the gate. */
import type { MetricSelector } from "./declaration";

/** The placeholder for the environment's resource-name prefix (e.g. `shopstream-prod`). */
export const NAME_PREFIX_PLACEHOLDER = "{name_prefix}";

/**
 * `resource.type = "..." AND metric.type = "..." AND resource.label.k = "v" ...`, with `{name_prefix}`
 * replaced by `namePrefix` when given (Terraform substitutes it itself, so it renders with none).
 */
export function renderFilter(selector: MetricSelector, namePrefix?: string): string {
  const value = (v: string) =>
    namePrefix === undefined ? v : v.split(NAME_PREFIX_PLACEHOLDER).join(namePrefix);
  const clauses = [`resource.type = "${selector.resourceType}"`, `metric.type = "${selector.metricType}"`];
  for (const [k, v] of Object.entries(selector.resourceLabels).sort())
    clauses.push(`resource.label.${k} = "${value(v)}"`);
  for (const [k, v] of Object.entries(selector.metricLabels).sort())
    clauses.push(`metric.label.${k} = "${value(v)}"`);
  return clauses.join(" AND ");
}
