/**
 * CPU time (user + system) of the pipeline's processes, read from /proc: what a stage costs per event,
 * which the load average of a shared machine does not distort as it distorts wall-clock rates. A stand-in
 * is its whole process group (the Pub/Sub emulator is a gcloud wrapper and a JVM); a worker is its pid.
 * Linux only: elsewhere every reading is NaN and the report says so.
 */
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { groupMembers, type PidRecord, SERVICE_NAMES, stackPaths } from "@shopstream/stack";

const TICKS_PER_SECOND = 100; // USER_HZ: 100 on every Linux ABI Node supports (sysconf(_SC_CLK_TCK))

/** utime + stime of one process, seconds; NaN when it is gone. */
export function processCpuSeconds(pid: number): number {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, "utf8");
    const fields = stat.slice(stat.lastIndexOf(")") + 2).split(" ");
    // fields[0] is field 3 (state) of proc(5); utime and stime are fields 14 and 15
    return (Number(fields[11]) + Number(fields[12])) / TICKS_PER_SECOND;
  } catch {
    return Number.NaN;
  }
}

/**
 * CPU seconds of each stand-in of a profile, whole process group (group leader = the pid in its pid
 * file); the per-group sum loses a child that exited, which the stand-ins do not do while serving.
 */
export function standInCpuSeconds(profile: string): Record<string, number> {
  const out: Record<string, number> = {};
  for (const name of SERVICE_NAMES) {
    let record: PidRecord | undefined;
    try {
      record = JSON.parse(
        readFileSync(join(stackPaths().runDir(profile), `${name}.pid`), "utf8"),
      ) as PidRecord;
    } catch {
      out[name] = Number.NaN;
      continue;
    }
    const members = groupMembers(record.pid);
    out[name] =
      members.length === 0 ? Number.NaN : members.reduce((sum, pid) => sum + processCpuSeconds(pid), 0);
  }
  return out;
}
