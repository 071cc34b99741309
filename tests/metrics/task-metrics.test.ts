import { describe, expect, it } from 'vitest';
import { accuracy, argmaxRows, evaluateOutputs, headlineMetric, macroF1, type MetricName, regressionMetrics } from '../../src/metrics/task-metrics.js';

describe('task metrics, worked by hand', () => {
  it('accuracy and macro-F1', () => {
    const labels = [0, 0, 1, 1, 2];
    const predicted = [0, 1, 1, 1, 0];
    expect(accuracy(predicted, labels)).toBe(3 / 5);
    // class 0: tp 1 fp 1 fn 1 -> 0.5; class 1: tp 2 fp 1 fn 0 -> 0.8; class 2: tp 0 fn 1 -> 0
    expect(macroF1(predicted, labels, 3)).toBeCloseTo((0.5 + 0.8 + 0) / 3, 12);
  });

  it('argmax over rows', () => {
    expect(Array.from(argmaxRows(Float32Array.from([0.1, 0.7, 0.2, 3, -1, 2]), 2, 3))).toEqual([1, 0]);
  });

  it('MSE, RMSE and R² in target units', () => {
    const m = regressionMetrics([1, 2, 5], [1, 3, 5]);
    expect(m.mse).toBeCloseTo(1 / 3, 12);
    expect(m.rmse).toBeCloseTo(Math.sqrt(1 / 3), 12);
    expect(m.r2).toBeCloseTo(1 - 1 / 8, 12); // SST = 4 + 0 + 4
  });

  it('standardised regression outputs are scaled back before measuring', () => {
    const m = evaluateOutputs('regression', Float32Array.from([0, 1]), Float32Array.from([0, 2]), 1, { mean: 10, std: 2 });
    expect(m.mse).toBeCloseTo((12 - 14) ** 2 / 2, 5); // predictions 10, 12; targets 10, 14
  });
});

describe('the headline metric (--metric)', () => {
  it("is the task's default unless the task records the one asked for", () => {
    const pick = (task: 'classification' | 'regression', name?: MetricName) => {
      const h = headlineMetric(task, name);
      return [h.name, h.higherIsBetter, h.pick({ accuracy: 0.9, f1: 0.5, mse: 4, rmse: 2, r2: 0.3 })];
    };
    expect(pick('classification')).toEqual(['accuracy', true, 0.9]);
    expect(pick('classification', 'f1')).toEqual(['f1', true, 0.5]);
    expect(pick('classification', 'mse')).toEqual(['accuracy', true, 0.9]);
    expect(pick('regression')).toEqual(['mse', false, 4]);
    expect(pick('regression', 'r2')).toEqual(['r2', true, 0.3]);
    expect(pick('regression', 'f1')).toEqual(['mse', false, 4]);
  });
});
