/** The transforms themselves, called in Node: the reference every bundle must match byte for byte. */
import { toWarehouseRow } from "./analytics";
import { toRawDocument } from "./ingestion";
import type { UdfOutcome } from "./outcome";

export const REFERENCE_TRANSFORMS: Record<string, (payload: string, nowMs: number) => string> = {
  ingestion: toRawDocument,
  analytics: toWarehouseRow,
};

export function referenceOutcome(app: string, payload: string, nowMs: number): UdfOutcome {
  const fn = REFERENCE_TRANSFORMS[app];
  if (!fn) throw new Error(`no reference transform for ${app}`);
  try {
    return { kind: "string", value: fn(payload, nowMs) };
  } catch (error) {
    return { kind: "error", message: (error as Error).message };
  }
}
