import { mkdtempSync, readdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { brokenStrategy } from '../helpers.js';
import { createPrecisionQuantizers } from '../../src/precision/precision-quantizers.js';
import { MID_RISE } from '../../src/quant/quantizers.js';
import { readTable } from '../../src/results/arrow-io.js';
import { CURVES_SCHEMA, NEURONS_SCHEMA, RUNS_SCHEMA } from '../../src/results/schema.js';
import { number, type OptionSpec } from '../../src/strategy/options.js';
import { registerStrategy } from '../../src/strategy/registry.js';
import type { Strategy } from '../../src/strategy/types.js';
import { buildMatrix } from '../../src/run/matrix.js';
import { getProfile } from '../../src/run/profiles.js';
import { runSuite } from '../../src/run/runner.js';
import type { SuiteDefinition } from '../../src/run/types.js';

/** A strategy defined here, not in baselines/: the plug-in seam needs no core change. */
const ternaryEverywhere: Strategy<{ clipPercentile: OptionSpec<number> }> = {
  name: 'test-ternary',
  summary: 'ternary weights, 6-bit activations',
  mixedPrecision: false,
  options: { clipPercentile: number(99) },
  create: (o, { layers }) =>
    createPrecisionQuantizers(layers, {
      weight: { bits: [1.58], thresholds: [], tau: 1, initialStrength: 0, trainable: false, grain: 'layer' },
      weightQuantizer: MID_RISE,
      activation: { bits: [6], thresholds: [], tau: 1, initialStrength: 0, trainable: false, grain: 'layer' },
      clipPercentile: o.clipPercentile,
      bitPenalty: 0,
    }),
};
registerStrategy(ternaryEverywhere);
registerStrategy(brokenStrategy('test-broken'));

const suite: SuiteDefinition = {
  name: 'runner-test',
  description: 'runner test',
  datasets: ['vod'],
  models: [{ label: 'mlp', model: 'mlp', options: { depth: 1, width: 8 } }],
  strategies: [
    { label: 'fp32', strategy: 'fp32' },
    { label: 'ternary', strategy: 'test-ternary' },
    { label: 'broken', strategy: 'test-broken' },
  ],
  protocol: { epochs: 2, patience: 2, seeds: [1, 2], maxRows: 300 },
};

const quiet = { log: () => {}, stream: process.stderr, backend: 'cpu', cacheDir: mkdtempSync(join(tmpdir(), 'qatbench-cache-')) };

describe('suite runner', () => {
  it('records every run, a failing one with its error, and the suite goes on', async () => {
    const out = mkdtempSync(join(tmpdir(), 'qatbench-runner-'));
    const specs = buildMatrix(suite, getProfile('quick'));
    expect(specs).toHaveLength(6);
    const outcome = await runSuite(specs, { out, resume: false, ...quiet });
    const runs = readTable(join(out, 'runs.arrow'), RUNS_SCHEMA);
    expect(runs.map((r) => [r.strategy, r.seed, r.status])).toEqual([
      ['fp32', 1, 'ok'],
      ['fp32', 2, 'ok'],
      ['ternary', 1, 'ok'],
      ['ternary', 2, 'ok'],
      ['broken', 1, 'failed'],
      ['broken', 2, 'failed'],
    ]);
    expect(runs[4].error).toBe('deliberately broken');
    const ternary = runs.find((r) => r.strategy === 'ternary')!;
    expect(ternary.avg_weight_bits).toBeCloseTo(1.58, 10);
    expect(ternary.avg_activation_bits).toBe(6);
    expect(ternary.strategy_name).toBe('test-ternary');
    expect(ternary.data_sha256).toMatch(/^[0-9a-f]{64}$/);
    // neurons: 8 hidden + 1 output per ok run; curves: one row per epoch
    expect(readTable(join(out, 'neurons.arrow'), NEURONS_SCHEMA)).toHaveLength(4 * 9);
    const curves = readTable(join(out, 'curves.arrow'), CURVES_SCHEMA);
    expect(curves.length).toBe(runs.filter((r) => r.status === 'ok').reduce((n, r) => n + r.epochs, 0));
    // neurons at each width every epoch: 8 hidden + 1 output weight neurons, 8 hidden activations
    const ternaryCurve = curves.find((c) => c.run_id === ternary.run_id)!;
    expect(JSON.parse(ternaryCurve.weight_bits_counts!)).toEqual({ 1.58: 9 });
    expect(JSON.parse(ternaryCurve.activation_bits_counts!)).toEqual({ 6: 8 });
    expect(JSON.parse(curves[0].activation_bits_counts!)).toEqual({ 32: 8 }); // fp32: float activations count as 32
    expect(outcome.report.summary.find((s) => s.strategy === 'broken')?.n_failed).toBe(2);
    expect(readdirSync(out).sort()).toEqual([
      'README.md',
      'charts',
      'curves.arrow',
      'models',
      'neurons.arrow',
      'report.html',
      'runs.arrow',
      'summary.arrow',
      'tables.md',
    ]);
    // a trained model per run that trained, for export
    expect(readdirSync(join(out, 'models')).sort()).toEqual(
      runs
        .filter((r) => r.status === 'ok')
        .map((r) => `${r.run_id}.bin`)
        .sort(),
    );
  });

  it('--resume skips runs recorded ok with the same config and seed, retries failed ones, keeps the rest', async () => {
    const out = mkdtempSync(join(tmpdir(), 'qatbench-resume-'));
    const specs = buildMatrix(suite, getProfile('quick'));
    await runSuite(specs.slice(0, 3), { out, resume: false, ...quiet });
    const first = readTable(join(out, 'runs.arrow'), RUNS_SCHEMA);
    const outcome = await runSuite(specs, { out, resume: true, ...quiet });
    expect(outcome.skipped).toBe(3);
    expect(outcome.ran).toBe(3);
    const all = readTable(join(out, 'runs.arrow'), RUNS_SCHEMA);
    expect(all).toHaveLength(6);
    expect(all.slice(0, 3)).toEqual(first); // untouched
    // a changed config is a different run: nothing is skipped
    const longer = buildMatrix(suite, getProfile('quick'), { training: { epochs: 3 }, strategies: ['fp32'] });
    expect((await runSuite(longer, { out, resume: true, ...quiet })).skipped).toBe(0);
  });
});
