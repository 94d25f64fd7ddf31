/**
 * The contract's validator and normaliser. Pure, synchronous and ES5-library-safe: the very same code
 * runs in the local workers and, bundled, as the Dataflow JavaScript UDF in Nashorn.
 */
import { COUNTRY_CODES, CURRENCY_CODES } from "./codes";
import { parseMoney } from "./money";
import {
  ENVELOPE_FIELDS,
  type EventType,
  type FieldMap,
  type FieldSpec,
  LIMITS,
  PROPERTIES,
  SCHEMA_VERSION,
} from "./spec";
import { type ParsedTime, parseRfc3339 } from "./time";
import type { ShopEvent } from "./types";

export interface ValidEvent {
  ok: true;
  /** The event as received, unknown fields kept, with event_id lower-cased and money made canonical. */
  event: ShopEvent;
  /** event_time in UTC with microseconds, e.g. 2026-11-26T10:15:00.123000Z */
  eventTimeUtc: string;
  eventTimeMs: number;
}

export interface InvalidEvent {
  ok: false;
  /** One line for the dead-letter record: the first problems found, each with its field path. */
  reason: string;
  errors: string[];
}

export type ValidationResult = ValidEvent | InvalidEvent;

/**
 * 8-4-4-4-12 hex digits, either case. Scanned by hand, not by a regex: it runs in the Dataflow UDF engine
 * (Nashorn), where a regex match costs far more than a loop over character codes.
 */
function isUuid(text: string): boolean {
  if (text.length !== 36) return false;
  for (let i = 0; i < 36; i++) {
    const code = text.charCodeAt(i);
    if (i === 8 || i === 13 || i === 18 || i === 23) {
      if (code !== 45) return false;
    } else if (!((code >= 48 && code <= 57) || (code >= 97 && code <= 102) || (code >= 65 && code <= 70))) {
      return false;
    }
  }
  return true;
}
// C0/C1 controls (tab excepted), the replacement character left by invalid UTF-8 upstream, lone surrogates.
const FORBIDDEN_CHARS =
  // biome-ignore lint/suspicious/noControlCharactersInRegex: finding control characters is the point
  /[\u0000-\u0008\u000A-\u001F\u007F-\u009F\uFFFD]|[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?:^|[^\uD800-\uDBFF])[\uDC00-\uDFFF]/;
/**
 * Whether `text` holds a code unit FORBIDDEN_CHARS could match: every one of those is below a space (tab
 * aside) or above "~". Looked at before the regex because in the Dataflow UDF engine (Nashorn) that regex
 * costs far more than this loop, and most strings, even in a payload with some non-ASCII text, are plain.
 */
function mayHaveForbiddenChars(text: string): boolean {
  const length = text.length;
  for (let i = 0; i < length; i++) {
    const code = text.charCodeAt(i);
    if (code > 126 || (code < 32 && code !== 9)) return true;
  }
  return false;
}
/**
 * Whether a freshly parsed payload can be validated in place, without copyJson, judged from its text:
 * copyJson would report nothing and copy it unchanged when the text has
 *  - no character through which a string could fail FORBIDDEN_CHARS or a name could start with "$":
 *    nothing above "~" (C1, surrogates, U+FFFD and all other non-ASCII), no backslash (every escape), no
 *    "$". Raw C0 controls need no look: JSON.parse refuses them inside strings (V8 and Nashorn alike), and
 *    outside strings they are whitespace;
 *  - at most MAX_DEPTH "{" and "[" in all (nesting cannot exceed their count);
 *  - no "__proto__" (the copy turns such a name into a prototype).
 * Anything else takes the slow path, which produces the exact reasons.
 * Hand-written scanning, not a regex: this runs in the Dataflow UDF engine (Nashorn), where a character
 * class reaching above U+00FF makes the regex engine try every position, as costly as the JSON.parse
 * itself. The single characters and "__proto__" are found by indexOf (a native search, a sixth of the cost
 * of looking at each character in script); only the "above ~" test needs a loop over the character codes.
 */
