/** Shared test helpers: fixture loading and tool paths. */
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { parsePlanJson } from "@shopstream/action-kit";

/** The pinned OPA that tools/opa/install.sh builds (run it before the tests). */
export const OPA = join(__dirname, "../../../.local/bin/opa");
/** The repository's policies. */
export const POLICIES = join(__dirname, "../../../policies/terraform");
/** Path of a plan JSON fixture. */
export const fixturePath = (name: string) => join(__dirname, "fixtures", `${name}.json`);
/** A parsed plan JSON fixture. */
export const fixture = (name: string) => parsePlanJson(readFileSync(fixturePath(name), "utf8"));
