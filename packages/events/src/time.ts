/**
 * RFC 3339 timestamps with an explicit offset, parsed without Date.parse (whose leniency differs between
 * engines) so Node and the Nashorn UDF agree to the byte. Sub-millisecond digits are kept up to
 * microseconds, BigQuery's TIMESTAMP precision.
 */

const RFC3339 =
  /^(\d{4})-(\d{2})-(\d{2})[Tt](\d{2}):(\d{2}):(\d{2})(?:\.(\d{1,9}))?(?:([Zz])|([+-])(\d{2}):(\d{2}))$/;

export interface ParsedTime {
  /** Milliseconds since the epoch, UTC. */
  epochMs: number;
  /** Microseconds within the millisecond (0-999). */
  extraMicros: number;
  /** Canonical UTC form with microseconds: 2026-11-26T10:15:00.123456Z */
  utc: string;
}

function daysInMonth(year: number, month: number): number {
  if (month === 2) return year % 4 === 0 && (year % 100 !== 0 || year % 400 === 0) ? 29 : 28;
  return month === 4 || month === 6 || month === 9 || month === 11 ? 30 : 31;
}

function pad(value: number, width: number): string {
  let text = String(value);
  while (text.length < width) text = `0${text}`;
  return text;
}

/** Returns null when the text is not a valid RFC 3339 date-time with offset. */
export function parseRfc3339(text: string): ParsedTime | null {
  const m = RFC3339.exec(text);
  if (!m) return null;
  const year = +(m[1] as string);
  const month = +(m[2] as string);
  const day = +(m[3] as string);
  const hour = +(m[4] as string);
  const minute = +(m[5] as string);
  const second = +(m[6] as string);
  if (year < 1 || month < 1 || month > 12 || day < 1 || day > daysInMonth(year, month)) return null;
  // Leap seconds (:60) are valid RFC 3339 but not representable in BigQuery; refuse them explicitly.
  if (hour > 23 || minute > 59 || second > 59) return null;
  let offsetMinutes = 0;
  if (!m[8]) {
    const offHours = +(m[10] as string);
    const offMinutes = +(m[11] as string);
    if (offHours > 23 || offMinutes > 59) return null;
    offsetMinutes = (m[9] === "-" ? -1 : 1) * (offHours * 60 + offMinutes);
  }
  const fraction = `${m[7] || ""}000000`;
  const millis = +fraction.substring(0, 3);
  const extraMicros = +fraction.substring(3, 6);
  const epochMs = Date.UTC(year, month - 1, day, hour, minute, second, millis) - offsetMinutes * 60000;
  // Date.UTC maps years 0-99 to 1900+; contract years are four digits, so reject the ambiguous range.
  if (year < 1000) return null;
  return { epochMs, extraMicros, utc: formatUtc(epochMs, extraMicros) };
}

/** Formats epoch milliseconds (+ optional microseconds) as 2026-11-26T10:15:00.123456Z. */
export function formatUtc(epochMs: number, extraMicros?: number): string {
  const d = new Date(epochMs);
  return (
    `${pad(d.getUTCFullYear(), 4)}-${pad(d.getUTCMonth() + 1, 2)}-${pad(d.getUTCDate(), 2)}` +
    `T${pad(d.getUTCHours(), 2)}:${pad(d.getUTCMinutes(), 2)}:${pad(d.getUTCSeconds(), 2)}` +
    `.${pad(d.getUTCMilliseconds(), 3)}${pad(extraMicros || 0, 3)}Z`
  );
}
