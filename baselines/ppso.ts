import { makeRng } from '../src/rng.js';
import { averageBits, budgetExcess, budgetShortfall, lowerToBudget } from '../src/search/allocation.js';
import { FINE_TUNE_OPTIONS, fineTuneScorer } from '../src/search/fine-tune-scores.js';
import { layerWidthQuantizers } from '../src/search/layer-widths.js';
import { minimizeSwarm, SWARM_COEFFICIENTS } from '../src/search/pso.js';
import { requireBudget } from '../src/strategy/context.js';
import { number, positiveInteger } from '../src/strategy/options.js';
import { SEARCHED_WIDTH_OPTIONS } from '../src/strategy/shared-options.js';
import type { Strategy } from '../src/strategy/types.js';

const finiteNonNegative = (v: number, key: string) => (v >= 0 && Number.isFinite(v) ? undefined : `${key} must be a finite number >= 0, got ${v}`);

// 8 x 6 fine-tunes at most, each of releq's size: seconds for a quick-profile MLP (6.6 s on churn).
// penalty 10: 0.1 average bits above the budget weigh as much as all of FP32's quality.
const options = {
  ...SEARCHED_WIDTH_OPTIONS,
  particles: positiveInteger(8),
  /** Evaluations of the whole swarm, the first at the starting positions. */
  iterations: positiveInteger(12),
  ...FINE_TUNE_OPTIONS,
  /** Fitness added per average bit above the budget. */
  penalty: number(10, finiteNonNegative),
  inertia: number(SWARM_COEFFICIENTS.inertia, finiteNonNegative),
  cognitive: number(SWARM_COEFFICIENTS.cognitive, finiteNonNegative),
  social: number(SWARM_COEFFICIENTS.social, finiteNonNegative),
  /** Largest speed along a coordinate, as a fraction of that coordinate's range. */
  velocityClamp: number(SWARM_COEFFICIENTS.velocityClamp, (v, key) =>
    v > 0 && Number.isFinite(v) ? undefined : `${key} must be a finite number > 0, got ${v}`,
  ),
};

interface Scored {
  bits: number[];
  fitness: number;
  quality: number;
}

/** Fang et al.-style: a penalized particle swarm over per-layer widths; fine-tunes score the configurations; QAT with the best feasible one. */
export const ppso: Strategy<typeof options> = {
  name: 'ppso',
  summary: 'penalized particle swarm over per-layer widths: fitness = quality lost in a short QAT fine-tune + penalty x bits above the budget',
  requiresPretrained: true,
  mixedPrecision: true,
  budget: 'match:nmp-qat',
  options,
  create(o, { layers, rng, budget, probe }) {
    const target = requireBudget('ppso', budget);
    // Fail before the search rather than after it.
    const shortfall = budgetShortfall(o.bits, target);
    if (shortfall) throw new Error(shortfall);
    const widths = [...o.bits].sort((a, b) => a - b);
    const counts = layers.map((x) => x.fanIn * x.fanOut);
    const scorer = fineTuneScorer(probe, o);
    let bestFeasible: Scored | null = null;
    const fitness = (indices: number[]) => {
      const bits = indices.map((k) => widths[k]);
      const quality = scorer.score(bits);
      // A diverged fine-tune (NaN quality) has lost all quality, not crashed the search.
      const lost = Number.isFinite(quality) ? 1 - quality : 1;
      const excess = budgetExcess(averageBits(bits, counts), target);
      const value = lost + o.penalty * excess;
      if (excess === 0 && (!bestFeasible || value < bestFeasible.fitness)) bestFeasible = { bits, fitness: value, quality };
      return value;
    };
    const swarm = minimizeSwarm(fitness, { lower: layers.map(() => 0), upper: layers.map(() => widths.length - 1) }, o, makeRng(`ppso-swarm:${rng()}`));
    // The cast undoes TypeScript's narrowing to null: the fitness closure assigns it.
    const found = bestFeasible as Scored | null;
    const swarmBits = swarm.best.map((k) => widths[k]);
    const best = found ?? { bits: swarmBits, fitness: swarm.value, quality: scorer.score(swarmBits) };
    const bits = found ? found.bits : lowerToBudget(swarmBits, counts, widths, target);
    return {
      ...layerWidthQuantizers(layers, bits, o),
      searchReport: {
        optimiser: 'penalized PSO, global best, synchronous updates, positions in the index space of the sorted widths',
        particles: o.particles,
        iterations: o.iterations,
        fineTunes: scorer.fineTunes,
        bestFitnessPerIteration: swarm.history,
        bestBits: best.bits,
        bestFitness: best.fitness,
        bestQualityRatio: best.quality,
        // No feasible configuration was evaluated: the swarm's best, lowered from the last layer back.
        budgetEnforced: !found,
        bits,
        budget: target,
        averageBits: averageBits(bits, counts),
      },
    };
  },
};
