/**
 * @shopstream/events — the shop event contract v1, declared once and imported by the producer, the
 * workers (and their Dataflow UDFs), the tests, the benchmarks and the generators behind Terraform.
 */
export { COUNTRY_CODES, CURRENCY_CODES } from "./codes";
export { EXAMPLE_EVENTS, EXAMPLE_LIST, exampleWithOptionalNulls } from "./examples";
export { buildAvroSchema } from "./generate/avro";
export { buildDeadLetterTableSchema, buildEventsTableSchema } from "./generate/bigquery";
export { buildJsonSchema } from "./generate/json-schema";
export { addMoney, compareMoney, type MoneyResult, multiplyMoney, parseMoney } from "./money";
export {
  ATTRIBUTES,
  CONTEXT_FIELDS,
  DEVICES,
  ENVELOPE_FIELDS,
  EVENT_TYPES,
  type EventType,
  type FieldDef,
  type FieldMap,
  type FieldSpec,
  LIMITS,
  LINE_ITEM_FIELDS,
  PROPERTIES,
  SCHEMA_VERSION,
} from "./spec";
export { formatUtc, type ParsedTime, parseRfc3339 } from "./time";
export type {
  EventContext,
  EventEnvelope,
  EventOf,
  LineItem,
  Money,
  ProductProperties,
  PropertiesByType,
  ShopEvent,
} from "./types";
export {
  type CheckedPayload,
  type InvalidEvent,
  parseAndValidate,
  parseAndValidateText,
  type ValidationResult,
  type ValidEvent,
  validateEvent,
} from "./validate";
export {
  DEAD_LETTER_COLUMNS,
  type DeadLetterRecord,
  WAREHOUSE_COLUMNS,
  type WarehouseColumn,
  type WarehouseItem,
  type WarehouseRow,
} from "./warehouse";
