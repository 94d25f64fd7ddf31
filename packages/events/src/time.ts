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

/** Days since 1970-01-01 of a proleptic Gregorian date (H. Hinnant's days_from_civil): no Date object. */
function daysFromCivil(year: number, month: number, day: number): number {
  const y = month <= 2 ? year - 1 : year;
  const era = Math.floor(y / 400);
  const yearOfEra = y - era * 400;
  const dayOfYear = Math.floor((153 * (month > 2 ? month - 3 : month + 9) + 2) / 5) + day - 1;
  const dayOfEra = yearOfEra * 365 + Math.floor(yearOfEra / 4) - Math.floor(yearOfEra / 100) + dayOfYear;
  return era * 146097 + dayOfEra - 719468;
}

const MS_PER_DAY = 86400000;
/** The range of ECMAScript time values; formatUtc leaves anything else to Date. */
const MAX_TIME_VALUE = 8.64e15;

// "000".."999": formatting numbers is slow in Nashorn (double to string); a table lookup is not.
const THREE_DIGITS: string[] = [];
for (let i = 0; i < 1000; i++) THREE_DIGITS.push((i < 10 ? "00" : i < 100 ? "0" : "") + i);

/** pad(value, 2) for an integer in 0..99. */
function pad2(value: number): string {
  return (THREE_DIGITS[value] as string).substring(1);
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
  // Date.UTC's arithmetic without a Date object (Date is slow in Nashorn); identical for these inputs.
  const epochMs =
    daysFromCivil(year, month, day) * MS_PER_DAY +
    hour * 3600000 +
    minute * 60000 +
    second * 1000 +
    millis -
    offsetMinutes * 60000;
  // Date.UTC maps years 0-99 to 1900+; contract years are four digits, so reject the ambiguous range.
  if (year < 1000) return null;
  // Already in UTC: the canonical form is the text's own fields (every one checked above, so formatting
  // epochMs back would give the same digits), which saves formatUtc's arithmetic on the common path.
  const utc = m[8]
    ? `${text.substring(0, 10)}T${text.substring(11, 19)}.${fraction.substring(0, 6)}Z`
    : formatUtc(epochMs, extraMicros);
  return { epochMs, extraMicros, utc };
}

/** Formats epoch milliseconds (+ optional microseconds) as 2026-11-26T10:15:00.123456Z. */
export function formatUtc(epochMs: number, extraMicros?: number): string {
  const micros = extraMicros || 0;
  if (
    Math.floor(epochMs) === epochMs &&
    Math.abs(epochMs) <= MAX_TIME_VALUE &&
    Math.floor(micros) === micros &&
    micros >= 0 &&
    micros < 1000
  ) {
    return formatWholeMs(epochMs, micros);
  }
  const d = new Date(epochMs);
  return (
    `${pad(d.getUTCFullYear(), 4)}-${pad(d.getUTCMonth() + 1, 2)}-${pad(d.getUTCDate(), 2)}` +
    `T${pad(d.getUTCHours(), 2)}:${pad(d.getUTCMinutes(), 2)}:${pad(d.getUTCSeconds(), 2)}` +
    `.${pad(d.getUTCMilliseconds(), 3)}${pad(extraMicros || 0, 3)}Z`
  );
}

/** formatUtc for a whole number of milliseconds, by H. Hinnant's civil_from_days instead of a Date. */
function formatWholeMs(epochMs: number, extraMicros: number): string {
  const days = Math.floor(epochMs / MS_PER_DAY);
  let rest = epochMs - days * MS_PER_DAY;
  const hour = Math.floor(rest / 3600000);
  rest -= hour * 3600000;
  const minute = Math.floor(rest / 60000);
  rest -= minute * 60000;
  const second = Math.floor(rest / 1000);
  const millis = rest - second * 1000;
  const z = days + 719468;
  const era = Math.floor(z / 146097);
  const dayOfEra = z - era * 146097;
  const yearOfEra = Math.floor(
    (dayOfEra - Math.floor(dayOfEra / 1460) + Math.floor(dayOfEra / 36524) - Math.floor(dayOfEra / 146096)) /
      365,
  );
  const dayOfYear = dayOfEra - (365 * yearOfEra + Math.floor(yearOfEra / 4) - Math.floor(yearOfEra / 100));
  const mp = Math.floor((5 * dayOfYear + 2) / 153);
  const day = dayOfYear - Math.floor((153 * mp + 2) / 5) + 1;
  const month = mp < 10 ? mp + 3 : mp - 9;
  const year = yearOfEra + era * 400 + (month <= 2 ? 1 : 0);
  return (
    (year >= 1000 && year <= 9999 ? pad2(Math.floor(year / 100)) + pad2(year % 100) : pad(year, 4)) +
    "-" +
    pad2(month) +
    "-" +
    pad2(day) +
    "T" +
    pad2(hour) +
    ":" +
    pad2(minute) +
    ":" +
    pad2(second) +
    "." +
    THREE_DIGITS[millis] +
    (THREE_DIGITS[extraMicros] as string) +
    "Z"
  );
}
