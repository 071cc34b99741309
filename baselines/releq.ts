import * as tf from '@tensorflow/tfjs';
import { UsageError } from '../src/errors.js';
import { makeRng } from '../src/rng.js';
import { averageBits, lowerToBudget } from '../src/search/allocation.js';
import { fineTuneScorer, type FineTuneSize } from '../src/search/fine-tune-scores.js';
import {
  checkPositiveIntegers,
  checkSearchedWidths,
  fixedLayerWidths,
  requireBudget,
  SEARCHED_WIDTH_DEFAULTS,
  type SearchedWidthOptions,
} from '../src/search/fixed-widths.js';
import { SoftmaxPolicy, type Step } from '../src/search/policy.js';
import type { LayerSpec } from '../src/layers/layer.js';
import type { Strategy } from '../src/strategy/types.js';

interface ReleqOptions extends SearchedWidthOptions, FineTuneSize {
  episodes: number;
  hidden: number;
  learningRate: number;
  /** The baseline is an exponential moving average of rewards with this decay. */
  baselineDecay: number;
  entropyBonus: number;
}

/** As ReLeQ: -1 below 80% of the FP32 quality, else 2((1 - x^0.6) y^(3/y) - 0.5); x = bits / max bits, y = quality ratio. */
export function releqReward(x: number, y: number): number {
  if (!(y >= 0.8)) return -1;
  return 2 * ((1 - x ** 0.6) * y ** (3 / y) - 0.5);
}

/** What the agent sees at layer l (README, "Search strategies"), every entry scaled to about [0, 1]. */
function stateAt(
  l: number,
  layers: LayerSpec[],
  current: number[],
  chosen: number[],
  counts: number[],
  quality: number,
  stds: number[],
  maxBits: number,
): number[] {
  const maxFan = Math.max(...layers.flatMap((x) => [x.fanIn, x.fanOut]));
  const soFar = chosen.length === 0 ? maxBits : averageBits(chosen, counts.slice(0, chosen.length));
  return [l / layers.length, current[l] / maxBits, soFar / maxBits, quality, layers[l].fanIn / maxFan, layers[l].fanOut / maxFan, stds[l] / Math.max(...stds)];
}

/** ReLeQ-style: a REINFORCE agent picks each layer's width; fine-tunes score the configurations; QAT with the best. */
export const releq: Strategy<ReleqOptions> = {
  name: 'releq',
  summary: 'reinforcement learning (REINFORCE with a baseline) over per-layer widths, rewarded by short QAT fine-tunes',
  mixedPrecision: true,
  requiresPretrained: true,
  defaults: {
    ...SEARCHED_WIDTH_DEFAULTS,
    episodes: 24,
    fineTuneEpochs: 2,
    fineTuneRows: 2048,
    hidden: 16,
    learningRate: 0.05,
    baselineDecay: 0.8,
    entropyBonus: 0.01,
  },
  validate(o) {
    checkSearchedWidths('releq', o);
    checkPositiveIntegers('releq', o, ['episodes', 'fineTuneEpochs', 'fineTuneRows', 'hidden']);
    if (!(o.baselineDecay >= 0 && o.baselineDecay < 1)) throw new UsageError('releq: baselineDecay must be in [0, 1)');
  },
  create(o, { layers, rng, budget, probe }) {
    const target = requireBudget('releq', budget);
    const counts = layers.map((x) => x.fanIn * x.fanOut);
    const maxBits = Math.max(...o.bits);
    const stds = layers.map((_, l) => tf.tidy(() => tf.moments(probe.kernel(l)).variance.sqrt().dataSync()[0]));
    const policy = new SoftmaxPolicy(7, o.hidden, o.bits.length, rng);
    const actionRng = makeRng(`releq-actions:${rng()}`);
    const scorer = fineTuneScorer(probe, o);

    let current = layers.map(() => maxBits);
    let quality = 1;
    let baseline: number | null = null;
    let best: { bits: number[]; reward: number; quality: number } | null = null;
    const rewards: number[] = [];
    for (let episode = 0; episode < o.episodes; episode++) {
      const steps: Step[] = [];
      const chosen: number[] = [];
      for (let l = 0; l < layers.length; l++) {
        const state = stateAt(l, layers, current, chosen, counts, quality, stds, maxBits);
        const action = policy.sample(state, actionRng);
        steps.push({ state, action });
        chosen.push(o.bits[action]);
      }
      const bits = lowerToBudget(chosen, counts, o.bits, target);
      const y = scorer.score(bits);
      // A diverged fine-tune (NaN quality) is the worst outcome, not a crash.
      const reward = Number.isFinite(y) ? releqReward(averageBits(bits, counts) / maxBits, y) : -1;
      rewards.push(reward);
      baseline ??= reward;
      policy.update(steps, reward - baseline, o.entropyBonus, o.learningRate);
      baseline = o.baselineDecay * baseline + (1 - o.baselineDecay) * reward;
      if (!best || reward > best.reward) best = { bits, reward, quality: y };
      current = bits;
      quality = Number.isFinite(y) ? y : 0;
    }
    const quantizers = fixedLayerWidths(layers, best!.bits, o);
    return {
      ...quantizers,
      searchReport: {
        agent: 'REINFORCE with a moving-average baseline, undiscounted terminal reward',
        episodes: o.episodes,
        fineTunes: scorer.fineTunes,
        rewards,
        bestBits: best!.bits,
        bestReward: best!.reward,
        bestQualityRatio: best!.quality,
        budget: target,
        averageBits: averageBits(best!.bits, counts),
      },
    };
  },
};
