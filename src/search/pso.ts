import type { Rng } from '../rng.js';

/** The velocity update v <- inertia v + cognitive r1 (personal best - x) + social r2 (swarm best - x), r1, r2 ~ U[0, 1). */
export interface SwarmCoefficients {
  inertia: number;
  cognitive: number;
  social: number;
  /** Largest speed along a coordinate, as a fraction of that coordinate's range. */
  velocityClamp: number;
}

export interface SwarmOptions extends SwarmCoefficients {
  particles: number;
  /** Evaluations of the whole swarm, the first at the starting positions. */
  iterations: number;
}

export const SWARM_COEFFICIENTS: SwarmCoefficients = {
  // Clerc and Kennedy's (2002) constriction coefficients (0.7298, 1.4962, 1.4962), rounded as textbooks quote them.
  inertia: 0.7,
  cognitive: 1.5,
  social: 1.5,
  // Textbooks clamp at 0.1 to 1 times the range; half lets a particle cross a short range (4 widths) in two steps,
  // which a search of a few iterations needs.
  velocityClamp: 0.5,
};

export interface SwarmResult {
  /** The best point evaluated and its value. */
  best: number[];
  value: number;
  /** The swarm's best value after each iteration. */
  history: number[];
}

interface Particle {
  x: number[];
  v: number[];
  best: number[];
  bestValue: number;
}

const clamp = (value: number, lo: number, hi: number) => Math.min(hi, Math.max(lo, value));

/** One velocity and position step; a particle leaving the box stops at its wall along that coordinate. */
function move(p: Particle, guide: number[], o: SwarmOptions, vmax: number[], lower: number[], upper: number[], rng: Rng): void {
  const v = p.x.map((x, i) => clamp(o.inertia * p.v[i] + o.cognitive * rng() * (p.best[i] - x) + o.social * rng() * (guide[i] - x), -vmax[i], vmax[i]));
  const free = p.x.map((x, i) => x + v[i]);
  p.x = free.map((x, i) => clamp(x, lower[i], upper[i]));
  p.v = v.map((vi, i) => (p.x[i] === free[i] ? vi : 0));
}

/** The nearest integer point; `|| 0` turns -0 into 0, so that equal points compare and print equal. */
const nearest = (x: number[]) => x.map((xi) => Math.round(xi) || 0);

/**
 * Minimises f over integer vectors with lower <= x <= upper by particle swarm optimisation with a
 * global-best topology and synchronous updates: positions and velocities are continuous, and f sees
 * each position rounded to the nearest integer. A NaN value is never a best.
 */
export function minimizeSwarm(f: (x: number[]) => number, bounds: { lower: number[]; upper: number[] }, o: SwarmOptions, rng: Rng): SwarmResult {
  const { lower, upper } = bounds;
  const vmax = lower.map((lo, i) => o.velocityClamp * (upper[i] - lo));
  // Integer starts drawn uniformly, so that the end values are as likely as the others; velocities start at
  // zero, as Engelbrecht (2012) recommends, so that no particle leaves the box on its first step.
  const particles: Particle[] = Array.from({ length: o.particles }, () => {
    const x = lower.map((lo, i) => lo + Math.floor(rng() * (upper[i] - lo + 1)));
    return { x, v: x.map(() => 0), best: x, bestValue: Number.POSITIVE_INFINITY };
  });
  let swarmBest = { x: particles[0].x, value: Number.POSITIVE_INFINITY };
  const history: number[] = [];
  for (let iteration = 0; iteration < o.iterations; iteration++) {
    if (iteration > 0) for (const p of particles) move(p, swarmBest.x, o, vmax, lower, upper, rng);
    for (const p of particles) {
      const value = f(nearest(p.x));
      if (value < p.bestValue) [p.best, p.bestValue] = [p.x, value];
    }
    for (const p of particles) if (p.bestValue < swarmBest.value) swarmBest = { x: p.best, value: p.bestValue };
    history.push(swarmBest.value);
  }
  return { best: nearest(swarmBest.x), value: swarmBest.value, history };
}