function isPlainText(text: string): boolean {
  if (text.indexOf("\\") >= 0 || text.indexOf("$") >= 0 || text.indexOf("__proto__") >= 0) return false;
  let openings = 0;
  for (let at = text.indexOf("{"); at >= 0; at = text.indexOf("{", at + 1)) {
    if (++openings > MAX_DEPTH) return false;
  }
  for (let at = text.indexOf("["); at >= 0; at = text.indexOf("[", at + 1)) {
    if (++openings > MAX_DEPTH) return false;
  }
  const length = text.length;
  for (let i = 0; i < length; i++) if (text.charCodeAt(i) > 126) return false;
  return true;
}

const MAX_DEPTH = 16;
const MAX_REPORTED_ERRORS = 5;

function isPlainObject(value: unknown): value is Record<string, unknown> {
  return (
    typeof value === "object" && value !== null && Object.prototype.toString.call(value) === "[object Object]"
  );
}

function describe(value: unknown): string {
  if (value === null) return "null";
  if (Object.prototype.toString.call(value) === "[object Array]") return "an array";
  return typeof value === "object" ? "an object" : `a ${typeof value}`;
}

/** Deep copy of JSON data, refusing pathological nesting (unknown fields are kept, so they are bounded). */
function copyJson(value: unknown, depth: number, path: string, errors: string[]): unknown {
  if (depth > MAX_DEPTH) {
    errors.push(`${path || "event"}: nesting deeper than ${MAX_DEPTH} levels`);
    return null;
  }
  if (typeof value === "string") {
    if (mayHaveForbiddenChars(value) && FORBIDDEN_CHARS.test(value))
      errors.push(`${path}: contains control or invalid characters`);
    return value;
  }
  if (value === null || typeof value !== "object") return value;
  if (Object.prototype.toString.call(value) === "[object Array]") {
    const source = value as unknown[];
    const out: unknown[] = [];
    for (let i = 0; i < source.length; i++) out.push(copyJson(source[i], depth + 1, `${path}[${i}]`, errors));
    return out;
  }
  const source = value as Record<string, unknown>;
  const out: Record<string, unknown> = {};
  for (const key in source) {
    if (!Object.prototype.hasOwnProperty.call(source, key)) continue;
    if (mayHaveForbiddenChars(key) && FORBIDDEN_CHARS.test(key))
      errors.push(`${path || "event"}: a field name contains control or invalid characters`);
    // "$"-prefixed names are MongoDB extended-JSON and operator syntax: kept as-is they would turn into
    // dates, numbers or write errors downstream, so they are refused rather than silently reinterpreted.
    if (key.charAt(0) === "$")
      errors.push(`${path ? path + "." : ""}${key.substring(0, 32)}: field names must not start with "$"`);
    out[key] = copyJson(source[key], depth + 1, path ? `${path}.${key}` : key, errors);
  }
  return out;
}

