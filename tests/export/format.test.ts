import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import * as tf from '@tensorflow/tfjs';
import { describe, expect, it } from 'vitest';
import type { PreparedDataset } from '../../src/data/types.js';
import { UsageError } from '../../src/errors.js';
import { decodeDenseLayers } from '../../src/infer/dense.js';
import { fixedPointDots, planFixedPoint } from '../../src/infer/fixed-point.js';
import { float32Bytes, NEURON_SCALED_ROW, payloadBytes, type QnnHeader, type QnnModel } from '../../src/infer/format.js';
import { inferOutputs, scoreCsv } from '../../src/infer/predict.js';
import { readQnn, writeQnn } from '../../src/infer/qnn-file.js';
import { mlp } from '../../src/model/mlp.js';
import { discreteQuantizers } from '../../src/precision/discrete-quantizers.js';
import { MID_RISE, SYMMETRIC_MAX, type WeightQuantizer } from '../../src/quant/quantizers.js';
import { makeRng } from '../../src/rng.js';
import { bitBudget } from '../../src/metrics/budget.js';
import type { LayerBits, LayerSpec } from '../../src/layers/layer.js';
import { syntheticDataset } from '../helpers.js';
import { exportModel } from './helpers.js';

const dir = () => mkdtempSync(join(tmpdir(), 'qb-qnn-'));

/** fc1's kernel [in, out], out's kernel, fc1's bias, out's bias. */
type HandWeights = [number[][], number[][], number[], number[]];

// fc1 columns: neuron 0 (0.7, -0.2) at 4 bits, neuron 1 (-1, 0.5) at 1 bit; out column (2, -1.5) at 2 bits
const SYMMETRIC_WEIGHTS: HandWeights = [
  [
    [0.7, -1],
    [-0.2, 0.5],
  ],
  [[2], [-1.5]],
  [0.1, 0.2],
  [0.25],
];
// The same widths with columns on mid-rise grids: (1.5, -0.7) = 0.1 x (15, -7), (1.5, -0.5) = 0.5 x (3, -1)
const MID_RISE_WEIGHTS: HandWeights = [
  [
    [1.5, -1],
    [-0.7, 0.5],
  ],
  [[1.5], [-0.5]],
  [0.3, 0.2],
  [0.25],
];

/** A 2-2-1 MLP worked by hand; the features are used as they are (identity preprocessing). */
function handModel(bits: LayerBits[], weights: HandWeights = SYMMETRIC_WEIGHTS): QnnModel {
  const model = mlp.create({ depth: 1, width: 2 }, 2, 1, makeRng(1));
  weights.forEach((v, i) => model.variables[i].assign(tf.tensor(v)));
  const data: PreparedDataset = {
    ...syntheticDataset(10, 2),
    task: 'regression',
    classes: [],
    targetScale: { mean: 0, std: 1 },
  };
  return exportModel(model, discreteQuantizers(bits), {
    ...data,
    featureNames: ['f0', 'f1'],
    preprocessing: { missing: [], transforms: data.preprocessing.transforms.slice(0, 2) },
  });
}

const handBits = (weightQuantizer: WeightQuantizer): LayerBits[] => [
  { weight: [4, 1], weightQuantizer, activation: [2, 2], clip: [1.5, 3] },
  { weight: [2], weightQuantizer, activation: null, clip: null },
];
const HAND_BITS = handBits(SYMMETRIC_MAX);
const midRiseHandModel = () => handModel(handBits(MID_RISE), MID_RISE_WEIGHTS);

