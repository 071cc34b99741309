import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { releqReward } from '../../baselines/releq.js';
import { bitBudget } from '../../src/metrics/budget.js';
import { mlp } from '../../src/model/mlp.js';
import type { Model } from '../../src/model/types.js';
import { floatQuantizers } from '../../src/precision/precision-quantizers.js';
import { makeRng } from '../../src/rng.js';
import { averageBits, lowerToBudget } from '../../src/search/allocation.js';
import { qualityRatio } from '../../src/search/fine-tune-scores.js';
import { getStrategy, resolveStrategyOptions } from '../../src/strategy/registry.js';
import type { ModelProbe } from '../../src/strategy/types.js';
import type { QuantizerSet } from '../../src/layers/quantizer-set.js';
import { train } from '../../src/train/trainer.js';
import { probeFor, syntheticDataset } from '../helpers.js';

const data = syntheticDataset(400, 6);
const build = () => mlp.create({ depth: 2, width: 8 }, 6, 3, makeRng('searched'));
let model: Model;
let probe: ModelProbe & { dispose(): void };

beforeAll(() => {
  // A briefly trained FP32 model, as a pretrained run starts from.
  model = build();
  const q = floatQuantizers(model.layers);
  train(
    model,
    q,
    data,
    { optimizer: 'adam', learningRate: 0.01, momentum: 0, epochs: 4, patience: 4, batchSize: 64, calibrationRows: 64 },
    makeRng('pretrain'),
  );
  probe = probeFor(model, data, 1, build);
});
afterAll(() => {
  probe.dispose();
  model.dispose();
});

const SMALL: Record<string, Record<string, string | number>> = {
  hawq: { maxIter: 8 },
  'channel-wise': { calibrationRows: 200 },
  releq: { episodes: 6, fineTuneEpochs: 1, fineTuneRows: 200 },
  ppso: { particles: 4, iterations: 3, fineTuneEpochs: 1, fineTuneRows: 200 },
  // Low-bit rows at 1 bit, so that the budgets below leave room for weak rows at 16.
  owq: { calibrationRows: 200, baseBits: 1 },
};

function search(name: string, budget: number, seed: string, options: Record<string, string | number> = {}): QuantizerSet {
  const strategy = getStrategy(name);
  return strategy.create(resolveStrategyOptions(strategy, { ...SMALL[name], ...options }), { layers: model.layers, rng: makeRng(seed), budget, probe });
}

describe.each(['hawq', 'channel-wise', 'releq', 'ppso', 'owq'])('%s', (name) => {
  it('chooses widths within the budget, and reports the average it reached', () => {
    for (const budget of [1.5, 3]) {
      const q = search(name, budget, 'a');
      const reached = bitBudget(model.layers, q.bits()).avgWeightBits;
      expect(reached).toBeLessThanOrEqual(budget + 1e-9);
      expect(q.searchReport?.averageBits).toBeCloseTo(reached, 9);
      q.dispose();
    }
  });

  it('finds the same configuration with the same seed', () => {
    const [first, second] = [search(name, 2.5, 'same'), search(name, 2.5, 'same')];
    expect(JSON.stringify(second.searchReport)).toBe(JSON.stringify(first.searchReport));
    expect(second.bits()).toEqual(first.bits());
    first.dispose();
    second.dispose();
  });

  it('refuses a budget below its lowest width with a one-line error', () => {
    expect(() => search(name, 0.5, 'a')).toThrow(/budget 0\.500 average bits is below the lowest width 1/);
  });
});

describe('ReLeQ reward and budget rule', () => {
  it('matches hand-computed rewards', () => {
    // 2((1 - x^0.6) y^(3/y) - 0.5): x = 0.25, y = 1 -> 0.25^0.6 = 0.435275
    expect(releqReward(0.25, 1)).toBeCloseTo(2 * (1 - 0.435275 - 0.5), 5);
    // x = 0.5, y = 0.9: 0.5^0.6 = 0.659754, 0.9^(3/0.9) = 0.703842
    expect(releqReward(0.5, 0.9)).toBeCloseTo(2 * ((1 - 0.659754) * 0.703842 - 0.5), 5);
    // y = 0.8 is still rewarded: x = 0.125 -> 0.125^0.6 = 0.287175, 0.8^3.75 = 0.433099
    expect(releqReward(0.125, 0.8)).toBeCloseTo(2 * ((1 - 0.287175) * 0.433099 - 0.5), 5);
    expect(releqReward(0.125, 0.79)).toBe(-1);
    expect(releqReward(0.125, Number.NaN)).toBe(-1);
  });

  it('measures quality against FP32 as accuracy ratio or inverse error ratio', () => {
    expect(qualityRatio(0.45, { metric: 0.9, higherIsBetter: true })).toBeCloseTo(0.5, 12);
    expect(qualityRatio(4, { metric: 2, higherIsBetter: false })).toBeCloseTo(0.5, 12);
  });

  it('lowers widths from the last layer back until the budget holds', () => {
    expect(lowerToBudget([8, 8, 8], [10, 10, 10], [1, 2, 4, 8], 6)).toEqual([8, 8, 2]);
    // The last two layers reach 1 bit (average 3.33) before the first is lowered to 4.
    expect(lowerToBudget([8, 8, 8], [10, 10, 10], [1, 2, 4, 8], 3)).toEqual([4, 1, 1]);
    expect(lowerToBudget([2, 4, 1], [10, 10, 10], [1, 2, 4, 8], 8)).toEqual([2, 4, 1]);
  });
});

describe('PPSO search report', () => {
  const counts = () => model.layers.map((l) => l.fanIn * l.fanOut);

  it('records the swarm, its fine-tunes and a best feasible configuration', () => {
    const q = search('ppso', 3, 'report');
    const r = q.searchReport as Record<string, unknown> & { bestFitnessPerIteration: number[]; bestBits: number[]; bits: number[] };
    expect(r).toMatchObject({ particles: 4, iterations: 3, budgetEnforced: false, budget: 3 });
    expect(r.fineTunes).toBeGreaterThanOrEqual(1);
    expect(r.fineTunes).toBeLessThanOrEqual(4 * 3);
    expect(r.bestFitnessPerIteration).toHaveLength(3);
    r.bestFitnessPerIteration.slice(1).forEach((v, i) => expect(v).toBeLessThanOrEqual(r.bestFitnessPerIteration[i]));
    // Within the budget, fitness is the quality lost and nothing more.
    expect(r.bits).toEqual(r.bestBits);
    expect(r.bestFitness).toBeCloseTo(1 - (r.bestQualityRatio as number), 12);
    q.dispose();
  });

  it('lowers the best configuration to the budget when the swarm evaluated none within it', () => {
    // One particle evaluated once: at a budget of 1 bit only all layers at 1 bit is feasible, and this seed's particle starts elsewhere.
    const q = search('ppso', 1, 'infeasible', { particles: 1, iterations: 1 });
    const r = q.searchReport as Record<string, unknown> & { bestBits: number[]; bits: number[] };
    expect(r.budgetEnforced).toBe(true);
    expect(averageBits(r.bestBits, counts())).toBeGreaterThan(1);
    expect(r.bits).toEqual(lowerToBudget(r.bestBits, counts(), [1, 2, 4, 8], 1));
    expect(r.fineTunes).toBe(1);
    q.dispose();
  });
});