function checkString(
  spec: Extract<FieldSpec, { kind: "string" }>,
  value: unknown,
  path: string,
  errors: string[],
) {
  if (typeof value !== "string") {
    errors.push(`${path}: must be a string, got ${describe(value)}`);
    return;
  }
  if (value.length === 0) {
    errors.push(`${path}: must not be empty`);
    return;
  }
  if (spec.maxLength !== undefined && value.length > spec.maxLength) {
    errors.push(`${path}: longer than ${spec.maxLength} characters`);
    return;
  }
  if (spec.enum) {
    let found = false;
    for (let i = 0; i < spec.enum.length && !found; i++) if (spec.enum[i] === value) found = true;
    if (!found)
      errors.push(`${path}: ${JSON.stringify(value.substring(0, 64))} is not one of ${spec.enum.join(", ")}`);
    return;
  }
  switch (spec.format) {
    case "uuid":
      if (!isUuid(value)) errors.push(`${path}: must be a UUID`);
      break;
    case "rfc3339":
      if (!parseTime(value)) errors.push(`${path}: must be an RFC 3339 timestamp with offset`);
      break;
    case "country":
      if (!Object.prototype.hasOwnProperty.call(COUNTRY_CODES, value))
        errors.push(`${path}: ${JSON.stringify(value.substring(0, 16))} is not an ISO 3166-1 alpha-2 code`);
      break;
    case "currency":
      if (!Object.prototype.hasOwnProperty.call(CURRENCY_CODES, value))
        errors.push(`${path}: ${JSON.stringify(value.substring(0, 16))} is not an ISO 4217 currency code`);
      break;
    case "schema_version":
      if (value !== SCHEMA_VERSION)
        errors.push(
          `${path}: unsupported schema version ${JSON.stringify(value.substring(0, 16))}, expected "${SCHEMA_VERSION}"`,
        );
      break;
  }
}

// event_time is parsed by its format check and again for the acceptance window: the second parse reuses
// the first. One immutable object holds text and result, replaced by a single assignment, so concurrent
// callers (if an engine were ever shared between threads) can only miss the cache, never mix two events.
let lastTime: { text: string; parsed: ParsedTime | null } | undefined;
function parseTime(text: string): ParsedTime | null {
  const cached = lastTime;
  if (cached && cached.text === text) return cached.parsed;
  const parsed = parseRfc3339(text);
  lastTime = { text, parsed };
  return parsed;
}

/**
 * The spec as arrays, built once: walking a FieldMap with for..in on every event costs more in Nashorn
 * than the checks themselves. Same fields, same order (declaration order), so the same reasons.
 */
interface CompiledField {
  name: string;
  required: boolean;
  /** Whether Object.prototype has a property of this name (then only an own property counts, always). */
  inherited: boolean;
  /** The field's path in messages when it is fixed ("properties.price"); null under an array. */
  path: string | null;
  check: CompiledSpec;
}
interface CompiledSpec {
  spec: FieldSpec;
  /** Declared fields of an object spec. */
  fields: CompiledField[];
  /** Item spec of an array spec. */
  items: CompiledSpec | null;
}

/** @param path the spec's path in messages, or null when it depends on an array index */
function compileSpec(spec: FieldSpec, path: string | null): CompiledSpec {
  return {
    spec,
    fields: spec.kind === "object" ? compileFields(spec.fields, path) : [],
    items: spec.kind === "array" ? compileSpec(spec.items, null) : null,
  };
}

function compileFields(fields: FieldMap, prefix: string | null): CompiledField[] {
  const out: CompiledField[] = [];
  for (const name in fields) {
    if (!Object.prototype.hasOwnProperty.call(fields, name)) continue;
    const def = fields[name];
    if (!def) continue;
    const path = prefix === null ? null : prefix ? prefix + "." + name : name;
    out.push({
      name,
      required: def.required,
      inherited: name in Object.prototype,
      path,
      check: compileSpec(def.spec, path),
    });
  }
  return out;
}

const COMPILED_ENVELOPE = compileFields(ENVELOPE_FIELDS, "");
const COMPILED_PROPERTIES: Record<string, CompiledField[]> = {};
for (const type in PROPERTIES) {
  if (Object.prototype.hasOwnProperty.call(PROPERTIES, type))
    COMPILED_PROPERTIES[type] = compileFields(PROPERTIES[type as EventType], "properties");
}

/**
 * Validates `value` against `spec`; returns the normalised value (money canonical) or undefined.
 * @param owned the value comes straight from JSON.parse of plain text (see checkFields)
 */
