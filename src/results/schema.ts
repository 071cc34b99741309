/** Column lists of the Arrow result tables, tied to the row types so they cannot drift. */
import type { ClaimRow, CurveRow, NeuronRow, RunRow, SummaryRow } from './types.js';

export type ColumnType = 'utf8' | 'float64' | 'int32' | 'bool';

export interface Column<Row> {
  readonly name: keyof Row & string;
  readonly type: ColumnType;
  /** Added after files were first written: a file without it reads as nulls. */
  readonly optional?: boolean;
}

/** Columns in file order. Every Arrow field is nullable; the TS row type says which may be null. */
export type TableSchema<Row> = readonly Column<Row>[];

/** The column types a field of TS type V may be stored as. */
type ColumnTypeFor<V> =
  NonNullable<V> extends string ? 'utf8' : NonNullable<V> extends number ? 'float64' | 'int32' : NonNullable<V> extends boolean ? 'bool' : never;

/** Exactly one entry per field of Row (missing, extra or mistyped entries fail to compile). */
type ColumnTypes<Row> = { readonly [K in keyof Row]-?: ColumnTypeFor<Row[K]> };

export function schemaOf<Row>(types: ColumnTypes<Row>, optional: readonly (keyof Row & string)[] = []): TableSchema<Row> {
  // Object.entries keeps the literal's insertion order (no integer-like keys), which fixes the file order.
  return Object.entries(types).map(
    ([name, type]) => ({ name, type, ...(optional.includes(name as keyof Row & string) ? { optional: true } : {}) }) as Column<Row>,
  );
}

export const RUNS_SCHEMA = schemaOf<RunRow>(
  {
    run_id: 'utf8',
    suite: 'utf8',
    profile: 'utf8',
    dataset: 'utf8',
    task: 'utf8',
    model: 'utf8',
    strategy: 'utf8',
    strategy_name: 'utf8',
    strategy_config: 'utf8',
    init: 'utf8',
    budget_requested: 'utf8',
    budget_bits: 'float64',
    search_info: 'utf8',
    seed: 'int32',
    status: 'utf8',
    error: 'utf8',
    metric_name: 'utf8',
    val_metric: 'float64',
    test_metric: 'float64',
    test_accuracy: 'float64',
    test_f1: 'float64',
    test_mse: 'float64',
    test_rmse: 'float64',
    test_r2: 'float64',
    avg_weight_bits: 'float64',
    avg_activation_bits: 'float64',
    // Byte and BitOP counts can exceed int32; float64 holds integers exactly up to 2^53.
    model_bytes: 'float64',
    compression_ratio: 'float64',
    bitops: 'float64',
    epochs: 'int32',
    best_epoch: 'int32',
    train_seconds: 'float64',
    search_seconds: 'float64',
    pretrain_seconds: 'float64',
    backend: 'utf8',
    tfjs_version: 'utf8',
    qatbench_version: 'utf8',
    node_version: 'utf8',
    git_commit: 'utf8',
    config_hash: 'utf8',
    data_file: 'utf8',
    data_sha256: 'utf8',
    started_at: 'utf8',
  },
  ['pretrain_seconds'],
);

export const NEURONS_SCHEMA = schemaOf<NeuronRow>({
  run_id: 'utf8',
  layer: 'utf8',
  neuron: 'int32',
  weight_bits: 'float64', // ternary is 1.58 bits
  activation_bits: 'int32',
});

export const CURVES_SCHEMA = schemaOf<CurveRow>(
  {
    run_id: 'utf8',
    epoch: 'int32',
    train_loss: 'float64',
    val_metric: 'float64',
    avg_weight_bits: 'float64',
    avg_activation_bits: 'float64',
    weight_bits_counts: 'utf8',
    activation_bits_counts: 'utf8',
  },
  ['weight_bits_counts', 'activation_bits_counts'],
);

export const SUMMARY_SCHEMA = schemaOf<SummaryRow>(
  {
    suite: 'utf8',
    dataset: 'utf8',
    task: 'utf8',
    model: 'utf8',
    strategy: 'utf8',
    metric_name: 'utf8',
    n_seeds: 'int32',
    n_failed: 'int32',
    test_metric_mean: 'float64',
    test_metric_std: 'float64',
    test_metric_ci95: 'float64',
    test_accuracy_mean: 'float64',
    test_accuracy_std: 'float64',
    test_f1_mean: 'float64',
    test_f1_std: 'float64',
    avg_weight_bits_mean: 'float64',
    avg_weight_bits_std: 'float64',
    avg_weight_bits_ci95: 'float64',
    avg_activation_bits_mean: 'float64',
    avg_activation_bits_std: 'float64',
    avg_activation_bits_ci95: 'float64',
    model_bytes_mean: 'float64',
    compression_ratio_mean: 'float64',
    bitops_mean: 'float64',
    train_seconds_mean: 'float64',
    search_seconds_mean: 'float64',
    pretrain_seconds_mean: 'float64',
    budget_bits_mean: 'float64',
    best_quantized: 'bool',
    mixed_precision: 'bool',
    reference: 'utf8',
    paired_seeds: 'int32',
    reference_diff_mean: 'float64',
    reference_p_value: 'float64',
  },
  ['pretrain_seconds_mean', 'mixed_precision', 'test_accuracy_mean', 'test_accuracy_std', 'test_f1_mean', 'test_f1_std'],
);

export const CLAIMS_SCHEMA = schemaOf<ClaimRow>({
  suite: 'utf8',
  claim_id: 'utf8',
  kind: 'utf8',
  source: 'utf8',
  wording: 'utf8',
  model: 'utf8',
  claim_dataset: 'utf8',
  dataset: 'utf8',
  strategy: 'utf8',
  versus: 'utf8',
  measure: 'utf8',
  lo: 'float64',
  hi: 'float64',
  n_seeds: 'int32',
  estimate: 'float64',
  ci_low: 'float64',
  ci_high: 'float64',
  p_value: 'float64',
  verdict: 'utf8',
  claim_verdict: 'utf8',
});

/** The tables of a results directory; claims.arrow only when the suite declares claims. */
// TableSchema<never>: any table's schema (its column names are some strings).
export const RESULT_TABLES: readonly { file: string; schema: TableSchema<never>; optional: boolean }[] = [
  { file: 'runs.arrow', schema: RUNS_SCHEMA, optional: false },
  { file: 'neurons.arrow', schema: NEURONS_SCHEMA, optional: false },
  { file: 'curves.arrow', schema: CURVES_SCHEMA, optional: false },
  { file: 'summary.arrow', schema: SUMMARY_SCHEMA, optional: false },
  { file: 'claims.arrow', schema: CLAIMS_SCHEMA, optional: true },
];
