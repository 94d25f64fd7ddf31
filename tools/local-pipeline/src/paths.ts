import { join } from "node:path";

/** Entry points of the apps, run as child processes by the supervisor. */
const REPO = join(__dirname, "..", "..", "..");
export const ENTRY = {
  producer: join(REPO, "apps", "producer", "src", "main.ts"),
  ingestion: join(REPO, "apps", "ingestion", "src", "main.ts"),
  analytics: join(REPO, "apps", "analytics", "src", "main.ts"),
};
export const RUN_DIR = (profile: string) => join(REPO, ".local", "run", profile);