describe('export format, worked by hand', () => {
  it('stores codes, scales, widths, clips and biases, and infers with integers (symmetric-max)', () => {
    const qnn = handModel(HAND_BITS);
    expect(qnn.header.layers.map((l) => l.weightFamily)).toEqual(['symmetric-max', 'symmetric-max']);
    const [fc1, out] = decodeDenseLayers(qnn);
    // 4 bits: step 0.7 / 7 = 0.1, codes 7, -2; 1 bit: scale mean|w| = 0.75, codes -1, +1
    expect([...fc1.quantized!.codes]).toEqual([7, -2, -1, 1]);
    expect([...fc1.quantized!.scales].map((s) => +s.toFixed(6))).toEqual([0.1, 0.75]);
    // 2-bit activations: steps 1.5 / 3 = 0.5 and 3 / 3 = 1
    expect([...fc1.activation!.steps]).toEqual([0.5, 1]);
    // out, 2 bits: n = 1, step max|w| = 2, codes 1, round(-0.75) = -1
    expect([...out.quantized!.codes]).toEqual([1, -1]);
    expect([...out.quantized!.scales]).toEqual([2]);
    // x = (1, 2): fc1 = (0.1 (7 - 4) + 0.1, 0.75 (-1 + 2) + 0.2) = (0.4, 0.95) -> codes (round 0.8, round 0.95) = (1, 1)
    // out: steps 0.5 = 1 * 2^-1 and 1 = 2 * 2^-1, so k = 1 and the multipliers are (1, 2):
    //      2 * 2^-1 * (1 * 1 * 1 + 2 * 1 * -1) + 0.25 = -0.75
    expect(inferOutputs(qnn, Float32Array.of(1, 2), 1)[0]).toBeCloseTo(-0.75, 6);
    // weight stream: 2 x 4 + 2 x 1 + 2 x 2 = 14 bits = 2 bytes; 3 weight neurons and 2 activations x 5 bytes; 3 biases x 4
    expect(payloadBytes(qnn)).toBe(2 + 25 + 12);
    expect(Object.keys(qnn.sections)).toEqual([
      'weight_codes',
      'fc1.weight_bits',
      'fc1.weight_scales',
      'fc1.activation_bits',
      'fc1.activation_clips',
      'fc1.bias',
      'out.weight_bits',
      'out.weight_scales',
      'out.bias',
    ]);
  });

  it('stores mid-rise codes c = 2k + 1 as k with half the step as scale, and infers with the odd codes', () => {
    const qnn = midRiseHandModel();
    expect(qnn.header.layers.map((l) => l.weightFamily)).toEqual(['mid-rise', 'mid-rise']);
    const [fc1, out] = decodeDenseLayers(qnn);
    // 4 bits: the start at the column's max, step 1.5 / 7.5 = 0.2, gives codes 15, -7 and
    // h = (1.5 x 15 + 0.7 x 7) / (15^2 + 7^2) = 0.1 with no error (no other odd pair within ±15 has the ratio);
    // 1 bit as in symmetric-max: h = mean|w| = 0.75, codes -1, +1
    expect([...fc1.quantized!.codes]).toEqual([15, -7, -1, 1]);
    expect([...fc1.quantized!.scales].map((s) => +s.toFixed(6))).toEqual([0.1, 0.75]);
    // out, 2 bits (codes -3, -1, 1, 3): (1.5, -0.5) = 0.5 x (3, -1)
    expect([...out.quantized!.codes]).toEqual([3, -1]);
    expect([...out.quantized!.scales]).toEqual([0.5]);
    // the stream, least significant bit first: k = 7 (0111) and -4 (1100); 1 bit: 0, 1; k = 1 (01) and -1 (11)
    expect([...qnn.sections.weight_codes]).toEqual([0b1100_0111, 0b11_01_1_0]);
    // x = (1, 2): fc1 = (0.1 (15 - 14) + 0.3, 0.75 (-1 + 2) + 0.2) = (0.4, 0.95) -> codes (round 0.8, round 0.95) = (1, 1)
    // out: multipliers (1, 2) and k = 1 as above: 0.5 * 2^-1 * (1 * 1 * 3 + 2 * 1 * -1) + 0.25 = 0.5
    expect(inferOutputs(qnn, Float32Array.of(1, 2), 1)[0]).toBeCloseTo(0.5, 6);
    // b bits a weight in both families: the same bytes
    expect(payloadBytes(qnn)).toBe(2 + 25 + 12);
  });

  // x = 0: fc1 = its bias: symmetric-max (0.1, 0.2) -> codes (0, 0) -> out = 0.25;
  // mid-rise (0.3, 0.2) -> codes (round 0.6, round 0.2) = (1, 0) -> out = 0.5 x 2^-1 x (1 x 1 x 3) + 0.25 = 1
  it.each([
    ['symmetric-max', () => handModel(HAND_BITS), -0.75, 0.25],
    ['mid-rise', midRiseHandModel, 0.5, 1],
  ])('%s: round-trips through JSON and Arrow files, and scores a CSV of raw rows', async (_, build, atOneTwo, atZero) => {
    const qnn = build();
    const d = dir();
    for (const name of ['m.qnn.json', 'm.qnn.arrow']) {
      writeQnn(join(d, name), qnn);
      expect(readQnn(join(d, name))).toEqual(qnn);
    }
    writeFileSync(join(d, 'rows.csv'), 'f1,id,f0\n2,a,1\n0,b,0\n');
    const predictions = await scoreCsv(readQnn(join(d, 'm.qnn.arrow')), join(d, 'rows.csv'));
    expect(predictions[0]).toBeCloseTo(atOneTwo, 6);
    expect(predictions[1]).toBeCloseTo(atZero, 6);
  });

  it('reads a version-1 file (no weightFamily) as symmetric-max', () => {
    const qnn = handModel(HAND_BITS);
    const layers = qnn.header.layers.map(({ weightFamily, ...v1 }) => v1);
    const file = join(dir(), 'v1.qnn.json');
    writeQnn(file, { header: { ...qnn.header, version: 1, layers } as QnnHeader, sections: qnn.sections });
    const read = readQnn(file);
    expect(read).toEqual(qnn);
    expect(inferOutputs(read, Float32Array.of(1, 2), 1)[0]).toBeCloseTo(-0.75, 6);
  });

  it('names the problem with a file or a row in one line', async () => {
    const d = dir();
    const qnn = handModel(HAND_BITS);
    expect(() => writeQnn(join(d, 'm.bin'), qnn)).toThrow(new UsageError(`${join(d, 'm.bin')}: a model file ends in .json or .arrow (e.g. model.qnn.json)`));
    expect(() => readQnn(join(d, 'none.json'))).toThrow(`${join(d, 'none.json')}: model file not found`);
    writeFileSync(join(d, 'x.json'), '{"header": {"format": "other"}, "sections": {}}');
    expect(() => readQnn(join(d, 'x.json'))).toThrow(/not a qatbench model export/);
    writeFileSync(join(d, 'y.json'), '{ not json');
    expect(() => readQnn(join(d, 'y.json'))).toThrow(/not a readable json model file/);
    writeFileSync(join(d, 'v.json'), JSON.stringify({ header: { ...qnn.header, version: 9 }, sections: {} }));
    expect(() => readQnn(join(d, 'v.json'))).toThrow(/model format version 9; this qatbench reads versions 1, 2 and 3/);
    const noFamily = { ...qnn, header: { ...qnn.header, layers: qnn.header.layers.map((l) => ({ ...l, weightFamily: null })) } };
    expect(() => inferOutputs(noFamily, Float32Array.of(1, 2), 1)).toThrow('layer fc1: weight family null is not one of mid-rise, symmetric-max');
    const short = { ...qnn, sections: { ...qnn.sections, 'fc1.weight_scales': new Uint8Array(4) } };
    expect(() => inferOutputs(short, Float32Array.of(1, 2), 1)).toThrow('section fc1.weight_scales has 4 bytes, expected 8');
    const nanClip = { ...qnn, sections: { ...qnn.sections, 'fc1.activation_clips': float32Bytes([1, NaN]) } };
    expect(() => inferOutputs(nanClip, Float32Array.of(1, 2), 1)).toThrow('layer fc1: clip level NaN is not a positive number');
    writeFileSync(join(d, 'bad.csv'), 'f0,f1\n1,2\n3,x\n');
    await expect(scoreCsv(qnn, join(d, 'bad.csv'))).rejects.toThrow(`${join(d, 'bad.csv')}: row 2, column "f1": "x" is not a number`);
    writeFileSync(join(d, 'cols.csv'), 'f0\n1\n');
    await expect(scoreCsv(qnn, join(d, 'cols.csv'))).rejects.toThrow('missing required column(s): f1');
  });

  it('refuses what the format cannot hold, instead of writing wrong numbers', () => {
    expect(() => handModel([{ ...HAND_BITS[0], weight: [32, 4] }, HAND_BITS[1]])).toThrow(
      'layer fc1 mixes float and quantized weight widths; the export format needs one or the other per layer',
    );
    expect(() => handModel([{ ...HAND_BITS[0], weightRows: [32, 4] }, HAND_BITS[1]])).toThrow('layer fc1 mixes float and quantized weight widths');
  });
});

