/**
 * The refresher's persisted watermark: the event-time minutes stored since the last completed refresh.
 * A minute is appended (synchronously, one line) before the rows that dirtied it are acknowledged, and the
 * file is replaced by the still-dirty minutes after every completed refresh. A worker killed with SIGKILL
 * therefore finds, on start, exactly the minutes whose aggregates may be stale, and recomputes them; the
 * page cache keeps an appended line even when the process dies right after writing it.
 *
 * One journal per (BigQuery endpoint, project, dataset, subscription): one worker consumes a subscription
 * locally. Production needs none: the scheduled queries recompute their whole look-back window.
 */
import { createHash } from "node:crypto";
import { appendFileSync, mkdirSync, readFileSync, renameSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";

export interface JournalIdentity {
  endpoint: string;
  projectId: string;
  dataset: string;
  subscription: string;
}

/** The default state directory: the OS temp dir, so nothing lands in the work tree. */
export function defaultStateDir(): string {
  return join(tmpdir(), "shopstream-analytics");
}

export function journalPath(stateDir: string, identity: JournalIdentity): string {
  const key = createHash("sha256")
    .update([identity.endpoint, identity.projectId, identity.dataset, identity.subscription].join("\n"))
    .digest("hex")
    .slice(0, 16);
  return join(stateDir, `dirty-minutes-${identity.dataset}-${key}.log`);
}

export class DirtyJournal {
  constructor(readonly path: string) {
    mkdirSync(join(path, ".."), { recursive: true });
  }

  /** The minutes (epoch ms) journalled and not yet refreshed; a torn last line is ignored. */
  load(): number[] {
    let text: string;
    try {
      text = readFileSync(this.path, "utf8");
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === "ENOENT") return [];
      throw new Error(`cannot read the dirty-minute journal ${this.path}: ${String(error)}`);
    }
    const minutes = new Set<number>();
    for (const line of text.split("\n")) {
      const minute = Number(line);
      // A line torn by a kill mid-append is not a whole minute; its rows were not acknowledged anyway.
      if (/^\d+$/.test(line) && minute % 60000 === 0) minutes.add(minute);
    }
    return [...minutes].sort((a, b) => a - b);
  }

  append(minutes: number[]): void {
    appendFileSync(this.path, `${minutes.join("\n")}\n`);
  }

  /** Atomically replaces the journal's content (write + rename). */
  replace(minutes: number[]): void {
    const temporary = `${this.path}.${process.pid}.tmp`;
    writeFileSync(temporary, minutes.length > 0 ? `${minutes.join("\n")}\n` : "");
    renameSync(temporary, this.path);
  }
}
