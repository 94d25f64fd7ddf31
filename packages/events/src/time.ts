/**
 * RFC 3339 timestamps with an explicit offset, parsed without Date.parse (whose leniency differs between
 * engines) so Node and the Nashorn UDF agree to the byte. Sub-millisecond digits are kept up to
 * microseconds, BigQuery's TIMESTAMP precision.
 */

// The grammar accepted (ASCII digits only):
//   YYYY-MM-DD("T"|"t")hh:mm:ss("." 1-9 digits)?("Z"|"z"|("+"|"-")hh:mm)
// Scanned by hand, not by a regex: this runs in the Dataflow UDF engine (Nashorn), where a regex match
// plus turning its groups into numbers cost a sixth of the UDF; character codes cost next to nothing.

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

/** The two-digit number at `at`, or -1 when either character is not an ASCII digit. */
function twoDigits(text: string, at: number): number {
  const tens = text.charCodeAt(at) - 48;
  const units = text.charCodeAt(at + 1) - 48;
  // NaN (past the end) fails both comparisons, like any non-digit.
  return tens >= 0 && tens <= 9 && units >= 0 && units <= 9 ? tens * 10 + units : -1;
}

/** Returns null when the text is not a valid RFC 3339 date-time with offset. */
export function parseRfc3339(text: string): ParsedTime | null {
  const length = text.length;
  // The shortest form: 2026-11-26T10:15:00Z
  if (length < 20) return null;
  const century = twoDigits(text, 0);
  const yearOfCentury = twoDigits(text, 2);
  const month = twoDigits(text, 5);
  const day = twoDigits(text, 8);
  const hour = twoDigits(text, 11);
  const minute = twoDigits(text, 14);
  const second = twoDigits(text, 17);
  const t = text.charCodeAt(10);
  if (
    century < 0 ||
    yearOfCentury < 0 ||
    month < 0 ||
    day < 0 ||
    hour < 0 ||
    minute < 0 ||
    second < 0 ||
    text.charCodeAt(4) !== 45 ||
    text.charCodeAt(7) !== 45 ||
    (t !== 84 && t !== 116) ||
    text.charCodeAt(13) !== 58 ||
    text.charCodeAt(16) !== 58
  ) {
    return null;
  }
  // Fraction: "." and 1 to 9 digits; the first six are kept (milliseconds, then microseconds).
  let at = 19;
  let millis = 0;
  let extraMicros = 0;
  if (text.charCodeAt(at) === 46) {
    const first = ++at;
    for (;;) {
      const digit = text.charCodeAt(at) - 48;
      if (!(digit >= 0 && digit <= 9)) break;
      const place = at - first;
      if (place < 3) millis = millis * 10 + digit;
      else if (place < 6) extraMicros = extraMicros * 10 + digit;
      at++;
    }
    const digits = at - first;
    if (digits < 1 || digits > 9) return null;
    // Scale a short fraction up: ".5" is 500 ms, ".1234" is 123 ms and 400 µs.
    for (let place = digits; place < 3; place++) millis *= 10;
    for (let place = Math.max(digits, 3); place < 6; place++) extraMicros *= 10;
  }
  // Offset: "Z"/"z" ending the text, or a sign and hh:mm ending it.
  const zone = text.charCodeAt(at);
  const utcDesignator = zone === 90 || zone === 122;
  let offsetMinutes = 0;
  if (utcDesignator) {
    if (length !== at + 1) return null;
  } else {
    if ((zone !== 43 && zone !== 45) || length !== at + 6 || text.charCodeAt(at + 3) !== 58) return null;
    const offHours = twoDigits(text, at + 1);
    const offMinutes = twoDigits(text, at + 4);
    if (offHours < 0 || offMinutes < 0) return null;
    if (offHours > 23 || offMinutes > 59) return null;
    offsetMinutes = (zone === 45 ? -1 : 1) * (offHours * 60 + offMinutes);
  }
  const year = century * 100 + yearOfCentury;
  if (year < 1 || month < 1 || month > 12 || day < 1 || day > daysInMonth(year, month)) return null;
  // Leap seconds (:60) are valid RFC 3339 but not representable in BigQuery; refuse them explicitly.
  if (hour > 23 || minute > 59 || second > 59) return null;
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
  const utc = utcDesignator
    ? `${text.substring(0, 10)}T${text.substring(11, 19)}.${THREE_DIGITS[millis]}${THREE_DIGITS[extraMicros]}Z`
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

// The "2026-11-26T" of the last day formatted: the processing clock stamps every event with a time of the
// same day, so the calendar arithmetic runs once a day. One immutable object replaced by a single
// assignment, so concurrent callers can only miss the cache, never mix two days.
let lastDay: { days: number; prefix: string } | undefined;

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
  const cached = lastDay;
  const prefix = cached && cached.days === days ? cached.prefix : datePrefix(days);
  return (
    prefix +
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

/** "YYYY-MM-DDT" of a day number (days since 1970-01-01), remembered in lastDay. */
function datePrefix(days: number): string {
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
  const prefix =
    (year >= 1000 && year <= 9999 ? pad2(Math.floor(year / 100)) + pad2(year % 100) : pad(year, 4)) +
    "-" +
    pad2(month) +
    "-" +
    pad2(day) +
    "T";
  lastDay = { days, prefix };
  return prefix;
}
