/** Atomic Arrow IPC file I/O for the result tables, driven by the column lists in schema.ts. */
import { createHash } from 'node:crypto';
import { existsSync, readFileSync } from 'node:fs';
import { writeFileAtomic } from '../files.js';
import { Bool, type DataType, Field, Float64, Int32, Schema, Table, Utf8, tableFromIPC, tableToIPC, vectorFromArray } from 'apache-arrow';
import type { Column, ColumnType, TableSchema } from './schema.js';

const ARROW_TYPES: Record<ColumnType, () => DataType> = {
  utf8: () => new Utf8(),
  float64: () => new Float64(),
  int32: () => new Int32(),
  bool: () => new Bool(),
};

// vectorFromArray silently coerces ('x' → NaN in float64, 3.7 → 3 in int32), so values are checked first.
const IS_VALUE_OF: Record<ColumnType, (value: unknown) => boolean> = {
  utf8: (value) => typeof value === 'string',
  float64: (value) => typeof value === 'number',
  int32: (value) => Number.isInteger(value) && Math.abs(value as number) < 2 ** 31,
  bool: (value) => typeof value === 'boolean',
};

/** Every IPC file starts and ends with this magic; a truncated or foreign file lacks it. */
const ARROW_MAGIC = 'ARROW1';

/** Writes rows as an Arrow IPC file with exactly the schema's columns, atomically. */
export function writeTable<Row>(path: string, schema: TableSchema<Row>, rows: readonly Row[]): void {
  writeFileAtomic(path, encodeTable(path, schema, rows));
}

/** The bytes of an Arrow IPC file; throws if a value does not fit its column (path only names the table in errors). */
export function encodeTable<Row>(path: string, schema: TableSchema<Row>, rows: readonly Row[]): Uint8Array {
  const fields = schema.map((column) => new Field(column.name, ARROW_TYPES[column.type](), true));
  const columns = schema.map((column) => ({ name: column.name, values: rows.map((row, r) => checkedValue(path, column, row[column.name], r)) }));
  const vectors = Object.fromEntries(columns.map(({ name, values }, c) => [name, vectorFromArray(values, fields[c].type)]));
  const metadata = new Map([[CHECKSUM_KEY, contentChecksum(columns)]]);
  return tableToIPC(new Table(new Schema(fields, metadata), vectors), 'file');
}

/**
 * Schema metadata key of the sha256 of a table's content (every column's name and values, in
 * file order): a flipped byte in a value buffer parses as another value, so it is checked on read.
 */
export const CHECKSUM_KEY = 'qatbench.sha256';

function contentChecksum(columns: readonly { name: string; values: readonly unknown[] }[]): string {
  const hash = createHash('sha256');
  for (const { name, values } of columns) hash.update(JSON.stringify([name, values]));
  return hash.digest('hex');
}

function checkedValue<Row>(path: string, column: Column<Row>, value: unknown, rowIndex: number): unknown {
  // NaN is written as a real null: NaN means "no value" here, and Arrow readers (pandas, polars, DuckDB)
  // treat NaN as a number that poisons aggregates instead of skipping it like null.
  if (value === null || (typeof value === 'number' && Number.isNaN(value))) return null;
  if (IS_VALUE_OF[column.type](value)) return value;
  throw new Error(`${path}: row ${rowIndex}, column ${column.name}: ${String(value)} is not ${column.type}`);
}

/**
 * Reads rows as plain objects (numbers, strings, booleans, null). A missing file reads as no rows;
 * an unreadable file, or one lacking a (non-optional) schema column or with a different column type, throws a one-line error.
 * Columns not in the schema are ignored.
 */
export function readTable<Row>(path: string, schema: TableSchema<Row>): Row[] {
  if (!existsSync(path)) return [];
  const table = parseArrowFile(path);
  checkContent(path, table);
  const columns = schema.map((column) => {
    const vector = table.getChild(column.name);
    const expected = String(ARROW_TYPES[column.type]());
    if (vector === null && column.optional) return { name: column.name, vector: { get: () => null } };
    if (vector === null) throw new Error(`${path}: no column ${column.name} (${expected}); written by another qatbench version?`);
    if (String(vector.type) !== expected) throw new Error(`${path}: column ${column.name} is ${vector.type}, expected ${expected}`);
    return { name: column.name, vector };
  });
  // Only utf8/float64/int32/bool columns pass the check above, so get() yields no BigInt.
  return Array.from({ length: table.numRows }, (_, i) => Object.fromEntries(columns.map(({ name, vector }) => [name, vector.get(i)])) as Row);
}

/** Tables written before checksums carry none and read unchecked. */
function checkContent(path: string, table: Table): void {
  const recorded = table.schema.metadata.get(CHECKSUM_KEY);
  if (recorded === undefined) return;
  const columns = table.schema.fields.map((field, c) => {
    const vector = table.getChildAt(c)!;
    return { name: field.name, values: Array.from({ length: table.numRows }, (_, i) => vector.get(i)) };
  });
  if (contentChecksum(columns) !== recorded) throw new Error(`${path}: corrupt results table (content checksum mismatch)`);
}

function parseArrowFile(path: string): Table {
  const bytes = readFileSync(path);
  const hasMagic = (at: number) => bytes.toString('latin1', at, at + ARROW_MAGIC.length) === ARROW_MAGIC;
  if (!hasMagic(0) || !hasMagic(bytes.length - ARROW_MAGIC.length)) {
    throw new Error(`${path}: not an Arrow IPC file (truncated or corrupt)`);
  }
  try {
    return tableFromIPC(bytes);
  } catch (err) {
    const reason = (err instanceof Error ? err.message : String(err)).replace(/\s+/g, ' ');
    throw new Error(`${path}: corrupt Arrow IPC file (${reason})`);
  }
}

/** How a table file differs from the current schema (missing, extra, reordered or retyped columns; no checksum); empty when it matches. */
export function schemaDifferences<Row>(path: string, schema: TableSchema<Row>): string[] {
  const table = parseArrowFile(path);
  const written = table.schema.fields.map((field) => `${field.name}: ${field.type}`);
  const current = schema.map((column) => `${column.name}: ${ARROW_TYPES[column.type]()}`);
  const problems = [
    ...current.filter((column) => !written.includes(column)).map((column) => `lacks ${column}`),
    ...written.filter((column) => !current.includes(column)).map((column) => `has ${column}, not in the current schema`),
  ];
  if (problems.length === 0 && written.join() !== current.join()) problems.push('its columns are in another order');
  if (!table.schema.metadata.has(CHECKSUM_KEY)) problems.push('no content checksum');
  return problems.map((problem) => `${path}: ${problem}`);
}
