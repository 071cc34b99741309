import { describe, expect, it } from 'vitest';
import { checkIntegerInference } from '../../src/export/check.js';
import { payloadBytes, type QnnModel } from '../../src/infer/format.js';
import { inferOutputs } from '../../src/infer/predict.js';
import { bitBudget } from '../../src/metrics/budget.js';
import { fixedQuantizers } from '../../src/quant/fixed-quantizers.js';
import type { WeightQuantizerFamily } from '../../src/quant/quantizers.js';
import type { StrategyOptions } from '../../src/strategy/types.js';
import { predict } from '../../src/train/trainer.js';
import { syntheticDataset } from '../core/helpers.js';
import { exportModel, spreadWidths, syntheticRegression, trainModel } from './helpers.js';

/** Each family by the strategies' option: the default, and the first reconstruction's. */
const FAMILIES: [WeightQuantizerFamily, Partial<StrategyOptions>][] = [
  ['mid-rise', {}],
  ['symmetric-max', { weightQuantizer: 'symmetric-max' }],
];

const familiesOf = (qnn: QnnModel) => new Set(qnn.header.layers.map((l) => l.weightFamily));

/** Classification and regression: the same predictions on every test row, and payload = model_bytes. */
function expectSamePredictions(strategy: string, options: Partial<StrategyOptions>, family: WeightQuantizerFamily | null): void {
  for (const data of [syntheticDataset(), syntheticRegression()]) {
    const { model, q } = trainModel(data, strategy, options);
    const qnn = exportModel(model, q, data);
    expect(familiesOf(qnn)).toEqual(new Set([family]));
    expect(checkIntegerInference(qnn, model, q, data.test).mismatches).toBe(0);
    expect(payloadBytes(qnn)).toBe(bitBudget(model.layers, q.bits()).modelBytes);
    model.dispose();
    q.dispose();
  }
}

it('fp32 (float weights, no family): same predictions, payload = model_bytes', () => expectSamePredictions('fp32', {}, null));

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
    expect(predict(model, fixedQuantizers(q.bits()), data.test, 6)).toEqual(fake);
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
  ])('%s: same predictions, payload = model_bytes', (_, strategy, options) => expectSamePredictions(strategy, { ...options, ...quantizer }, family));
});
