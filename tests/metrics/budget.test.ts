import { describe, expect, it } from 'vitest';
import { bitBudget } from '../../src/metrics/budget.js';
import { MID_RISE } from '../../src/quant/quantizers.js';
import type { LayerSpec } from '../../src/layers/layer.js';

// A 3-2-1 network: fc1 (3 inputs, 2 neurons), out (2 inputs, 1 neuron).
const layers: LayerSpec[] = [
  { name: 'fc1', fanIn: 3, fanOut: 2, activation: { width: 2, signed: false }, input: null, rowsPerSample: 1 },
  { name: 'out', fanIn: 2, fanOut: 1, activation: null, input: 0, rowsPerSample: 1 },
];

describe('bit budget, worked by hand', () => {
  it('fp32: 32 bits everywhere, compression 1', () => {
    const b = bitBudget(layers, [
      { weight: [32, 32], weightQuantizer: null, activation: [32, 32], clip: null },
      { weight: [32], weightQuantizer: null, activation: null, clip: null },
    ]);
    expect(b.avgWeightBits).toBe(32);
    expect(b.avgActivationBits).toBe(32);
    expect(b.fp32Bytes).toBe((6 + 2) * 4 + 3 * 4); // 8 weights, 3 biases
    expect(b.modelBytes).toBe(b.fp32Bytes);
    expect(b.compressionRatio).toBe(1);
    expect(b.bitops).toBe(3 * 32 * 64 + 64 * 32); // (sum input bits) x (sum weight bits) per layer
  });

  it('mixed: per-neuron weight bits weighted by fan-in, activation bits averaged over hidden neurons', () => {
    const b = bitBudget(layers, [
      { weight: [1, 4], weightQuantizer: MID_RISE, activation: [4, 8], clip: [1, 1] },
      { weight: [8], weightQuantizer: MID_RISE, activation: null, clip: null },
    ]);
    // weights: fc1 3*1 + 3*4 = 15 bits, out 2*8 = 16 bits; 31 bits over 8 weights
    expect(b.avgWeightBits).toBe(31 / 8);
    expect(b.avgActivationBits).toBe(6);
    // ceil(31 / 8) = 4 bytes of codes + 3 weight neurons and 2 activation neurons x (fp32 scale + 1-byte code) + 3 fp32 biases
    expect(b.modelBytes).toBe(4 + 5 * 5 + 12);
    expect(b.compressionRatio).toBe(44 / 41);
    // fc1: 3 float inputs x 32 bits x (1 + 4); out: (4 + 8) x 8
    expect(b.bitops).toBe(96 * 5 + 12 * 8);
  });

  it('per input row: each row width covers fan-out weights and carries its own scale', () => {
    const b = bitBudget(layers, [
      // fc1 rows at 1, 2 and 8 bits (2 weights each); neurons report the column average 11/3.
      { weight: [11 / 3, 11 / 3], weightRows: [1, 2, 8], weightQuantizer: MID_RISE, activation: [4, 4], clip: [1, 1] },
      { weight: [2], weightQuantizer: MID_RISE, activation: null, clip: null },
    ]);
    // fc1: 2 * (1 + 2 + 8) = 22 bits, out: 2 * 2 = 4 bits
    expect(b.avgWeightBits).toBe(26 / 8);
    // 4 bytes of codes + (3 rows + 2 activations + 1 out neuron) x 5 + 12 bytes of biases
    expect(b.modelBytes).toBe(4 + 6 * 5 + 12);
    // fc1: sum_i 32 * b_i * 2 = 32 * 11 * 2; out: (4 + 4) x 2
    expect(b.bitops).toBe(32 * 11 * 2 + 8 * 2);
  });

  it('a row split: rows with their own scale, the others sharing per-neuron scales', () => {
    const b = bitBudget(layers, [
      // fc1: row 0 at 8 bits with its own scale; rows 1 and 2 at 2 bits with one scale per neuron
      { weight: [4, 4], weightRows: [8, 2, 2], neuronScaledRows: [1, 2], weightQuantizer: MID_RISE, activation: [4, 4], clip: [1, 1] },
      { weight: [4], weightQuantizer: MID_RISE, activation: null, clip: null },
    ]);
    // fc1: 2 * (8 + 2 + 2) = 24 bits, out: 2 * 4 = 8 bits
    expect(b.avgWeightBits).toBe(32 / 8);
    // codes: fc1 row 0 2 x 8 + 2 neurons x 2 rows x 2 = 24 bits, out 8 bits: 4 bytes;
    // fc1: 3 row width codes + 1 row scale + 2 neurons x 5; 2 activations x 5; out 1 neuron x 5; 12 bytes of biases
    expect(b.modelBytes).toBe(4 + (3 + 4 + 10) + 10 + 5 + 12);
    // fc1: sum_i 32 * b_i * 2 = 32 * 12 * 2; out: (4 + 4) x 4
    expect(b.bitops).toBe(32 * 12 * 2 + 8 * 4);
  });

  it('ternary: 1.58 nominal bits, stored five trits to a byte', () => {
    const b = bitBudget(layers, [
      { weight: [1.58, 1.58], weightQuantizer: MID_RISE, activation: [32, 32], clip: null },
      { weight: [1.58], weightQuantizer: MID_RISE, activation: null, clip: null },
    ]);
    expect(b.avgWeightBits).toBeCloseTo(1.58, 12);
    // fc1: two columns of 3 trits = 5 bits each (27 <= 32); out: one column of 2 trits = 4 bits (9 <= 16): 14 bits
    expect(b.modelBytes).toBe(2 + 3 * 5 + 12);
  });
});
