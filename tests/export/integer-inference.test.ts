import { describe, expect, it } from 'vitest';
import { checkIntegerInference } from '../../src/export/check.js';
import type { PreparedDataset } from '../../src/data/types.js';
import { decodeDenseLayers } from '../../src/infer/dense.js';
import { payloadBytes, type QnnModel } from '../../src/infer/format.js';
import { inferOutputs } from '../../src/infer/predict.js';
import { bitBudget } from '../../src/metrics/budget.js';
import { discreteQuantizers } from '../../src/precision/discrete-quantizers.js';
import type { WeightQuantizerFamily } from '../../src/quant/quantizers.js';
import type { Model } from '../../src/model/types.js';
import type { QuantizerSet } from '../../src/layers/quantizer-set.js';
import type { StrategyOptions } from '../../src/strategy/options.js';
import { predict } from '../../src/train/trainer.js';
import { syntheticDataset } from '../helpers.js';
import { exportModel, spreadWidths, syntheticRegression, trainModel, trainSearched } from './helpers.js';

/** Each family by the strategies' option: the default, and the first reconstruction's. */
const FAMILIES: [WeightQuantizerFamily, Partial<StrategyOptions>][] = [
  ['mid-rise', {}],
  ['symmetric-max', { weightQuantizer: 'symmetric-max' }],
];

const familiesOf = (qnn: QnnModel) => new Set(qnn.header.layers.map((l) => l.weightFamily));

type Trained = { model: Model; q: QuantizerSet };

/** Classification and regression: the same predictions on every test row, payload = model_bytes, and the fixed-bit quantizers reproducing the strategy's. */
function expectSamePredictions(make: (data: PreparedDataset) => Trained, family: WeightQuantizerFamily | null): QnnModel[] {
  return [syntheticDataset(), syntheticRegression()].map((data) => {
    const { model, q } = make(data);
    const qnn = exportModel(model, q, data);
    expect(familiesOf(qnn)).toEqual(new Set([family]));
    expect(checkIntegerInference(qnn, model, q, data.test).mismatches).toBe(0);
    expect(payloadBytes(qnn)).toBe(bitBudget(model.layers, q.bits()).modelBytes);
    expect(predict(model, discreteQuantizers(q.bits()), data.test, 6)).toEqual(predict(model, q, data.test, 6));
    model.dispose();
    q.dispose();
    return qnn;
  });
}

it('fp32 (float weights, no family): same predictions, payload = model_bytes', () => {
  expectSamePredictions((data) => trainModel(data, 'fp32'), null);
});

describe.each(FAMILIES)('integer inference of an export equals the trained fake-quant model, %s weights', (family, quantizer) => {
  it('nmp-qat W+A at every weight and activation width, classification: same argmax on the whole test split', () => {
    const data = syntheticDataset();
    const { model, q } = trainModel(data, 'nmp-qat', { mode: 'wa', ...quantizer });
    spreadWidths(q);
    expect(new Set(q.bits()[0].weight)).toEqual(new Set([1, 2, 4, 8]));
    expect(new Set(q.bits()[1].activation)).toEqual(new Set([4, 8, 16]));
    const qnn = exportModel(model, q, data);
    expect(familiesOf(qnn)).toEqual(new Set([family]));
    // against the model with the strategy's own quantizers, not a reconstruction
    const check = checkIntegerInference(qnn, model, q, data.test);
    expect(check).toMatchObject({ rows: data.test.n, mismatches: 0 });
    // Logits agree to float32 rounding, except where a 16-bit activation sits on a rounding
    // boundary and the float32 fake-quant and the exact integer sums round it to neighbouring
    // codes (about 1 in 2400 here): one step, alpha / 65535, through one weight.
    const fake = predict(model, q, data.test, 6);
    const integer = inferOutputs(qnn, data.test.x, data.test.n);
    expect(Math.max(...Array.from(fake, (v, i) => Math.abs(v - integer[i])))).toBeLessThan(1e-3);
    expect(payloadBytes(qnn)).toBe(bitBudget(model.layers, q.bits()).modelBytes);
    // The fixed-bit quantizers that `qatbench export` checks against reproduce the strategy's exactly.
    expect(predict(model, discreteQuantizers(q.bits()), data.test, 6)).toEqual(fake);
  });

  it('nmp-qat W+A, regression: relative difference under 1e-5 on every test row', () => {
    const data = syntheticRegression();
    const { model, q } = trainModel(data, 'nmp-qat', { mode: 'wa', ...quantizer });
    spreadWidths(q);
    const qnn = exportModel(model, q, data);
    const check = checkIntegerInference(qnn, model, q, data.test);
    expect(check.mismatches).toBe(0);
    expect(check.maxRelativeDifference).toBeLessThan(1e-5);
    expect(payloadBytes(qnn)).toBe(bitBudget(model.layers, q.bits()).modelBytes);
  });

  it.each([
    ['uniform ternary weights, float activations', 'uniform', { weightBits: 1.58, activationBits: 0 }],
    ['uniform W4A8', 'uniform', { weightBits: 4, activationBits: 8 }],
    ['nmp-qat weights only', 'nmp-qat', { mode: 'w' }],
  ])('%s: same predictions, payload = model_bytes', (_, strategy, options) => {
    expectSamePredictions((data) => trainModel(data, strategy, { ...options, ...quantizer }), family);
  });

  it('channel-wise (a width and scale per input row): same predictions, payload = model_bytes', () => {
    for (const qnn of expectSamePredictions((data) => trainSearched(data, 'channel-wise', { calibrationRows: 200, ...quantizer }, 3), family)) {
      expect(qnn.header.layers.map((l) => l.weightRows)).toEqual([true, true, true]);
      expect(decodeDenseLayers(qnn).every((l) => l.quantized === null && l.rows!.index.length === l.fanIn)).toBe(true);
    }
  });

  // Budget 5 at 4/16 bits: weak rows in fc2 (1) and out (2), none in fc1 (weakRowCounts).
  it.each([
    ['owq, then QAT', { finetune: true }],
    ['owq without QAT', { finetune: false }],
  ])('%s (weak rows with their own scale, the rest per neuron): same predictions, payload = model_bytes', (_, options) => {
    for (const qnn of expectSamePredictions((data) => trainSearched(data, 'owq', { calibrationRows: 200, ...options, ...quantizer }, 5), family)) {
      expect(qnn.header.layers.map((l) => l.weightRows)).toEqual([false, true, true]);
      expect(decodeDenseLayers(qnn).map((l) => l.rows?.index.length ?? 0)).toEqual([0, 1, 2]);
    }
  });
});
