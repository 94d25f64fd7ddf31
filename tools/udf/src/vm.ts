/**
 * Runs a UDF bundle in Node inside a bare `vm` context: only the ECMAScript built-ins, no require, process,
 * Buffer or console, like the template's script engine. Gives the template's view of one call: a string,
 * null (dropped), or a thrown error's message (dead-lettered).
 */
import { createContext, Script } from "node:vm";
import type { UdfOutcome } from "@shopstream/transforms";

export type { UdfOutcome };

export interface LoadedUdf {
  /** Calls a global function of the bundle with (input) or (input, nowMs). */
  call(functionName: string, input: string, nowMs?: number): UdfOutcome;
}

export function loadUdfInVm(code: string, fileName = "udf.js"): LoadedUdf {
  const context = createContext(Object.create(null), { codeGeneration: { strings: false, wasm: false } });
  new Script(code, { filename: fileName }).runInContext(context, { timeout: 10_000 });
  const globals = context as Record<string, unknown>;
  return {
    call(functionName, input, nowMs) {
      const fn = globals[functionName];
      if (typeof fn !== "function") throw new Error(`${fileName} has no global function ${functionName}`);
      let result: unknown;
      try {
        result = nowMs === undefined ? fn(input) : fn(input, nowMs);
      } catch (error) {
        const message =
          error !== null && typeof error === "object" && "message" in error
            ? String((error as { message: unknown }).message)
            : String(error);
        return { kind: "error", message };
      }
      if (result === null || result === undefined) return { kind: "null" };
      if (typeof result === "string") return { kind: "string", value: result };
      return { kind: "nonstring", type: typeof result };
    },
  };
}
