import { mkdirSync, readFileSync, readdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { tableFromIPC } from 'apache-arrow';
import { describe, expect, it } from 'vitest';
import { CHECKSUM_KEY, readTable, writeTable } from '../../src/results/arrow-io.js';
import { evaluateClaims } from '../../src/results/claims.js';
import { CLAIMS_SCHEMA, CURVES_SCHEMA, NEURONS_SCHEMA, RUNS_SCHEMA, SUMMARY_SCHEMA, type ColumnType, type TableSchema } from '../../src/results/schema.js';
import { summarize } from '../../src/results/summary.js';
import { curveRows, failedRun, neuronRows, runRow, tempDirs } from './rows.js';

const newDir = tempDirs();
const ARROW_TYPE_NAMES: Record<ColumnType, string> = { utf8: 'Utf8', float64: 'Float64', int32: 'Int32', bool: 'Bool' };

interface Flag {
  name: string;
  set: boolean | null;
}
const FLAGS_SCHEMA: TableSchema<Flag> = [
  { name: 'name', type: 'utf8' },
  { name: 'set', type: 'bool' },
];

function expectRoundTrip<Row>(schema: TableSchema<Row>, rows: Row[]): void {
  const path = join(newDir(), 'nested', 'table.arrow');
  writeTable(path, schema, rows);
  expect(readTable(path, schema)).toEqual(rows);
  const fields = tableFromIPC(readFileSync(path)).schema.fields;
  expect(fields.map((field) => [field.name, String(field.type)])).toEqual(schema.map((column) => [column.name, ARROW_TYPE_NAMES[column.type]]));
}

describe('writeTable / readTable', () => {
  it('records a content checksum in the schema metadata: a flipped byte in a value reads as one line naming the table', () => {
    const path = join(newDir(), 'runs.arrow');
    const runs = [runRow({ error: 'sentinel-value-text' }), failedRun({ run_id: 'r2', seed: 1 })];
    writeTable(path, RUNS_SCHEMA, runs);
    expect(tableFromIPC(readFileSync(path)).schema.metadata.get(CHECKSUM_KEY)).toMatch(/^[0-9a-f]{64}$/);
    expect(readTable(path, RUNS_SCHEMA)).toEqual(runs);
    const bytes = readFileSync(path);
    bytes[bytes.indexOf('sentinel-value-text') + 3] ^= 0x01;
    writeFileSync(path, bytes);
    expect(tableFromIPC(readFileSync(path)).getChild('error')!.get(0)).toBe('senuinel-value-text'); // still parses
    expect(() => readTable(path, RUNS_SCHEMA)).toThrow(new Error(`${path}: corrupt results table (content checksum mismatch)`));
  });

  it('round-trips every result table, nulls included, with exactly the schema columns', () => {
    const runs = [runRow(), failedRun({ run_id: 'r2', seed: 1 })];
    expectRoundTrip(RUNS_SCHEMA, runs);
    expectRoundTrip(NEURONS_SCHEMA, neuronRows('r1', 3));
    expectRoundTrip(CURVES_SCHEMA, curveRows('r1', 3));
    expectRoundTrip(SUMMARY_SCHEMA, summarize(runs));
    expectRoundTrip(SUMMARY_SCHEMA, summarize(runs, { mixedPrecision: (name) => name === 'fp32' }));
    // a supported range with its CI, and a comparison not run (nulls)
    const claims = evaluateClaims(
      [
        { id: 'bits', kind: 'range', source: 's', wording: 'w', model: 'mlp', strategy: 'fp32', measure: 'avg_weight_bits', lo: 1, hi: 32 },
        { id: 'cmp', kind: 'comparison', source: 's', wording: 'w', model: 'mlp', dataset: 'churn', better: 'fp32', worse: 'other' },
      ],
      [runRow(), runRow({ run_id: 'r3', seed: 2, avg_weight_bits: 30 })],
      'telecom',
    );
    expect(claims.map((row) => row.verdict)).toEqual(['inconclusive', 'not run']);
    expectRoundTrip(CLAIMS_SCHEMA, claims);
    expectRoundTrip(FLAGS_SCHEMA, [
      { name: 'a', set: true },
      { name: 'b', set: null },
      { name: 'c', set: false },
    ]);
    expectRoundTrip(RUNS_SCHEMA, []);
  });

  it('writes NaN as a real Arrow null', () => {
    const path = join(newDir(), 'runs.arrow');
    writeTable(path, RUNS_SCHEMA, [runRow({ test_metric: NaN })]);
    expect(tableFromIPC(readFileSync(path)).getChild('test_metric')!.nullCount).toBe(1);
    expect(readTable(path, RUNS_SCHEMA)[0].test_metric).toBeNull();
  });

  it('reads a column added later (optional) as null from a file written before it', () => {
    const path = join(newDir(), 'curves.arrow');
    const old = CURVES_SCHEMA.filter((c) => !c.optional);
    expect(old.length).toBe(CURVES_SCHEMA.length - 2);
    const rows = curveRows('r', 2);
    writeTable(path, old, rows);
    expect(readTable(path, CURVES_SCHEMA)).toEqual(rows.map((row) => ({ ...row, weight_bits_counts: null, activation_bits_counts: null })));
  });

  it('reads a missing file as no rows', () => {
    expect(readTable(join(newDir(), 'absent.arrow'), RUNS_SCHEMA)).toEqual([]);
  });

  it('rejects corrupt, truncated and mismatched files with one line naming the file', () => {
    const dir = newDir();
    const garbage = join(dir, 'garbage.arrow');
    writeFileSync(garbage, 'not arrow at all');
    const truncated = join(dir, 'truncated.arrow');
    writeTable(truncated, RUNS_SCHEMA, [runRow()]);
    writeFileSync(truncated, readFileSync(truncated).subarray(0, 300));
    const neurons = join(dir, 'neurons.arrow');
    writeTable(neurons, NEURONS_SCHEMA, neuronRows('r1', 1));
    const floatBits: TableSchema<{ activation_bits: number }> = [{ name: 'activation_bits', type: 'float64' }];

    const notArrow = (path: string) => new Error(`${path}: not an Arrow IPC file (truncated or corrupt)`);
    expect(() => readTable(garbage, RUNS_SCHEMA)).toThrow(notArrow(garbage));
    expect(() => readTable(truncated, RUNS_SCHEMA)).toThrow(notArrow(truncated));
    expect(() => readTable(neurons, RUNS_SCHEMA)).toThrow(new Error(`${neurons}: no column suite (Utf8); written by another qatbench version?`));
    expect(() => readTable(neurons, floatBits)).toThrow(new Error(`${neurons}: column activation_bits is Int32, expected Float64`));
  });
});

describe('atomic writes', () => {
  it('keeps the old file intact and leaves no temp file when a row does not fit its column', () => {
    const dir = newDir();
    const path = join(dir, 'runs.arrow');
    const before = [runRow()];
    writeTable(path, RUNS_SCHEMA, before);

    const badSeed = runRow({ seed: 'x' as unknown as number });
    expect(() => writeTable(path, RUNS_SCHEMA, [runRow(), badSeed])).toThrow(`${path}: row 1, column seed: x is not int32`);
    expect(() => writeTable(path, RUNS_SCHEMA, [runRow({ epochs: 3.5 })])).toThrow('column epochs: 3.5 is not int32');
    expect(() => writeTable(path, RUNS_SCHEMA, [runRow({ dataset: undefined as unknown as string })])).toThrow('is not utf8');

    expect(readTable(path, RUNS_SCHEMA)).toEqual(before);
    expect(readdirSync(dir)).toEqual(['runs.arrow']);
  });

  it('removes its temp file when the rename fails', () => {
    const dir = newDir();
    const path = join(dir, 'runs.arrow');
    mkdirSync(join(path, 'occupied'), { recursive: true }); // a non-empty directory cannot be renamed over
    expect(() => writeTable(path, RUNS_SCHEMA, [runRow()])).toThrow();
    expect(readdirSync(dir)).toEqual(['runs.arrow']);
  });
});