function checkField(
  compiled: CompiledSpec,
  value: unknown,
  path: string,
  errors: string[],
  owned: boolean,
): unknown {
  const spec = compiled.spec;
  switch (spec.kind) {
    case "string":
      checkString(spec, value, path, errors);
      return value;
    case "integer":
      if (typeof value !== "number" || Math.floor(value) !== value || !isFinite(value)) {
        errors.push(`${path}: must be an integer, got ${describe(value)}`);
      } else if (value < spec.min || value > spec.max) {
        errors.push(`${path}: must be between ${spec.min} and ${spec.max}`);
      }
      return value;
    case "money": {
      const parsed = parseMoney(value);
      if (!parsed.ok) {
        errors.push(`${path}: ${parsed.reason}`);
        return value;
      }
      // A canonical amount is negative exactly when it starts with "-" (zero is never "-0").
      if (parsed.value.charAt(0) === "-") {
        errors.push(`${path}: must not be negative`);
        return value;
      }
      return parsed.value;
    }
    case "object":
      if (!isPlainObject(value)) {
        errors.push(`${path}: must be an object, got ${describe(value)}`);
        return value;
      }
      checkFields(compiled.fields, value, path, errors, owned);
      return value;
    case "array": {
      if (Object.prototype.toString.call(value) !== "[object Array]") {
        errors.push(`${path}: must be an array, got ${describe(value)}`);
        return value;
      }
      const items = value as unknown[];
      if (items.length < spec.minItems) errors.push(`${path}: needs at least ${spec.minItems} item(s)`);
      if (items.length > spec.maxItems) errors.push(`${path}: more than ${spec.maxItems} items`);
      for (let i = 0; i < items.length && i < spec.maxItems; i++) {
        const item = items[i];
        const checked = checkField(compiled.items as CompiledSpec, item, path + "[" + i + "]", errors, owned);
        if (checked !== item) items[i] = checked;
      }
      return items;
    }
  }
}

/**
 * Checks declared fields in place (normalising money); unknown fields are left untouched.
 * @param owned `target` comes straight from JSON.parse of text without "__proto__": its prototype is
 *   Object.prototype, so a field Object.prototype lacks is there exactly when `target[name]` is defined
 *   (hasOwnProperty per field was a tenth of the UDF in Nashorn). A copyJson copy can have another
 *   prototype (a "__proto__" field becomes one), so it keeps the own-property check.
 */
function checkFields(
  fields: CompiledField[],
  target: Record<string, unknown>,
  path: string,
  errors: string[],
  owned: boolean,
) {
  for (let i = 0; i < fields.length; i++) {
    const field = fields[i] as CompiledField;
    const name = field.name;
    const value =
      (owned && !field.inherited) || Object.prototype.hasOwnProperty.call(target, name)
        ? target[name]
        : undefined;
    // Built only when the path is not fixed (under an array): string concatenation is slow in Nashorn.
    const fieldPath = field.path !== null ? field.path : path ? path + "." + name : name;
    // An explicit null for an optional field means absent; it is kept in the event as sent.
    if (value === undefined || value === null) {
      if (field.required) {
        errors.push(value === null ? `${fieldPath}: must not be null` : `${fieldPath}: is required`);
      }
      continue;
    }
    // Written back only when normalised (money): a property store is a generic, slow operation in Nashorn.
    const checked = checkField(field.check, value, fieldPath, errors, owned);
    if (checked !== value) target[name] = checked;
  }
}

function utf8Length(text: string): number {
  let bytes = 0;
  for (let i = 0; i < text.length; i++) {
    const code = text.charCodeAt(i);
    bytes += code < 0x80 ? 1 : code < 0x800 ? 2 : code >= 0xd800 && code <= 0xdbff ? 2 : 3;
  }
  return bytes;
}

function fail(errors: string[]): InvalidEvent {
  const shown = errors.slice(0, MAX_REPORTED_ERRORS);
  const more = errors.length > shown.length ? ` (+${errors.length - shown.length} more)` : "";
  return { ok: false, reason: shown.join("; ") + more, errors };
}

/**
 * Validates and normalises one event against contract v1.
 * @param input the parsed JSON payload
 * @param nowMs the clock used to refuse events from the far past or future (injected: keeps this pure)
 */
