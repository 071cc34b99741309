import { normal, type Rng } from '../rng.js';

/** One decision of an episode: what the agent saw and what it chose. */
export interface Step {
  state: number[];
  action: number;
}

/**
 * A small policy network, state -> tanh hidden layer -> softmax over actions, trained by
 * REINFORCE with a baseline: gradient ascent on advantage * log pi(a|s) + entropyBonus * H(pi(.|s)).
 * Plain arrays with hand-written gradients: tiny, seeded, and identical on every backend.
 */
export class SoftmaxPolicy {
  readonly w1: number[][];
  readonly b1: number[];
  readonly w2: number[][];
  readonly b2: number[];

  constructor(inputs: number, hidden: number, actions: number, rng: Rng) {
    const init = (rows: number, cols: number) => Array.from({ length: rows }, () => Array.from({ length: cols }, () => normal(rng) / Math.sqrt(cols)));
    this.w1 = init(hidden, inputs);
    this.b1 = new Array(hidden).fill(0);
    this.w2 = init(actions, hidden);
    this.b2 = new Array(actions).fill(0);
  }

  private forward(state: number[]): { h: number[]; p: number[] } {
    const h = this.w1.map((row, j) => Math.tanh(row.reduce((s, w, i) => s + w * state[i], this.b1[j])));
    const z = this.w2.map((row, k) => row.reduce((s, w, j) => s + w * h[j], this.b2[k]));
    const top = Math.max(...z);
    const e = z.map((v) => Math.exp(v - top));
    const total = e.reduce((a, b) => a + b, 0);
    return { h, p: e.map((v) => v / total) };
  }

  probabilities(state: number[]): number[] {
    return this.forward(state).p;
  }

  sample(state: number[], rng: Rng): number {
    const p = this.probabilities(state);
    let u = rng();
    for (let k = 0; k < p.length - 1; k++) {
      u -= p[k];
      if (u < 0) return k;
    }
    return p.length - 1;
  }

  /** The objective the update ascends, for one step (exposed so that tests can check the gradient). */
  objective(step: Step, advantage: number, entropyBonus: number): number {
    const { p } = this.forward(step.state);
    const entropy = -p.reduce((s, v) => s + (v > 0 ? v * Math.log(v) : 0), 0);
    return advantage * Math.log(p[step.action]) + entropyBonus * entropy;
  }

  /** One gradient-ascent step on the summed objective of an episode's steps. */
  update(steps: Step[], advantage: number, entropyBonus: number, learningRate: number): void {
    const grads = steps.map((step) => this.gradient(step, advantage, entropyBonus));
    for (const g of grads) {
      this.w1.forEach((row, j) => row.forEach((_, i) => (row[i] += learningRate * g.w1[j][i])));
      this.b1.forEach((_, j) => (this.b1[j] += learningRate * g.b1[j]));
      this.w2.forEach((row, k) => row.forEach((_, j) => (row[j] += learningRate * g.w2[k][j])));
      this.b2.forEach((_, k) => (this.b2[k] += learningRate * g.b2[k]));
    }
  }

  /** d objective / d parameters, by backpropagation through softmax, the output layer and tanh. */
  gradient(step: Step, advantage: number, entropyBonus: number): { w1: number[][]; b1: number[]; w2: number[][]; b2: number[] } {
    const { h, p } = this.forward(step.state);
    const logP = p.map((v) => Math.log(Math.max(v, 1e-300)));
    const entropy = -p.reduce((s, v, k) => s + v * logP[k], 0);
    // d log p_a / dz_k = [k = a] - p_k;  dH / dz_k = -p_k (log p_k + H).
    const dz = p.map((pk, k) => advantage * ((k === step.action ? 1 : 0) - pk) - entropyBonus * pk * (logP[k] + entropy));
    const dh = h.map((_, j) => this.w2.reduce((s, row, k) => s + row[j] * dz[k], 0));
    const dPre = dh.map((v, j) => v * (1 - h[j] * h[j]));
    return {
      w1: dPre.map((d) => step.state.map((s) => d * s)),
      b1: dPre,
      w2: dz.map((d) => h.map((hj) => d * hj)),
      b2: dz,
    };
  }
}
