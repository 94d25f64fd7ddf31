/** Durations as the declarations write them: `30s`, `5m`, `1h`, `3d` (one unit, whole number). */

const UNITS: Record<string, number> = { s: 1, m: 60, h: 3600, d: 86400 };

/** Seconds in a duration like `5m`; throws on anything else. */
export function parseDuration(text: string): number {
  const match = /^(\d+)([smhd])$/.exec(text);
  if (!match) throw new Error(`"${text}" is not a duration like 30s, 5m, 1h or 3d`);
  const seconds = Number(match[1]) * (UNITS[match[2] as string] as number);
  if (seconds <= 0) throw new Error(`"${text}" must be longer than zero`);
  return seconds;
}

/** The shortest exact spelling of a number of seconds (`3600` -> `1h`). */
export function formatDuration(seconds: number): string {
  for (const [unit, size] of [
    ["d", 86400],
    ["h", 3600],
    ["m", 60],
  ] as const) {
    if (seconds % size === 0) return `${seconds / size}${unit}`;
  }
  return `${seconds}s`;
}
