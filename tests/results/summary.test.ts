import { describe, expect, it } from 'vitest';
import { summarize } from '../../src/results/summary.js';
import { failedRun, runRow } from './rows.js';

describe('summarize', () => {
  it('computes statistics over ok runs and counts the others as failed', () => {
    const runs = [
      runRow({ seed: 0, test_metric: 0.8, train_seconds: 9 }),
      runRow({ seed: 1, test_metric: 0.9, train_seconds: 10 }),
      failedRun({ seed: 2 }),
      runRow({ seed: 3, test_metric: 1.0, train_seconds: 11 }),
      failedRun({ seed: 4, status: 'diverged' }),
    ];
    const [row] = summarize(runs);
    expect(row).toMatchObject({
      suite: 'telecom',
      dataset: 'churn',
      task: 'classification',
      model: 'mlp',
      strategy: 'fp32',
      metric_name: 'accuracy',
      n_seeds: 3,
      n_failed: 2,
      avg_weight_bits_mean: 32,
      avg_weight_bits_std: 0,
      model_bytes_mean: 1234,
      train_seconds_mean: 10,
    });
    expect(row.test_metric_mean).toBeCloseTo(0.9, 12);
    expect(row.test_metric_std).toBeCloseTo(0.1, 12);
    expect(row.test_metric_ci95).toBeCloseTo((4.3027 * 0.1) / Math.sqrt(3), 4);
  });

  it('gives null statistics to a group without ok runs, and skips null values', () => {
    const [allFailed, noActivations] = summarize([failedRun({ strategy: 'broken' }), runRow({ strategy: 'linear', avg_activation_bits: null })]);
    expect(allFailed).toMatchObject({ strategy: 'broken', n_seeds: 0, n_failed: 1, test_metric_mean: null, test_metric_std: null });
    expect(noActivations).toMatchObject({ strategy: 'linear', n_seeds: 1, test_metric_std: null, avg_activation_bits_mean: null });
  });

  it("uses only the configuration of each cell's latest run, never averaging two configurations", () => {
    const runs = [
      runRow({ run_id: 'old1', seed: 1, config_hash: 'old', test_metric: 0.5, started_at: '2026-01-01T00:00:00.000Z' }),
      runRow({ run_id: 'old2', seed: 2, config_hash: 'old', test_metric: 0.5, started_at: '2026-01-01T00:01:00.000Z' }),
      runRow({ run_id: 'new1', seed: 1, config_hash: 'new', test_metric: 0.8, started_at: '2026-02-01T00:00:00.000Z' }),
      runRow({ run_id: 'new2', seed: 2, config_hash: 'new', test_metric: 0.9, started_at: '2026-02-01T00:01:00.000Z' }),
    ];
    const [row] = summarize(runs);
    expect(row.n_seeds).toBe(2);
    expect(row.test_metric_mean).toBeCloseTo(0.85, 12);
  });

  it('gives the same bits whatever order parallel workers recorded the seeds in', () => {
    // Full-precision values whose sample std changes in the last bit with the order they are summed in.
    const metrics = [4.000054784584816, 4.920764517002164, 4.289237255365233];
    const bits = [1.1378, 1.2411, 1.2963];
    const seeds = [1, 2, 3].map((seed, i) => runRow({ run_id: `r${seed}`, seed, test_metric: metrics[i], avg_weight_bits: bits[i] }));
    const orders = [
      [0, 1, 2],
      [0, 2, 1],
      [1, 0, 2],
      [1, 2, 0],
      [2, 0, 1],
      [2, 1, 0],
    ];
    const rows = orders.map((order) => summarize(order.map((i) => seeds[i]))[0]);
    for (const row of rows) expect(row).toStrictEqual(rows[0]);
  });

  it('groups by suite, dataset, model and strategy, ordered by first appearance', () => {
    const runs = [
      runRow({ dataset: 'churn', strategy: 'fp32' }),
      runRow({ dataset: 'churn', strategy: 'uniform-w4' }),
      runRow({ dataset: 'vod', strategy: 'uniform-w4' }),
      runRow({ dataset: 'vod', strategy: 'fp32' }),
      runRow({ dataset: 'churn', strategy: 'fp32', seed: 1 }),
      runRow({ dataset: 'churn', model: 'wide', strategy: 'fp32' }),
    ];
    expect(summarize(runs).map((row) => [row.dataset, row.model, row.strategy, row.n_seeds])).toEqual([
      ['churn', 'mlp', 'fp32', 2],
      ['churn', 'mlp', 'uniform-w4', 1],
      ['churn', 'wide', 'fp32', 1],
      ['vod', 'mlp', 'fp32', 1],
      ['vod', 'mlp', 'uniform-w4', 1],
    ]);
  });
});

