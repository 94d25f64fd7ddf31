/** BigQuery JSON table schemas (the format `bq mk --schema` and Terraform's `schema` take). */
import { DEAD_LETTER_COLUMNS, WAREHOUSE_COLUMNS, type WarehouseColumn } from "../warehouse";

interface BigQueryField {
  name: string;
  type: string;
  mode: string;
  description: string;
  fields?: BigQueryField[];
}

function toField(column: WarehouseColumn): BigQueryField {
  const field: BigQueryField = {
    name: column.name,
    type: column.type,
    mode: column.mode,
    description: column.description,
  };
  if (column.fields) field.fields = column.fields.map(toField);
  return field;
}

export function buildEventsTableSchema(): BigQueryField[] {
  return WAREHOUSE_COLUMNS.map(toField);
}

export function buildDeadLetterTableSchema(): BigQueryField[] {
  return DEAD_LETTER_COLUMNS.map(toField);
}
