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
    const [allFailed, noActivations] = summarize([
      failedRun({ strategy: 'broken' }),
      runRow({ strategy: 'linear', avg_activation_bits: null }),
    ]);
    expect(allFailed).toMatchObject({ strategy: 'broken', n_seeds: 0, n_failed: 1, test_metric_mean: null, test_metric_std: null });
    expect(noActivations).toMatchObject({ strategy: 'linear', n_seeds: 1, test_metric_std: null, avg_activation_bits_mean: null });
  });

  it('uses only the configuration of each cell\'s latest run, never averaging two configurations', () => {
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
