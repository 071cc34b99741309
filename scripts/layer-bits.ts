/**
 * Where a strategy put its bits: per layer, neurons at each weight and activation width (all
 * seeds pooled) from neurons.arrow, and, from the saved models, the mean std of the weights of
 * the neurons at each weight width (the paper's bound gives high-variance neurons more bits).
 * Usage: npx tsx scripts/layer-bits.ts results/telecom --dataset rss --strategy nmp-qat [--model mlp]
 */
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { loadRunModel, runModelPath } from '../src/export/run-model.js';
import { readTable } from '../src/results/arrow-io.js';
import { NEURONS_SCHEMA, RUNS_SCHEMA } from '../src/results/schema.js';
import { reportedRuns } from '../src/results/summary.js';

const args = process.argv.slice(2);
const flag = (name: string) => {
  const i = args.indexOf(`--${name}`);
  return i >= 0 ? args[i + 1] : undefined;
};
const [dir] = args;
const dataset = flag('dataset');
const strategy = flag('strategy');
const model = flag('model') ?? 'mlp';
if (!dir || !dataset || !strategy) {
  process.stderr.write('usage: npx tsx scripts/layer-bits.ts <results dir> --dataset <name> --strategy <label> [--model mlp]\n');
  process.exit(2);
}
// The runs the summary reports: each cell's latest configuration, status ok.
const runs = reportedRuns(readTable(join(dir, 'runs.arrow'), RUNS_SCHEMA)).filter((r) => r.dataset === dataset && r.strategy === strategy && r.model === model);
if (runs.length === 0) {
  process.stderr.write(`no ok runs of ${strategy} on ${dataset} (${model}) in ${dir}\n`);
  process.exit(2);
}
const ids = new Set(runs.map((r) => r.run_id));
const neurons = readTable(join(dir, 'neurons.arrow'), NEURONS_SCHEMA).filter((n) => ids.has(n.run_id));
const layers = [...new Set(neurons.map((n) => n.layer))];

/** Std of each output neuron's incoming weights, by run and layer, from the saved models that exist. */
const spread = new Map<string, number[]>();
for (const run of runs) {
  const file = runModelPath(dir, run.run_id);
  if (!existsSync(file)) continue;
  const { meta, snapshot } = loadRunModel(file);
  meta.bits.forEach((_, l) => {
    const [fanIn, fanOut] = snapshot.shapes[l];
    const w = snapshot.values[l];
    spread.set(
      `${run.run_id}/${l}`,
      Array.from({ length: fanOut }, (_, j) => {
        let sum = 0;
        let squares = 0;
        for (let i = 0; i < fanIn; i++) {
          sum += w[i * fanOut + j];
          squares += w[i * fanOut + j] ** 2;
        }
        return Math.sqrt(Math.max(0, squares / fanIn - (sum / fanIn) ** 2));
      }),
    );
  });
}

const counts = (values: (number | null)[]) => {
  const by = new Map<number, number>();
  for (const v of values) if (v !== null) by.set(v, (by.get(v) ?? 0) + 1);
  return (
    [...by]
      .sort((a, b) => a[0] - b[0])
      .map(([b, n]) => `${b}: ${n}`)
      .join(', ') || '-'
  );
};
process.stdout.write(
  `${strategy} on ${dataset} (${model}), ${runs.length} seeds\n\n| layer | weight bits (neurons) | activation bits (neurons) | mean weight std by weight bits |\n|---|---|---|---|\n`,
);
layers.forEach((layer, l) => {
  const mine = neurons.filter((n) => n.layer === layer);
  const stds = new Map<number, number[]>();
  for (const n of mine) {
    const s = spread.get(`${n.run_id}/${l}`)?.[n.neuron];
    if (s === undefined || n.weight_bits === null) continue;
    stds.set(n.weight_bits, [...(stds.get(n.weight_bits) ?? []), s]);
  }
  const stdText =
    [...stds]
      .sort((a, b) => a[0] - b[0])
      .map(([b, s]) => `${b}: ${(s.reduce((x, y) => x + y, 0) / s.length).toFixed(3)}`)
      .join(', ') || 'no saved models';
  process.stdout.write(`| ${layer} | ${counts(mine.map((n) => n.weight_bits))} | ${counts(mine.map((n) => n.activation_bits))} | ${stdText} |\n`);
});