export function validateEvent(input: unknown, nowMs: number): ValidationResult {
  return validate(input, nowMs, false);
}

/** @param owned the input was just parsed from text isPlainText accepted: validated in place, not copied */
function validate(input: unknown, nowMs: number, owned: boolean): ValidationResult {
  if (!isPlainObject(input)) return fail([`event: must be a JSON object, got ${describe(input)}`]);
  const errors: string[] = [];
  let event: Record<string, unknown>;
  if (owned) {
    event = input;
  } else {
    event = copyJson(input, 0, "", errors) as Record<string, unknown>;
    if (errors.length) return fail(errors);
  }

  checkFields(COMPILED_ENVELOPE, event, "", errors, owned);
  const type = event.event_type as EventType;
  if (isPlainObject(event.properties) && Object.prototype.hasOwnProperty.call(PROPERTIES, type)) {
    checkFields(COMPILED_PROPERTIES[type] as CompiledField[], event.properties, "properties", errors, owned);
  }
  if (
    (event.user_id === null || event.user_id === undefined) &&
    (event.anonymous_id === null || event.anonymous_id === undefined)
  ) {
    errors.push("anonymous_id: is required when user_id is null or absent");
  }
  if (type === "refund" && isPlainObject(event.properties) && event.properties.amount === "0") {
    errors.push("properties.amount: a refund must be greater than zero");
  }
  let eventTimeUtc = "";
  let eventTimeMs = 0;
  const parsedTime = typeof event.event_time === "string" ? parseTime(event.event_time) : null;
  if (parsedTime) {
    eventTimeUtc = parsedTime.utc;
    eventTimeMs = parsedTime.epochMs;
    if (eventTimeMs < nowMs - LIMITS.maxEventAgeMs) {
      errors.push(`event_time: older than the ${LIMITS.maxEventAgeMs / 86400000}-day acceptance window`);
    } else if (eventTimeMs > nowMs + LIMITS.maxFutureSkewMs) {
      errors.push(`event_time: more than ${LIMITS.maxFutureSkewMs / 60000} minutes in the future`);
    }
  }
  if (errors.length) return fail(errors);
  event.event_id = (event.event_id as string).toLowerCase();
  return { ok: true, event: event as unknown as ShopEvent, eventTimeUtc, eventTimeMs };
}

/**
 * Parses a raw message payload and validates it. Size and JSON syntax problems become reasons too,
 * so every input, however broken, ends as either a valid event or a dead-letter reason.
 */
export function parseAndValidate(payload: string, nowMs: number): ValidationResult {
  return parseAndValidateText(payload, nowMs).result;
}

export interface CheckedPayload {
  result: ValidationResult;
  /**
   * The payload's text was plain (isPlainText: printable ASCII, no backslash): no string in a valid
   * `result.event`, name or value, nor any the validator derived (canonical money, UTC times) needs JSON
   * escaping, so a transform may write JSON text around them by hand.
   */
  plainText: boolean;
}

/** parseAndValidate, also saying whether the payload's text was plain. */
export function parseAndValidateText(payload: string, nowMs: number): CheckedPayload {
  // A UTF-16 code unit is at most 3 UTF-8 bytes: only long payloads need counting.
  if (payload.length * 3 > LIMITS.maxPayloadBytes && utf8Length(payload) > LIMITS.maxPayloadBytes) {
    return { result: fail([`payload: larger than ${LIMITS.maxPayloadBytes} bytes`]), plainText: false };
  }
  let parsed: unknown;
  try {
    parsed = JSON.parse(payload);
  } catch {
    // The engine's own message differs between V8 and Nashorn; a fixed reason keeps outputs identical.
    return { result: fail(["payload: not valid JSON"]), plainText: false };
  }
  const plainText = isPlainText(payload);
  return { result: validate(parsed, nowMs, plainText), plainText };
}
