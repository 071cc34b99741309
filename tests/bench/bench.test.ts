import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import * as tf from '@tensorflow/tfjs';
import { describe, expect, it } from 'vitest';
import { BENCH_CASES } from '../../src/bench/cases.js';
import { createStepSetup, leakCheck, profileStep, quantile, stepFlops, timeSteps } from '../../src/bench/measure.js';
import { BENCH_SCHEMA, type BenchRow } from '../../src/bench/schema.js';
import { renderBenchTable } from '../../src/bench/table.js';
import { tabformer } from '../../src/model/tabformer.js';
import { readTable, writeTable } from '../../src/results/arrow-io.js';
import { makeRng } from '../../src/rng.js';
import type { TrainConfig } from '../../src/train/trainer.js';
import { syntheticDataset } from '../helpers.js';

// The harness only: these tests check what it counts and records, never how fast anything is.
const protocol: TrainConfig = { optimizer: 'sgd', learningRate: 1e-3, momentum: 0, epochs: 1, patience: 1, batchSize: 32, calibrationRows: 32 };
const data = syntheticDataset();

/** A step row as the bench writes it. */
const sampleRow = (): BenchRow => ({
  kind: 'step',
  backend: 'cpu',
  case: 'fp32',
  strategy_config: '{"strategy":"fp32"}',
  model: 'mlp 6-16x2-3',
  batch_size: 32,
  samples: 3,
  ms_median: 2.5,
  ms_p25: 2,
  ms_p75: 3,
  gflops: 1.5,
  ratio_to_fp32: 1,
  batches_per_second: null,
  leak_steps: 4,
  tensors_before: 10,
  tensors_after: 10,
  peak_rss_mb: 400,
  tensor_mb_after: 1.5,
  machine: 'test',
  load_start: 0.5,
  load_end: 0.7,
  node_version: 'v20',
  tfjs_version: '4.22.0',
  qatbench_version: '0.1.0',
  git_commit: 'abc',
  started_at: '2026-01-01T00:00:00Z',
});

describe('benchmark harness', () => {
  it('counts the matrix-product FLOPs of a step by hand: forward and weight gradient everywhere, input gradient after the first layer', () => {
    const layers = [54, 512, 512, 512, 512, 7].slice(1).map((fanOut, i, outs) => ({
      name: `l${i}`,
      fanIn: i === 0 ? 54 : outs[i - 1],
      fanOut,
      activation: i < 4 ? { width: fanOut, signed: false } : null,
      input: i === 0 ? null : i - 1,
      rowsPerSample: 1,
    }));
    const perRow = 54 * 512 * 2 + 512 * 512 * 3 * 3 + 512 * 7 * 3;
    expect(stepFlops({ layers, floatMacs: 0 }, 256)).toBe(2 * 256 * perRow); // 1.24 GFLOP
  });

  it('counts a transformer step by hand: every block layer once per token, input gradients everywhere, attention products', () => {
    const model = tabformer.create({ ...tabformer.defaults, d: 8, heads: 2, blocks: 1, ff: 16 }, 6, 3, makeRng(1));
    const tokens = 7;
    const block = tokens * (4 * 8 * 8 + 8 * 16 + 16 * 8);
    const attention = 2 * tokens * tokens * 8; // Q K^T and P V, per sample
    expect(stepFlops(model, 32)).toBe(2 * 32 * 3 * (block + 8 * 3 + attention));
    model.dispose();
  });

  it('interpolates quantiles linearly', () => {
    expect(quantile([4, 1, 3, 2], 0.5)).toBe(2.5);
    expect(quantile([4, 1, 3, 2], 0.25)).toBe(1.75);
    expect(quantile([7], 0.75)).toBe(7);
  });

  it.each(BENCH_CASES.map((c) => [c.label, c] as const))('%s: times real steps, profiles one, and its tensor count stays flat', async (_, benchCase) => {
    const before = tf.memory().numTensors;
    const setup = createStepSetup(benchCase, data, protocol, { name: 'mlp', options: { depth: 2, width: 16 } });
    const samples = timeSteps(setup, { iterations: 3, timeMs: 0, warmupIterations: 1 });
    expect(samples.length).toBeGreaterThanOrEqual(3);
    samples.forEach((ms) => expect(ms).toBeGreaterThan(0));
    const kernels = await profileStep(setup);
    expect(kernels.map((k) => k.kernel)).toContain('BatchMatMul');
    const leak = leakCheck(setup, 4);
    expect(leak.tensorsAfter).toBe(leak.tensorsBefore);
    setup.dispose();
    expect(tf.memory().numTensors).toBe(before);
  });

  it('steps the TabFormer under nmp-qat W+A without leaking tensors', () => {
    const before = tf.memory().numTensors;
    const nmp = BENCH_CASES.find((c) => c.label === 'nmp-qat-wa')!;
    const setup = createStepSetup(nmp, data, protocol, { name: 'tabformer', options: { ...tabformer.defaults, d: 8, heads: 2, blocks: 1, ff: 16 } });
    expect(timeSteps(setup, { iterations: 2, timeMs: 0, warmupIterations: 1 }).length).toBeGreaterThanOrEqual(2);
    const leak = leakCheck(setup, 3);
    expect(leak.tensorsAfter).toBe(leak.tensorsBefore);
    setup.dispose();
    expect(tf.memory().numTensors).toBe(before);
  });

  it('writes rows that read back, and renders them as the README table', () => {
    const row = sampleRow();
    const path = join(mkdtempSync(join(tmpdir(), 'qatbench-bench-')), 'bench.arrow');
    writeTable(path, BENCH_SCHEMA, [row]);
    expect(readTable(path, BENCH_SCHEMA)).toEqual([row]);
    expect(renderBenchTable([row])).toContain('| cpu | fp32 | 2.5 | 2.0-3.0 | 1.5 | 1.00 |  | 10 -> 10 (4) | 400 |');
  });

  it('sets each step beside the PyTorch peer: fp32 against its fp32, quantizing cases against its fake-quant step', () => {
    const step = (backend: string, label: string, ms: number): BenchRow => ({ ...sampleRow(), backend, case: label, ms_median: ms });
    const peer = (label: string, ms: number): BenchRow => ({
      ...step('pytorch 1.13', label, ms),
      leak_steps: null,
      tensors_before: null,
      tensors_after: null,
      peak_rss_mb: null,
    });
    const table = renderBenchTable([step('wasm', 'fp32', 30), step('wasm', 'nmp-qat-wa', 45), peer('fp32', 40), peer('fake-quant w4a8', 60)]);
    expect(table).toContain('| wasm | fp32 | 30.0 | 2.0-3.0 | 1.5 | 1.00 | 0.75 |');
    expect(table).toContain('| wasm | nmp-qat-wa | 45.0 | 2.0-3.0 | 1.5 | 1.00 | 0.75 |');
    expect(table).toContain('| pytorch 1.13 | fake-quant w4a8 | 60.0 | 2.0-3.0 | 1.5 | 1.00 |  |  |  |');
  });
});