describe('comparison with the reference strategy', () => {
  const cell = (strategy: string, metrics: number[], bits: number) =>
    metrics.map((test_metric, seed) => runRow({ run_id: `${strategy}/${seed}`, strategy, seed, test_metric, avg_weight_bits: bits }));

  it('pairs seeds, gives the paired t-test p-value, and marks the best quantized strategy', () => {
    const runs = [...cell('fp32', [0.95, 0.96, 0.97], 32), ...cell('nmp-qat', [0.9, 0.92, 0.94], 1.2), ...cell('hawq', [0.89, 0.9, 0.91], 1.2)];
    const rows = summarize(runs, { reference: 'nmp-qat' });
    const [fp32, nmp, hawq] = rows;
    // Differences nmp-qat − hawq per seed: 0.01, 0.02, 0.03 -> mean 0.02, std 0.01, t = 0.02 / (0.01 / √3) = 2√3, df 2.
    // For df = 2, P(|T| > t) = 1 − t / √(t² + 2) = 1 − √12 / √14.
    expect(hawq).toMatchObject({ reference: 'nmp-qat', paired_seeds: 3, best_quantized: false });
    expect(hawq.reference_diff_mean).toBeCloseTo(0.02, 12);
    expect(hawq.reference_p_value).toBeCloseTo(1 - Math.sqrt(12 / 14), 9);
    expect(nmp).toMatchObject({ reference: null, paired_seeds: null, reference_p_value: null, best_quantized: true });
    // fp32 is not quantized, so it is never "best quantized", though its metric is higher.
    expect(fp32).toMatchObject({ best_quantized: false, paired_seeds: 3 });
  });

  it('pairs only seeds both finished, and gives no p-value below two pairs', () => {
    const runs = [...cell('nmp-qat', [0.9, 0.92], 1), failedRun({ run_id: 'h/0', strategy: 'hawq', seed: 0 }), ...cell('hawq', [0.5, 0.88], 1).slice(1)];
    const hawq = summarize(runs, { reference: 'nmp-qat' }).find((r) => r.strategy === 'hawq')!;
    expect(hawq).toMatchObject({ paired_seeds: 1, reference_p_value: null });
    expect(hawq.reference_diff_mean).toBeCloseTo(0.04, 12);
  });

  it('for a lower-is-better metric, the best quantized strategy has the lowest mean', () => {
    const mse = (strategy: string, values: number[]) =>
      values.map((test_metric, seed) =>
        runRow({ run_id: `${strategy}/${seed}`, strategy, seed, test_metric, task: 'regression', metric_name: 'mse', avg_weight_bits: 2 }),
      );
    const rows = summarize([...mse('a', [3, 4]), ...mse('b', [1, 2])]);
    expect(rows.map((r) => r.best_quantized)).toEqual([false, true]);
  });

  it("follows the suite's order of datasets, models and strategies, whatever order the runs were recorded in; others after", () => {
    const runs = [
      runRow({ dataset: 'vod', model: 'wide', strategy: 'extra' }),
      runRow({ dataset: 'vod', model: 'wide', strategy: 'fp32' }),
      runRow({ dataset: 'churn', model: 'mlp', strategy: 'uniform-w4' }),
      runRow({ dataset: 'churn', model: 'mlp', strategy: 'fp32' }),
    ];
    const order = { datasets: ['churn', 'vod'], models: ['mlp', 'wide'], strategies: ['fp32', 'uniform-w4'] };
    const cells = (rows: typeof runs) => summarize(rows, { order }).map((row) => [row.dataset, row.model, row.strategy]);
    expect(cells(runs)).toEqual([
      ['churn', 'mlp', 'fp32'],
      ['churn', 'mlp', 'uniform-w4'],
      ['vod', 'wide', 'fp32'],
      ['vod', 'wide', 'extra'],
    ]);
    expect(cells([...runs].reverse())).toEqual(cells(runs));
  });

  it('gives accuracy and macro-F1 of a classification cell, whichever is the headline; none for regression', () => {
    const [churn] = summarize([runRow({ seed: 1, test_accuracy: 0.9, test_f1: 0.6 }), runRow({ seed: 2, test_accuracy: 0.8, test_f1: 0.4 })]);
    expect(churn.test_accuracy_mean).toBeCloseTo(0.85, 12);
    expect(churn.test_f1_mean).toBeCloseTo(0.5, 12);
    expect(churn.test_f1_std).toBeCloseTo(Math.SQRT1_2 * 0.2, 12);
    const [vod] = summarize([runRow({ dataset: 'vod', task: 'regression', metric_name: 'mse', test_accuracy: null, test_f1: null })]);
    expect([vod.test_accuracy_mean, vod.test_f1_mean]).toEqual([null, null]);
  });
});
