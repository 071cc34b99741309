import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadDataset, readTable as readDataTable, selectRows } from '../../src/data/load.js';
import { getDataset } from '../../src/data/registry.js';
import { exportRun } from '../../src/export/export-run.js';
import { inferOutputs, scoreCsv, toPredictions } from '../../src/infer/predict.js';
import { readQnn } from '../../src/infer/qnn-file.js';
import { readTable } from '../../src/results/arrow-io.js';
import { RUNS_SCHEMA } from '../../src/results/schema.js';
import { buildMatrix } from '../../src/run/matrix.js';
import { getProfile } from '../../src/run/profiles.js';
import { getSuite } from '../../src/run/registry.js';
import { runSuite } from '../../src/run/runner.js';

/** A CSV of the raw rows of a run's test split, as a user would bring them (target column included, ignored). */
async function rawTestRows(dataset: string, splitSeed: number, maxRows: number, file: string): Promise<string[]> {
  const def = getDataset(dataset);
  const table = await readDataTable(def);
  const used = selectRows(def, table, { splitSeed, maxRows });
  const quote = (cell: string) => (/[",\n]/.test(cell) ? `"${cell.replaceAll('"', '""')}"` : cell);
  const rows = used.split.test.map((i) => used.rows[i]);
  writeFileSync(file, `${[table.header, ...rows].map((r) => r.map(quote).join(',')).join('\n')}\n`);
  return rows.map((r) => r[table.header.indexOf(def.target)].trim());
}

describe('the smoke suite end to end: every run exports and its integer inference reproduces it', () => {
  it("exports each run with payload = model_bytes and the run's test metric from integer arithmetic; raw CSV rows score the same", async () => {
    const out = mkdtempSync(join(tmpdir(), 'qb-smoke-export-'));
    // Integer export covers the MLP; a tabformer run is refused by the exporter registry (no exporter for its kind).
    const specs = buildMatrix(getSuite('smoke'), getProfile('quick'), { seeds: [1], models: ['mlp'] });
    await runSuite(specs, { out, resume: false, backend: 'cpu', cacheDir: mkdtempSync(join(tmpdir(), 'qb-cache-')), log: () => {}, stream: process.stderr });
    const runs = readTable(join(out, 'runs.arrow'), RUNS_SCHEMA);
    expect(runs.map((r) => r.status)).toEqual(new Array(20).fill('ok'));

    for (const run of runs) {
      const file = join(out, `${run.run_id}.qnn.${run.task === 'classification' ? 'json' : 'arrow'}`);
      const { check, payloadBytes } = await exportRun(run.run_id, file, out);
      expect(check.mismatches, run.run_id).toBe(0);
      expect(payloadBytes).toBe(run.model_bytes);
      // The run's metric came from the trained model with its own strategy's quantizers.
      if (run.task === 'classification') expect(check.metric.value).toBe(run.test_metric);
      else expect(Math.abs(check.metric.value / run.test_metric! - 1)).toBeLessThan(1e-5);

      const { protocol } = specs[0];
      const csv = join(out, `${run.run_id}.csv`);
      const targets = await rawTestRows(run.dataset, protocol.splitSeed, protocol.maxRows!, csv);
      const qnn = readQnn(file);
      const fromCsv = await scoreCsv(qnn, csv);
      const data = await loadDataset(run.dataset, { splitSeed: protocol.splitSeed, maxRows: protocol.maxRows! });
      expect(fromCsv).toEqual(toPredictions(qnn.header, inferOutputs(qnn, data.test.x, data.test.n), data.test.n));
      if (run.task === 'classification') {
        const hits = (fromCsv as string[]).filter((label, i) => label === targets[i]).length;
        expect(hits / targets.length).toBe(run.test_accuracy);
      }
    }
  });
});
