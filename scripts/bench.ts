/**
 * npm run bench: the training step of a paper-profile model (default the MLP, 54-512x4-7 on
 * covertype; --model tabformer for the transformer; --model-profile quick for the sizes and
 * optimiser the suites train with) at batch 256, per strategy and backend,
 * the data pipeline's rate, and a tensor-leak check. Prints a markdown table and writes
 * <out>/bench.arrow. --peer adds the PyTorch peer's step (scripts/pytorch-peer.py) to the same table.
 */
import os from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { loadCatalog } from '../bin/catalog.js';
import { type BackendChoice, initBackend } from '../src/backend.js';
import { BENCH_CASES } from '../src/bench/cases.js';
import { createStepSetup, leakCheck, profileStep, quantile, stepFlops, type TimingSettings, timeBatches, timeSteps } from '../src/bench/measure.js';
import { BENCH_SCHEMA, type BenchRow } from '../src/bench/schema.js';
import { renderBenchTable } from '../src/bench/table.js';
import { loadDataset } from '../src/data/load.js';
import { featureGroups } from '../src/data/preprocess.js';
import { provenance } from '../src/provenance.js';
import { writeTable } from '../src/results/arrow-io.js';
import { getModel, resolveModelOptions } from '../src/model/registry.js';
import { getProfile } from '../src/run/profiles.js';
import { BatchSource } from '../src/train/batches.js';
import { peerRows } from './bench-peer.js';

await loadCatalog();

const { values: args } = parseArgs({
  options: {
    backends: { type: 'string', default: 'tensorflow,wasm,cpu' },
    model: { type: 'string', default: 'mlp' },
    rounds: { type: 'string', default: '5' },
    'time-ms': { type: 'string', default: '1000' },
    'leak-steps': { type: 'string', default: '100' },
    'cpu-leak-steps': { type: 'string', default: '10' },
    // Also print where one step of each case spends its time, per kernel (tf.profile).
    profile: { type: 'boolean', default: false },
    // Also time the PyTorch peer (scripts/pytorch-peer.py) on the same model, in the same run.
    peer: { type: 'boolean', default: false },
    python: { type: 'string', default: '/usr/bin/python3' },
    // Whose model sizes to time (the suites train the quick profile's); the peer has the paper profile's only.
    'model-profile': { type: 'string', default: 'paper' },
    out: { type: 'string', default: 'results/bench' },
  },
});
const count = (name: keyof typeof args) => {
  const v = Number(args[name]);
  if (!Number.isInteger(v) || v < 0) throw new Error(`--${name} must be a non-negative integer, got ${args[name]}`);
  return v;
};

const log = (line: string) => process.stdout.write(`${line}\n`);
const profile = getProfile(args['model-profile']!);
if (args.peer && profile.name !== 'paper') throw new Error(`--peer times the paper profile's model sizes only, got --model-profile ${profile.name}`);
// Batch 256 and no momentum, as every committed figure and the PyTorch peer (plain SGD under the paper
// profile): its own batch (64) and momentum (ours, for convergence) would make the figures incomparable.
const protocol = { ...profile.protocol, batchSize: 256, momentum: 0 };
const modelSpec = { name: args.model!, options: resolveModelOptions(getModel(args.model!), profile.models[args.model!]) };
const data = await loadDataset('covertype', { splitSeed: protocol.splitSeed });
const prov = provenance();
const cpu = os.cpus();
const machine = `${cpu[0]?.model ?? 'unknown cpu'}, ${cpu.length} cores, ${Math.round(os.totalmem() / 2 ** 30)} GiB`;
const loadStart = os.loadavg()[0];
const startedAt = new Date().toISOString();
const modelLabel = `${modelSpec.name} ${Object.entries(modelSpec.options)
  .map(([k, v]) => `${k} ${v}`)
  .join(', ')} on ${data.featureNames.length} features, ${data.classes.length} classes`;
const rows: Omit<BenchRow, 'load_end'>[] = [];
const common = {
  model: modelLabel,
  batch_size: protocol.batchSize,
  machine,
  load_start: loadStart,
  node_version: prov.nodeVersion,
  tfjs_version: prov.tfjsVersion,
  qatbench_version: prov.qatbenchVersion,
  git_commit: prov.gitCommit,
  started_at: startedAt,
};

