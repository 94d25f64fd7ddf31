/** JSON Schema (draft 2020-12) of contract v1, generated from spec.ts. */
import {
  ENVELOPE_FIELDS,
  EVENT_TYPES,
  type FieldMap,
  type FieldSpec,
  PROPERTIES,
  SCHEMA_VERSION,
} from "../spec";

type JsonSchema = Record<string, unknown>;

const MONEY_PATTERN = "^-?\\d+(\\.\\d+)?$";

function fieldSchema(spec: FieldSpec): JsonSchema {
  switch (spec.kind) {
    case "string": {
      const schema: JsonSchema = { type: "string", description: spec.doc, minLength: 1 };
      if (spec.maxLength !== undefined) schema.maxLength = spec.maxLength;
      if (spec.enum) schema.enum = [...spec.enum];
      if (spec.format === "uuid") schema.format = "uuid";
      if (spec.format === "rfc3339") schema.format = "date-time";
      if (spec.format === "country") schema.pattern = "^[A-Z]{2}$";
      if (spec.format === "currency") schema.pattern = "^[A-Z]{3}$";
      if (spec.format === "schema_version") schema.const = SCHEMA_VERSION;
      return schema;
    }
    case "integer":
      return { type: "integer", minimum: spec.min, maximum: spec.max, description: spec.doc };
    case "money":
      return {
        description: `${spec.doc}. A JSON number or a decimal string; never negative.`,
        oneOf: [
          { type: "number", minimum: 0 },
          { type: "string", pattern: MONEY_PATTERN },
        ],
      };
    case "object":
      return objectSchema(spec.fields, spec.doc);
    case "array":
      return {
        type: "array",
        description: spec.doc,
        items: fieldSchema(spec.items),
        minItems: spec.minItems,
        maxItems: spec.maxItems,
      };
  }
}

function objectSchema(fields: FieldMap, description: string): JsonSchema {
  const properties: Record<string, JsonSchema> = {};
  const required: string[] = [];
  for (const [name, def] of Object.entries(fields)) {
    const schema = fieldSchema(def.spec);
    // An optional field may be an explicit null, which means absent.
    properties[name] = def.required ? schema : { anyOf: [schema, { type: "null" }] };
    if (def.required) required.push(name);
  }
  // Unknown fields are part of the contract's forward compatibility: kept, never refused.
  return { type: "object", description, properties, required, additionalProperties: true };
}

/** Builds the JSON Schema document; `$id` is stable so consumers can pin it. */
export function buildJsonSchema(): JsonSchema {
  const envelope = objectSchema(ENVELOPE_FIELDS, "Shop event, wire format v1");
  const perType = EVENT_TYPES.map((type) => ({
    if: { properties: { event_type: { const: type } } },
    then: { properties: { properties: objectSchema(PROPERTIES[type], `Properties of ${type}`) } },
  }));
  // Without a user_id (absent or null), anonymous_id must be given and not null.
  const anonymousRule = {
    if: { properties: { user_id: { type: "null" } } },
    then: { required: ["anonymous_id"], properties: { anonymous_id: { type: "string" } } },
  };
  return {
    $schema: "https://json-schema.org/draft/2020-12/schema",
    $id: `https://shopstream.example/schemas/shop-event/v${SCHEMA_VERSION}.json`,
    title: "ShopEvent",
    ...envelope,
    allOf: [
      ...perType,
      anonymousRule,
      {
        if: { not: { required: ["user_id"] } },
        then: { required: ["anonymous_id"], properties: { anonymous_id: { type: "string" } } },
      },
    ],
  };
}
