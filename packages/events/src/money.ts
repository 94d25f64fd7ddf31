/**
 * Exact decimal money without floating point and without BigInt (the UDF engine, Nashorn, has neither
 * BigInt nor a decimal type). Amounts travel as canonical decimal strings: no exponent, no leading
 * zeros, no trailing fractional zeros, at most LIMITS.moneyScale fractional digits, e.g. "1234.5".
 */
import { LIMITS } from "./spec";

const EXPONENT_PATTERN = /^(-)?(\d+)(?:\.(\d+))?e([+-]?\d+)$/i;

interface Decimal {
  negative: boolean;
  /** One or more ASCII digits, as written. */
  integer: string;
  /** The digits after the point as written, "" without a point. */
  fraction: string;
}

/**
 * Splits `-?digits(.digits)?` (ASCII digits), or returns null. A hand-written scanner rather than a
 * regex: it runs in the Dataflow UDF engine (Nashorn), where the regex match was most of the money cost.
 */
function splitDecimal(text: string): Decimal | null {
  const length = text.length;
  const negative = text.charCodeAt(0) === 45;
  const start = negative ? 1 : 0;
  let at = start;
  let point = -1;
  for (; at < length; at++) {
    const code = text.charCodeAt(at);
    if (code === 46 && point < 0) point = at;
    else if (code < 48 || code > 57) return null;
  }
  const integerEnd = point < 0 ? length : point;
  // At least one digit before the point, and at least one after it when there is one.
  if (integerEnd === start || point === length - 1) return null;
  return {
    negative,
    integer: text.substring(start, integerEnd),
    fraction: point < 0 ? "" : text.substring(point + 1),
  };
}

export type MoneyResult = { ok: true; value: string } | { ok: false; reason: string };

/**
 * Parses a JSON number or decimal string into a canonical decimal string.
 * A JSON number is converted through its shortest round-trip representation (String(n)), which is the
 * literal the producer wrote whenever it had at most 15 significant digits; send strings for more.
 */
export function parseMoney(input: unknown): MoneyResult {
  let text: string;
  if (typeof input === "number") {
    if (!isFinite(input)) return { ok: false, reason: "is not a finite number" };
    text = String(input);
  } else if (typeof input === "string") {
    text = input;
    if (text.length > 64) return { ok: false, reason: "is too long for an amount" };
  } else {
    return { ok: false, reason: "must be a JSON number or a decimal string" };
  }
  // Without an "e" the exponent pattern cannot match: skip the regex (the UDF's hot path).
  const expanded = text.indexOf("e") < 0 && text.indexOf("E") < 0 ? text : expandExponent(text);
  if (expanded === null) return { ok: false, reason: `is not a decimal amount: ${JSON.stringify(text)}` };
  const decimal = splitDecimal(expanded);
  if (!decimal) return { ok: false, reason: `is not a decimal amount: ${JSON.stringify(text)}` };
  const sign = decimal.negative ? "-" : "";
  const fraction = stripTrailingZeros(decimal.fraction);
  if (fraction.length > LIMITS.moneyScale) {
    return { ok: false, reason: `has more than ${LIMITS.moneyScale} decimal places` };
  }
  const integer = stripLeadingZeros(decimal.integer);
  const value = canonical(sign, integer, fraction);
  // Fewer integer digits than the maximum cannot exceed it; only the rest needs the exact comparison.
  if (integer.length >= LIMITS.maxMoney.length && compareMoney(absMoney(value), LIMITS.maxMoney) > 0) {
    return { ok: false, reason: `exceeds the maximum amount ${LIMITS.maxMoney}` };
  }
  return { ok: true, value };
}

function expandExponent(text: string): string | null {
  const match = EXPONENT_PATTERN.exec(text);
  if (!match) return text;
  const exponent = parseInt(match[4] || "0", 10);
  if (Math.abs(exponent) > 40) return null;
  let digits = (match[2] || "") + (match[3] || "");
  let point = (match[2] || "").length + exponent;
  if (point <= 0) {
    digits = repeat("0", 1 - point) + digits;
    point = 1;
  } else if (point > digits.length) {
    digits = digits + repeat("0", point - digits.length);
  }
  const integer = digits.substring(0, point);
  const fraction = digits.substring(point);
  return (match[1] || "") + integer + (fraction ? `.${fraction}` : "");
}

function repeat(char: string, count: number): string {
  let out = "";
  for (let i = 0; i < count; i++) out += char;
  return out;
}

function stripLeadingZeros(digits: string): string {
  let i = 0;
  while (i < digits.length - 1 && digits.charAt(i) === "0") i++;
  return digits.substring(i);
}

