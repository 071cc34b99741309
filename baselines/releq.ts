import * as tf from '@tensorflow/tfjs';
import { makeRng } from '../src/rng.js';
import { averageBits, lowerToBudget } from '../src/search/allocation.js';
import { FINE_TUNE_OPTIONS, fineTuneScorer } from '../src/search/fine-tune-scores.js';
import { layerWidthQuantizers } from '../src/search/layer-widths.js';
import { SoftmaxPolicy, type Step } from '../src/search/policy.js';
import type { LayerSpec } from '../src/layers/layer.js';
import { requireBudget } from '../src/strategy/context.js';
import { number, positiveInteger } from '../src/strategy/options.js';
import { SEARCHED_WIDTH_OPTIONS } from '../src/strategy/shared-options.js';
import type { Strategy } from '../src/strategy/types.js';

const options = {
  ...SEARCHED_WIDTH_OPTIONS,
  episodes: positiveInteger(24),
  ...FINE_TUNE_OPTIONS,
  hidden: positiveInteger(16),
  learningRate: number(0.05),
  /** The baseline is an exponential moving average of rewards with this decay. */
  baselineDecay: number(0.8, (v) => (v >= 0 && v < 1 ? undefined : 'baselineDecay must be in [0, 1)')),
  entropyBonus: number(0.01),
};

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
export const releq: Strategy<typeof options> = {
  name: 'releq',
  summary: 'reinforcement learning (REINFORCE with a baseline) over per-layer widths, rewarded by short QAT fine-tunes',
  mixedPrecision: true,
  requiresPretrained: true,
  budget: 'match:nmp-qat',
  options,
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
    const quantizers = layerWidthQuantizers(layers, best!.bits, o);
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
