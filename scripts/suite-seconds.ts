/**
 * Where a suite's compute went: per dataset and model, the runs' training and search seconds and
 * the masked-cell pretraining counted once per seed (every run of that dataset, model and seed
 * records the same shared pretraining), then the suite's total. With --jobs n the total over n is
 * the least wall-clock those seconds allow.
 * Usage: npx tsx scripts/suite-seconds.ts results/telecom
 */
import { join } from 'node:path';
import { readTable } from '../src/results/arrow-io.js';
import { RUNS_SCHEMA } from '../src/results/schema.js';

const [dir] = process.argv.slice(2);
if (!dir) {
  process.stderr.write('usage: npx tsx scripts/suite-seconds.ts <results dir>\n');
  process.exit(2);
}

interface Cell {
  runs: number;
  train: number;
  search: number;
  pretrainBySeed: Map<number, number>;
}

const cells = new Map<string, Cell>();
for (const run of readTable(join(dir, 'runs.arrow'), RUNS_SCHEMA)) {
  const key = `${run.dataset} ${run.model}`;
  const cell = cells.get(key) ?? { runs: 0, train: 0, search: 0, pretrainBySeed: new Map() };
  cells.set(key, cell);
  cell.runs++;
  cell.train += run.train_seconds ?? 0;
  cell.search += run.search_seconds ?? 0;
  if (run.pretrain_seconds) cell.pretrainBySeed.set(run.seed, run.pretrain_seconds);
}

const f = (seconds: number) => seconds.toFixed(0);
const lines = ['| dataset | model | runs | training s | search s | pretraining s | total s | s a run |', '|---|---|---:|---:|---:|---:|---:|---:|'];
const totals = new Map<string, number>();
for (const [key, cell] of cells) {
  const pretrain = [...cell.pretrainBySeed.values()].reduce((a, b) => a + b, 0);
  const total = cell.train + cell.search + pretrain;
  const [dataset, model] = key.split(' ');
  totals.set(model, (totals.get(model) ?? 0) + total);
  lines.push(
    `| ${dataset} | ${model} | ${cell.runs} | ${f(cell.train)} | ${f(cell.search)} | ${f(pretrain)} | ${f(total)} | ${(total / cell.runs).toFixed(1)} |`,
  );
}
const all = [...totals.values()].reduce((a, b) => a + b, 0);
lines.push('', `total ${f(all)} s (${[...totals].map(([model, s]) => `${model} ${f(s)} s, ${((100 * s) / all).toFixed(0)}%`).join('; ')})`);
process.stdout.write(`${lines.join('\n')}\n`);
