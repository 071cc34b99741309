/** Shared test helpers: hand-made rows and self-cleaning temp directories. */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach } from 'vitest';
import type { CurveRow, NeuronRow, RunRow } from '../../src/results/types.js';

export function runRow(overrides: Partial<RunRow> = {}): RunRow {
  return {
    run_id: 'telecom/churn/mlp/fp32/0',
    suite: 'telecom',
    profile: 'quick',
    dataset: 'churn',
    task: 'classification',
    model: 'mlp',
    strategy: 'fp32',
    strategy_name: 'fp32',
    strategy_config: '{}',
    init: 'scratch',
    pretrain_seconds: null,
    budget_requested: null,
    budget_bits: null,
    search_info: null,
    seed: 0,
    status: 'ok',
    error: null,
    metric_name: 'accuracy',
    val_metric: 0.9,
    test_metric: 0.9,
    test_accuracy: 0.9,
    test_f1: 0.85,
    test_mse: null,
    test_rmse: null,
    test_r2: null,
    avg_weight_bits: 32,
    avg_activation_bits: 32,
    model_bytes: 1234,
    compression_ratio: 1,
    bitops: 1.2e6,
    epochs: 20,
    best_epoch: 17,
    train_seconds: 10,
    search_seconds: 0,
    backend: 'cpu',
    tfjs_version: '4.22.0',
    qatbench_version: '0.1.0',
    node_version: 'v20.20.2',
    git_commit: 'abc123',
    config_hash: 'cafe',
    data_file: 'churn.csv.gz',
    data_sha256: 'beef',
    started_at: '2025-01-01T00:00:00.000Z',
    ...overrides,
  };
}

/** A run that never produced results, as the orchestrator records it. */
export function failedRun(overrides: Partial<RunRow> = {}): RunRow {
  return runRow({
    status: 'failed',
    error: 'out of memory',
    val_metric: null,
    test_metric: null,
    test_accuracy: null,
    test_f1: null,
    avg_weight_bits: null,
    avg_activation_bits: null,
    model_bytes: null,
    compression_ratio: null,
    bitops: null,
    best_epoch: null,
    ...overrides,
  });
}

export function neuronRows(runId: string, count: number): NeuronRow[] {
  return Array.from({ length: count }, (_, neuron) => ({
    run_id: runId,
    layer: 'dense_1',
    neuron,
    weight_bits: 4,
    activation_bits: neuron % 2 === 0 ? 8 : null,
  }));
}

export function curveRows(runId: string, epochs: number): CurveRow[] {
  return Array.from({ length: epochs }, (_, epoch) => ({
    run_id: runId,
    epoch,
    train_loss: 1 / (epoch + 1),
    val_metric: 0.5 + epoch / 100,
    avg_weight_bits: 4.5,
    avg_activation_bits: null,
    weight_bits_counts: JSON.stringify({ 4: 3, 8: 1 }),
    activation_bits_counts: null,
  }));
}

/** A small suite with every kind of summary cell: full, fewer seeds, some failed, all failed, never run. */
const vod: Partial<RunRow> = { dataset: 'vod', task: 'regression', metric_name: 'mse' };

export const SUITE_RUNS: RunRow[] = [
  ...[0.8, 0.9, 1.0].map((test_metric, seed) => runRow({ seed, test_metric })),
  ...[0.85, 0.87, 0.89].map((test_metric, seed) =>
    runRow({ seed, strategy: 'uniform-w4', strategy_name: 'uniform', test_metric, avg_weight_bits: 4, avg_activation_bits: 8, compression_ratio: 7.5 }),
  ),
  failedRun({ seed: 3, strategy: 'uniform-w4', strategy_name: 'uniform' }),
  ...[
    [0.9, 3.5],
    [0.92, 4.5],
  ].map(([test_metric, avg_weight_bits], seed) =>
    runRow({ seed, strategy: 'nmp', strategy_name: 'nmp-qat', test_metric, avg_weight_bits, avg_activation_bits: 6, search_seconds: 2.25 }),
  ),
  ...[1200, 1250, 1300].map((test_metric, seed) => runRow({ ...vod, seed, test_metric })),
  ...[0, 1, 2].map((seed) => failedRun({ ...vod, seed, strategy: 'uniform-w4', strategy_name: 'uniform' })),
].map((run) => ({ ...run, run_id: `${run.suite}/${run.dataset}/${run.model}/${run.strategy}/${run.seed}` }));

/** Returns a function making a fresh directory under os.tmpdir(); all are removed after each test. */
export function tempDirs(): () => string {
  const made: string[] = [];
  afterEach(() => {
    for (const dir of made.splice(0)) rmSync(dir, { recursive: true, force: true });
  });
  return () => {
    const dir = mkdtempSync(join(tmpdir(), 'qatbench-results-'));
    made.push(dir);
    return dir;
  };
}
