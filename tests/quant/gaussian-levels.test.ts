import { describe, expect, it } from 'vitest';
import { GAUSSIAN_OUTER_LEVEL } from '../../src/quant/gaussian-levels.js';

/** Mean squared error of the 2^b-level mid-rise quantizer with this step on N(0, 1), by the midpoint rule on [-12, 12]. */
function gaussianDistortion(bits: number, step: number): number {
  const n = 2 ** (bits - 1);
  const dx = 1e-3;
  let sum = 0;
  for (let x = -12 + dx / 2; x < 12; x += dx) {
    const q = (Math.min(Math.max(Math.floor(x / step), -n), n - 1) + 0.5) * step;
    sum += (x - q) ** 2 * Math.exp((-x * x) / 2);
  }
  return (sum * dx) / Math.sqrt(2 * Math.PI);
}

describe('Gaussian-optimal outer levels', () => {
  it("match Max's (1960) published optimal steps for 2, 4, 8, 16 and 32 levels", () => {
    const maxSteps = [1.596, 0.9957, 0.586, 0.3352, 0.1881];
    maxSteps.forEach((step, i) => {
      const bits = i + 1;
      expect(GAUSSIAN_OUTER_LEVEL[bits] / (2 ** (bits - 1) - 0.5)).toBeCloseTo(step, 3);
    });
  });

  it.each([1, 2, 3, 4, 6])('b = %i: the tabled step minimises the distortion computed here (a 0.5%% change of step costs more)', (bits) => {
    const step = GAUSSIAN_OUTER_LEVEL[bits] / (2 ** (bits - 1) - 0.5);
    const at = gaussianDistortion(bits, step);
    expect(gaussianDistortion(bits, step * 1.005)).toBeGreaterThan(at);
    expect(gaussianDistortion(bits, step * 0.995)).toBeGreaterThan(at);
  });

  it('grow with the width', () => {
    const levels = GAUSSIAN_OUTER_LEVEL.slice(1);
    expect(levels).toHaveLength(16);
    levels.slice(1).forEach((v, i) => expect(v).toBeGreaterThan(levels[i]));
  });
});