describe('per-row widths (version 3), worked by hand', () => {
  // fc1: every row its own scale (channel-wise): row 0 (0.7, 1) at 4 bits, row 1 (-0.2, 0.5) at 1 bit.
  // out: row 0 (2) with its own scale at 2 bits, row 1 (-1.5) with the neuron's scale at 2 bits (OWQ's split).
  const ROW_WEIGHTS: HandWeights = [
    [
      [0.7, 1],
      [-0.2, 0.5],
    ],
    [[2], [-1.5]],
    [0.1, 0.2],
    [0.25],
  ];
  const ROW_BITS: LayerBits[] = [
    { weight: [2.5, 2.5], weightRows: [4, 1], weightQuantizer: SYMMETRIC_MAX, activation: [2, 2], clip: [1.5, 3] },
    { weight: [2], weightRows: [2, 2], neuronScaledRows: [1], weightQuantizer: SYMMETRIC_MAX, activation: null, clip: null },
  ];

  it('stores rows with their own scale row by row, then neuron-scaled rows neuron by neuron, and infers', () => {
    const qnn = handModel(ROW_BITS, ROW_WEIGHTS);
    expect(qnn.header.version).toBe(3);
    expect(qnn.header.layers.map((l) => l.weightRows)).toEqual([true, true]);
    const [fc1, out] = decodeDenseLayers(qnn);
    // fc1 row 0, 4 bits: step 1 / 7, codes round(4.9) = 5, 7; row 1, 1 bit: scale mean|w| = 0.35, codes -1, +1
    expect(fc1.quantized).toBeNull();
    expect(fc1.rows!.index).toEqual([0, 1]);
    expect([...fc1.rows!.codes]).toEqual([5, 7, -1, 1]);
    expect([...fc1.rows!.scales].map((v) => +v.toFixed(6))).toEqual([+(1 / 7).toFixed(6), 0.35]);
    // out row 0 (own): step 2, code 1; row 1 with the neuron's scale: step 1.5, code -1 (row 0's code is 0 there)
    expect(out.rows!.index).toEqual([0]);
    expect([...out.rows!.codes, ...out.rows!.scales]).toEqual([1, 2]);
    expect([...out.quantized!.codes, ...out.quantized!.scales]).toEqual([0, -1, 1.5]);
    // the stream, least significant bit first: 5 (0101) and 7 (0111); 1 bit 0, 1; out's row 0: 1 (01), neuron 0: -1 (11)
    expect([...qnn.sections.weight_codes]).toEqual([0b0111_0101, 0b11_01_1_0]);
    expect([...qnn.sections['fc1.row_bits'], ...qnn.sections['out.row_bits']]).toEqual([4, 1, 2, NEURON_SCALED_ROW]);
    // x = (1, 2): fc1 = (5/7 - 0.7 + 0.1, 1 + 0.7 + 0.2) = (0.114, 1.9) -> codes (round 0.229, round 1.9) = (0, 2)
    //   out = 0 x 2 x 1 + (2 x 1) x 1.5 x -1 + 0.25 = -2.75
    // x = (2, 1): fc1 = (10/7 - 0.35 + 0.1, 2 + 0.35 + 0.2) = (1.179, 2.55) -> codes (round 2.357, round 2.55) = (2, 3)
    //   out = (2 x 0.5) x 2 x 1 + (3 x 1) x 1.5 x -1 + 0.25 = -2.25
    expect([...inferOutputs(qnn, Float32Array.of(1, 2, 2, 1), 2)].map((v) => +v.toFixed(6))).toEqual([-2.75, -2.25]);
    // stream 14 bits = 2 bytes; fc1: 2 row codes + 2 row scales, 2 activations x 5, 2 biases;
    // out: 2 row codes + 1 row scale, 1 neuron x 5, 1 bias
    expect(payloadBytes(qnn)).toBe(2 + (2 + 8 + 10 + 8) + (2 + 4 + 5 + 4));
    const layers: LayerSpec[] = [
      { name: 'fc1', fanIn: 2, fanOut: 2, activation: { width: 2, signed: false }, input: null, rowsPerSample: 1 },
      { name: 'out', fanIn: 2, fanOut: 1, activation: null, input: 0, rowsPerSample: 1 },
    ];
    expect(bitBudget(layers, ROW_BITS).modelBytes).toBe(payloadBytes(qnn));
    const d = dir();
    for (const name of ['m.qnn.json', 'm.qnn.arrow']) {
      writeQnn(join(d, name), qnn);
      expect(readQnn(join(d, name))).toEqual(qnn);
    }
  });

  it('reads a version-2 file (no weightRows) as per-neuron widths', () => {
    const qnn = handModel(HAND_BITS);
    const layers = qnn.header.layers.map(({ weightRows, ...v2 }) => v2);
    const file = join(dir(), 'v2.qnn.json');
    writeQnn(file, { header: { ...qnn.header, version: 2, layers } as QnnHeader, sections: qnn.sections });
    expect(readQnn(file)).toEqual(qnn);
  });
});