for (const backend of (args.backends ?? '').split(',')) {
  try {
    await initBackend(backend as BackendChoice);
  } catch (err) {
    log(`qatbench bench: skipping backend ${backend}: ${(err as Error).message}`);
    continue;
  }
  // The pure-JS backend is ~20x slower than wasm: fewer steps keep the default run to minutes.
  const slow = backend === 'cpu';
  const timing: TimingSettings = slow ? { iterations: 5, timeMs: 0, warmupIterations: 2 } : { iterations: 10, timeMs: count('time-ms'), warmupIterations: 3 };
  const rounds = slow ? 1 : count('rounds');
  const leakSteps = slow ? count('cpu-leak-steps') : count('leak-steps');
  log(`qatbench bench: backend ${backend}, ${rounds} round(s), ${modelLabel}, batch ${protocol.batchSize}, ${protocol.optimizer} lr ${protocol.learningRate}`);

  const setups = BENCH_CASES.map((c) => createStepSetup(c, data, protocol, modelSpec));
  const samples = setups.map(() => [] as number[]);
  for (let r = 0; r < rounds; r++) setups.forEach((s, i) => samples[i].push(...timeSteps(s, timing)));
  if (args.profile) {
    for (const setup of setups) {
      const kernels = await profileStep(setup);
      const total = kernels.reduce((sum, k) => sum + k.ms, 0);
      const top = kernels.slice(0, 8).map((k) => `${k.kernel} ${k.ms.toFixed(1)} (${k.calls})`);
      log(`  ${setup.benchCase.label}: kernels ${total.toFixed(1)} ms in ${kernels.reduce((n, k) => n + k.calls, 0)} calls: ${top.join(', ')}`);
    }
  }
  const flops = stepFlops(setups[0].step.model, protocol.batchSize);
  const fp32Median = quantile(samples[0], 0.5);
  setups.forEach((setup, i) => {
    const leak = leakCheck(setup, leakSteps);
    const median = quantile(samples[i], 0.5);
    rows.push({
      ...common,
      backend,
      kind: 'step',
      case: setup.benchCase.label,
      strategy_config: JSON.stringify({ strategy: setup.benchCase.strategy, ...setup.benchCase.options }),
      samples: samples[i].length,
      ms_median: median,
      ms_p25: quantile(samples[i], 0.25),
      ms_p75: quantile(samples[i], 0.75),
      gflops: flops / median / 1e6,
      ratio_to_fp32: median / fp32Median,
      batches_per_second: null,
      leak_steps: leak.steps,
      tensors_before: leak.tensorsBefore,
      tensors_after: leak.tensorsAfter,
      peak_rss_mb: leak.peakRssMb,
      tensor_mb_after: leak.tensorMbAfter,
    });
    setup.dispose();
    log(`  ${setup.benchCase.label}: ${median.toFixed(1)} ms/step, tensors ${leak.tensorsBefore} -> ${leak.tensorsAfter} over ${leak.steps} steps`);
  });

  const pipeline = timeBatches(new BatchSource(data.train, data.featureNames.length, protocol.batchSize), {
    iterations: 200,
    timeMs: 500,
    warmupIterations: 20,
  });
  const perBatch = quantile(pipeline, 0.5);
  rows.push({
    ...common,
    backend,
    kind: 'pipeline',
    case: 'batches',
    strategy_config: null,
    samples: pipeline.length,
    ms_median: perBatch,
    ms_p25: quantile(pipeline, 0.25),
    ms_p75: quantile(pipeline, 0.75),
    gflops: null,
    ratio_to_fp32: null,
    batches_per_second: 1000 / perBatch,
    leak_steps: null,
    tensors_before: null,
    tensors_after: null,
    peak_rss_mb: null,
    tensor_mb_after: null,
  });
}

if (args.peer) {
  const tokens = featureGroups(data.preprocessing).length;
  log(`qatbench bench: the PyTorch peer, ${modelSpec.name}${modelSpec.name === 'tabformer' ? `, ${tokens} feature tokens` : ''}`);
  rows.push(...peerRows(args.python!, modelSpec.name, tokens, protocol.batchSize, common));
}

const loadEnd = os.loadavg()[0];
const table = rows.map((r) => ({ ...r, load_end: loadEnd }));
writeTable(join(args.out ?? 'results/bench', 'bench.arrow'), BENCH_SCHEMA, table);
log('');
log(renderBenchTable(table));
log('');
log(
  `${machine}; load average (1 min) ${loadStart.toFixed(2)} at start, ${loadEnd.toFixed(2)} at end; node ${prov.nodeVersion}, tfjs ${prov.tfjsVersion}, commit ${prov.gitCommit}`,
);
if (table.some((r) => r.tensors_before !== r.tensors_after)) {
  process.stderr.write('qatbench bench: tensor count grew during the leak check\n');
  process.exitCode = 1;
}
