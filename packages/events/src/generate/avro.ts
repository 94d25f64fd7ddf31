/**
 * Avro schema of contract v1 for the Pub/Sub schema registry, generated from spec.ts.
 *
 * Avro cannot say "number or string" without a union, and Avro's JSON encoding wraps union values
 * ({"string": "x"}), so this schema describes the canonical form (money as decimal strings, optional
 * fields nullable, per-type properties flattened into one record). It is registered for discovery and
 * revision history; enforcing it on the topic is opt-in (see terraform/modules/pubsub/README.md).
 */
import {
  CONTEXT_FIELDS,
  ENVELOPE_FIELDS,
  type FieldDef,
  type FieldSpec,
  PROPERTIES,
  SCHEMA_VERSION,
} from "../spec";

type AvroType = string | Record<string, unknown> | AvroType[];
const NAMESPACE = "com.shopstream.events.v1";

function avroType(spec: FieldSpec, name: string): AvroType {
  switch (spec.kind) {
    case "string":
      return spec.enum ? { type: "enum", name: toTypeName(name), symbols: [...spec.enum] } : "string";
    case "integer":
      return "long";
    case "money":
      return "string";
    case "object":
      return record(toTypeName(name), spec.fields as Record<string, FieldDef>, spec.doc);
    case "array":
      return { type: "array", items: avroType(spec.items, `${name}_item`) };
  }
}

function toTypeName(name: string): string {
  return name
    .split("_")
    .map((part) => part.charAt(0).toUpperCase() + part.slice(1))
    .join("");
}

function record(name: string, fields: Record<string, FieldDef>, doc: string, forceOptional = false) {
  return {
    type: "record",
    name,
    doc,
    fields: Object.entries(fields).map(([field, def]) => {
      const type = avroType(def.spec, field);
      // Optional fields are unions with null (default null): absent and explicit null read the same.
      const optional = forceOptional || !def.required;
      return optional
        ? { name: field, type: ["null", type], default: null, doc: def.spec.doc }
        : { name: field, type, doc: def.spec.doc };
    }),
  };
}

export function buildAvroSchema(): Record<string, unknown> {
  // Every type's properties, merged: a property is present only for the types that declare it.
  const allProperties: Record<string, FieldDef> = {};
  for (const fields of Object.values(PROPERTIES)) Object.assign(allProperties, fields);
  const envelope = { ...ENVELOPE_FIELDS } as Record<string, FieldDef>;
  const base = record("ShopEvent", envelope, `Shop event, wire format v${SCHEMA_VERSION} (canonical form)`);
  base.fields = base.fields.map((field) => {
    if (field.name === "context") {
      return {
        name: "context",
        type: ["null", record("Context", CONTEXT_FIELDS, "Where the event happened")],
        default: null,
        doc: "Where the event happened",
      };
    }
    if (field.name === "properties") {
      return {
        name: "properties",
        type: record("Properties", allProperties, "Per-type properties", true),
        doc: "Per-type properties; which are set depends on event_type",
      };
    }
    return field;
  });
  return { namespace: NAMESPACE, ...base };
}