function stripTrailingZeros(digits: string): string {
  let end = digits.length;
  while (end > 0 && digits.charAt(end - 1) === "0") end--;
  return digits.substring(0, end);
}

function canonical(sign: string, integer: string, fraction: string): string {
  const isZero = integer === "0" && fraction === "";
  return (isZero ? "" : sign) + integer + (fraction ? `.${fraction}` : "");
}

interface Scaled {
  negative: boolean;
  /** Digits of |value| * 10^scale, no leading zeros. */
  digits: string;
}

function toScaled(value: string): Scaled {
  const decimal = splitDecimal(value);
  if (!decimal) throw new Error(`not a canonical decimal: ${value}`);
  const fraction = decimal.fraction;
  const padded = fraction + repeat("0", LIMITS.moneyScale - fraction.length);
  return { negative: decimal.negative, digits: stripLeadingZeros(decimal.integer + padded) };
}

function fromScaled(scaled: Scaled): string {
  const digits = repeat("0", Math.max(0, LIMITS.moneyScale + 1 - scaled.digits.length)) + scaled.digits;
  const split = digits.length - LIMITS.moneyScale;
  return canonical(
    scaled.negative ? "-" : "",
    stripLeadingZeros(digits.substring(0, split)),
    stripTrailingZeros(digits.substring(split)),
  );
}

function compareDigits(a: string, b: string): number {
  if (a.length !== b.length) return a.length < b.length ? -1 : 1;
  return a < b ? -1 : a > b ? 1 : 0;
}

// Digit characters by value: number-to-string conversion is slow in the UDF engine (Nashorn), a lookup is not.
const DIGITS = "0123456789";

function addDigits(a: string, b: string): string {
  let out = "";
  let carry = 0;
  for (let i = a.length - 1, j = b.length - 1; i >= 0 || j >= 0 || carry; i--, j--) {
    const sum = (i >= 0 ? a.charCodeAt(i) - 48 : 0) + (j >= 0 ? b.charCodeAt(j) - 48 : 0) + carry;
    out = DIGITS.charAt(sum % 10) + out;
    carry = sum >= 10 ? 1 : 0;
  }
  return stripLeadingZeros(out || "0");
}

/** a - b for digit strings with a >= b. */
function subtractDigits(a: string, b: string): string {
  let out = "";
  let borrow = 0;
  for (let i = a.length - 1, j = b.length - 1; i >= 0; i--, j--) {
    let diff = a.charCodeAt(i) - 48 - (j >= 0 ? b.charCodeAt(j) - 48 : 0) - borrow;
    borrow = diff < 0 ? 1 : 0;
    if (diff < 0) diff += 10;
    out = DIGITS.charAt(diff) + out;
  }
  return stripLeadingZeros(out);
}

/** Exact sum of two canonical decimal strings. */
export function addMoney(a: string, b: string): string {
  const x = toScaled(a);
  const y = toScaled(b);
  if (x.negative === y.negative)
    return fromScaled({ negative: x.negative, digits: addDigits(x.digits, y.digits) });
  const order = compareDigits(x.digits, y.digits);
  if (order === 0) return "0";
  return order > 0
    ? fromScaled({ negative: x.negative, digits: subtractDigits(x.digits, y.digits) })
    : fromScaled({ negative: y.negative, digits: subtractDigits(y.digits, x.digits) });
}

/** Exact product of a canonical decimal string and a non-negative safe integer (price x quantity). */
export function multiplyMoney(amount: string, factor: number): string {
  if (factor < 0 || Math.floor(factor) !== factor)
    throw new Error(`factor must be a non-negative integer: ${factor}`);
  const x = toScaled(amount);
  let total = "0";
  let shifted = x.digits;
  const factorDigits = String(factor);
  for (let i = factorDigits.length - 1; i >= 0; i--) {
    const digit = factorDigits.charCodeAt(i) - 48;
    for (let k = 0; k < digit; k++) total = addDigits(total, shifted);
    shifted += "0";
  }
  return fromScaled({ negative: x.negative && total !== "0", digits: total });
}

/** Sign-aware comparison of canonical decimal strings: -1, 0 or 1. */
export function compareMoney(a: string, b: string): number {
  const x = toScaled(a);
  const y = toScaled(b);
  const xZero = x.digits === "0";
  const yZero = y.digits === "0";
  const xNeg = x.negative && !xZero;
  const yNeg = y.negative && !yZero;
  if (xNeg !== yNeg) return xNeg ? -1 : 1;
  const order = compareDigits(x.digits, y.digits);
  return xNeg ? -order : order;
}

function absMoney(value: string): string {
  return value.charAt(0) === "-" ? value.substring(1) : value;
}
