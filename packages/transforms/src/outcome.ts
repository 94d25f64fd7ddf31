/**
 * What the template sees of one UDF call: a string, null (dropped), a non-string (refused), or a thrown
 * error's message (dead-lettered). Shared by the Node reference and every engine that runs a bundle.
 */
export type UdfOutcome =
  | { kind: "string"; value: string }
  | { kind: "null" }
  | { kind: "nonstring"; type: string }
  | { kind: "error"; message: string };