describe('exact integer accumulation on a common fixed-point grid', () => {
  it('uses Numbers while sums stay below 2^53, BigInt beyond, and both give the exact sum', () => {
    // steps 2^-3 and 0.75 = 3 * 2^-2: k = 3, multipliers 1 and 6
    const small = planFixedPoint(Float32Array.of(0.125, 0.75), [4, 4], Int32Array.of(7, -3), 1);
    expect(small.shift).toBe(3);
    expect([...small.multipliers!]).toEqual([1, 6]);
    // 15 * 0.125 * 7 + 2 * 0.75 * -3 = 13.125 - 4.5
    expect([...fixedPointDots(small, Int32Array.of(15, 2), Int32Array.of(7, -3), 1)]).toEqual([8.625]);

    // steps 2^-40 and 1 at 16 bits with 15-bit codes: the bound is about 2^71
    const wide = planFixedPoint(Float32Array.of(2 ** -40, 1), [16, 16], Int32Array.of(32767, -32767), 1);
    expect(wide.multipliers).toBeNull();
    const exact = (65535n * 32767n - 3n * 32767n * 2n ** 40n) as bigint; // in units of 2^-40
    expect(fixedPointDots(wide, Int32Array.of(65535, 3), Int32Array.of(32767, -32767), 1)[0]).toBe(Number(exact) * 2 ** -40);
  });

  it('bounds the sums by the codes themselves: mid-rise reaches 2^b - 1, twice symmetric-max, and passes to BigInt sooner', () => {
    // steps 1, 1 and 2^-20 at 16 bits: k = 20, multipliers 2^20, 2^20, 1; the bound is about 2^21 x 65535 x |c|
    const steps = Float32Array.of(1, 1, 2 ** -20);
    const q = Int32Array.of(65535, 3, 1);
    for (const [c, inNumbers] of [
      [32767, true],
      [65535, false],
    ] as const) {
      const codes = Int32Array.of(c, -c, 1);
      const plan = planFixedPoint(steps, [16, 16, 16], codes, 1);
      expect(plan.multipliers !== null).toBe(inNumbers);
      const exact = (65535n - 3n) * BigInt(c) * 2n ** 20n + 1n; // in units of 2^-20
      expect(fixedPointDots(plan, q, codes, 1)[0]).toBe(Number(exact) * 2 ** -20);
    }
  });
});
