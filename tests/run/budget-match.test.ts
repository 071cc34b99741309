import { existsSync, mkdtempSync, readdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { brokenStrategy } from '../helpers.js';
import { layerWidthQuantizers } from '../../src/search/layer-widths.js';
import { registerStrategy } from '../../src/strategy/registry.js';
import type { Strategy } from '../../src/strategy/types.js';
import { number } from '../../src/strategy/options.js';
import { SEARCHED_WIDTH_OPTIONS } from '../../src/strategy/shared-options.js';
import { buildMatrix } from '../../src/run/matrix.js';
import { getProfile } from '../../src/run/profiles.js';
import { runSuite } from '../../src/run/runner.js';
import type { SuiteDefinition } from '../../src/run/types.js';

/** A budgeted search strategy defined in this file: every layer at the widest candidate within the budget. */
const widestUnderBudget: Strategy<typeof SEARCHED_WIDTH_OPTIONS> = {
  name: 'test-widest-under-budget',
  summary: 'test: one width for all layers, the widest within the budget',
  mixedPrecision: true,
  requiresPretrained: true,
  budget: '',
  options: { ...SEARCHED_WIDTH_OPTIONS, clipPercentile: number(99) },
  create(o, { layers, budget, probe }) {
    if (budget === null) throw new Error('needs a budget');
    const width = Math.max(...o.bits.filter((b) => b <= budget));
    // Touch the probe, as a search would: the starting (pretrained) model's validation metric.
    const reference = probe.reference.metric;
    return {
      ...layerWidthQuantizers(
        layers,
        layers.map(() => width),
        o,
      ),
      searchReport: { width, reference },
    };
  },
};
registerStrategy(widestUnderBudget);
registerStrategy(brokenStrategy('test-broken-source'));

const suite: SuiteDefinition = {
  name: 'budget-test',
  description: 'budget test',
  datasets: ['vod'],
  models: [{ label: 'mlp', model: 'mlp', options: { depth: 1, width: 8 } }],
  strategies: [
    { label: 'uniform-w4', strategy: 'uniform', options: { weightBits: 4 } },
    { label: 'matched', strategy: 'test-widest-under-budget', options: { budget: 'match:uniform-w4' } },
    { label: 'fixed', strategy: 'test-widest-under-budget', options: { budget: '2.5' } },
    { label: 'matches-failure', strategy: 'test-widest-under-budget', options: { budget: 'match:broken' } },
  ],
  protocol: { epochs: 2, patience: 2, seeds: [1], maxRows: 400 },
};

describe('budgets in the run matrix', () => {
  it('brings in the run a match:<strategy> budget needs and orders it first', () => {
    const specs = buildMatrix({ ...suite, strategies: [...suite.strategies].reverse().slice(1) }, getProfile('quick'), {
      strategies: ['matched'],
      seeds: [1, 2],
    });
    expect(specs.map((s) => `${s.strategy.label}:${s.seed}`)).toEqual(['uniform-w4:1', 'matched:1', 'uniform-w4:2', 'matched:2']);
  });

  it('--budget overrides every budgeted strategy, and bad budgets are one-line usage errors', () => {
    const specs = buildMatrix(suite, getProfile('quick'), { strategies: ['fixed', 'uniform-w4'], budget: '3' });
    expect(specs.map((s) => s.strategy.options.budget)).toEqual(['3', undefined]);
    expect(() => buildMatrix(suite, getProfile('quick'), { budget: 'lots' })).toThrow(
      'matched: budget must be average weight bits (e.g. 2.5) or match:<strategy>, got "lots"',
    );
    expect(() => buildMatrix(suite, getProfile('quick'), { strategies: ['matched'], budget: 'match:nothing' })).toThrow(/unknown strategy "nothing"/);
    expect(() => buildMatrix(suite, getProfile('quick'), { strategies: ['matched'], budget: 'match:matched' })).toThrow(
      'budget matches form a cycle through matched',
    );
  });

  it('resolves the budget from the matched run, records requested and target bits, and reuses the FP32 checkpoint', async () => {
    const out = mkdtempSync(join(tmpdir(), 'qatbench-budget-'));
    const cacheDir = mkdtempSync(join(tmpdir(), 'qatbench-cache-'));
    const lines: string[] = [];
    const opts = { out, resume: false, backend: 'cpu', cacheDir, log: (l: string) => lines.push(l), stream: process.stderr };
    const specs = buildMatrix({ ...suite, strategies: [...suite.strategies, { label: 'broken', strategy: 'test-broken-source' }] }, getProfile('quick'));
    const outcome = await runSuite(specs, opts);
    const byLabel = new Map(outcome.report.summary.map((row) => [row.strategy, row]));
    expect(byLabel.get('matched')).toMatchObject({ n_seeds: 1, avg_weight_bits_mean: 4, budget_bits_mean: 4 });
    expect(byLabel.get('fixed')).toMatchObject({ n_seeds: 1, avg_weight_bits_mean: 2, budget_bits_mean: 2.5 });
    expect(byLabel.get('matches-failure')).toMatchObject({ n_seeds: 0, n_failed: 1 });

    const { ResultStore } = await import('../../src/results/store.js');
    const runs = new ResultStore(out).runs();
    const matched = runs.find((r) => r.strategy === 'matched')!;
    expect(matched).toMatchObject({ init: 'pretrained', budget_requested: 'match:uniform-w4', budget_bits: 4, status: 'ok' });
    expect(JSON.parse(matched.search_info!).width).toBe(4);
    expect(runs.find((r) => r.strategy === 'uniform-w4')).toMatchObject({ init: 'scratch', budget_requested: null, search_info: null });
    expect(runs.find((r) => r.strategy === 'matches-failure')!.error).toMatch(/^budget match:broken: the matched run vod\.mlp\.broken\.s1\.\w+ is failed$/);

    // One checkpoint trained for the seed, then reused by the other pretrained runs and by a second suite run.
    expect(lines.filter((l) => l.includes('trained FP32 checkpoint'))).toHaveLength(1);
    expect(readdirSync(join(cacheDir, 'fp32'))).toHaveLength(1);
    lines.length = 0;
    await runSuite(specs, { ...opts, out: mkdtempSync(join(tmpdir(), 'qatbench-budget-')) });
    expect(lines.filter((l) => l.includes('trained FP32 checkpoint'))).toHaveLength(0);
    expect(existsSync(join(out, 'summary.arrow'))).toBe(true);
  });
});
