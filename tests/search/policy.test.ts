import { describe, expect, it } from 'vitest';
import { makeRng } from '../../src/rng.js';
import { SoftmaxPolicy } from '../../src/search/policy.js';

describe('REINFORCE policy', () => {
  it('its gradient matches central finite differences of its objective', () => {
    const policy = new SoftmaxPolicy(3, 4, 3, makeRng('policy'));
    const step = { state: [0.3, -0.7, 0.5], action: 2 };
    const [advantage, entropyBonus] = [0.8, 0.05];
    const analytic = policy.gradient(step, advantage, entropyBonus);
    const h = 1e-6;
    const check = (params: number[][] | number[], grads: number[][] | number[]) => {
      const rows = (Array.isArray(params[0]) ? params : [params]) as number[][];
      const gRows = (Array.isArray(grads[0]) ? grads : [grads]) as number[][];
      rows.forEach((row, r) =>
        row.forEach((value, c) => {
          row[c] = value + h;
          const up = policy.objective(step, advantage, entropyBonus);
          row[c] = value - h;
          const down = policy.objective(step, advantage, entropyBonus);
          row[c] = value;
          expect(gRows[r][c]).toBeCloseTo((up - down) / (2 * h), 6);
        }),
      );
    };
    check(policy.w1, analytic.w1);
    check(policy.b1, analytic.b1);
    check(policy.w2, analytic.w2);
    check(policy.b2, analytic.b2);
  });

  it('learns a two-armed bandit: the rewarded action becomes the likely one', () => {
    const policy = new SoftmaxPolicy(1, 4, 2, makeRng('bandit'));
    const rng = makeRng('bandit-actions');
    let baseline = 0;
    for (let episode = 0; episode < 300; episode++) {
      const action = policy.sample([1], rng);
      const reward = action === 1 ? 1 : 0;
      policy.update([{ state: [1], action }], reward - baseline, 0, 0.1);
      baseline = 0.9 * baseline + 0.1 * reward;
    }
    expect(policy.probabilities([1])[1]).toBeGreaterThan(0.9);
  });
});
