/** Rows of the result tables. Column names are the snake_case names written to Arrow. */

export type RunStatus = 'ok' | 'failed' | 'diverged';

export interface RunRow {
  run_id: string;
  suite: string;
  profile: string;
  dataset: string;
  task: string;
  model: string;
  /** The strategy's label in the suite (e.g. "uniform-w4"), unique within a suite. */
  strategy: string;
  /** The registered strategy name (e.g. "uniform"). */
  strategy_name: string;
  strategy_config: string;
  /** "pretrained" (from the FP32 checkpoint of the same seed), "self-supervised" (from the model's masked-cell pretraining) or "scratch". */
  init: string;
  /** The budget as asked: average weight bits, or match:<strategy>; null without one. */
  budget_requested: string | null;
  /** The target average weight bits it resolved to (achieved: avg_weight_bits). */
  budget_bits: number | null;
  /** JSON of what the strategy's search found (traces, allocation, rewards...); null without a search. */
  search_info: string | null;
  seed: number;
  status: RunStatus;
  error: string | null;
  metric_name: string;
  val_metric: number | null;
  test_metric: number | null;
  test_accuracy: number | null;
  test_f1: number | null;
  test_mse: number | null;
  test_rmse: number | null;
  test_r2: number | null;
  avg_weight_bits: number | null;
  avg_activation_bits: number | null;
  model_bytes: number | null;
  compression_ratio: number | null;
  bitops: number | null;
  epochs: number;
  best_epoch: number | null;
  train_seconds: number;
  search_seconds: number;
  /** Seconds the self-supervised pretraining of the run's starting weights took, once per dataset, model and seed (shared by its runs); null without pretraining. */
  pretrain_seconds: number | null;
  backend: string;
  tfjs_version: string;
  qatbench_version: string;
  node_version: string;
  git_commit: string;
  config_hash: string;
  data_file: string;
  data_sha256: string;
  started_at: string;
}

export interface NeuronRow {
  run_id: string;
  layer: string;
  neuron: number;
  /** Bits of output neuron j's weights; null for a site column beyond the layer's outputs. */
  weight_bits: number | null;
  /** Bits of column j of the layer's activation site (the MLP: neuron j's output); null where there is none. */
  activation_bits: number | null;
}

export interface CurveRow {
  run_id: string;
  epoch: number;
  train_loss: number;
  val_metric: number;
  avg_weight_bits: number;
  avg_activation_bits: number | null;
  /** JSON: neurons at each weight width this epoch, e.g. {"1":120,"2":8}; null in files written before it was recorded. */
  weight_bits_counts: string | null;
  /** JSON: hidden neurons at each activation width (float counts as 32); null without hidden layers or in older files. */
  activation_bits_counts: string | null;
}

/** One line of summary.arrow: a (dataset, model, strategy) cell over its seeds. */
export interface SummaryRow {
  suite: string;
  dataset: string;
  task: string;
  model: string;
  strategy: string;
  metric_name: string;
  /** Seeds with status ok; failed/diverged runs are counted separately. */
  n_seeds: number;
  n_failed: number;
  test_metric_mean: number | null;
  test_metric_std: number | null;
  test_metric_ci95: number | null;
  /** Classification: accuracy and macro-F1 over seeds, whichever is the headline (null for regression). */
  test_accuracy_mean: number | null;
  test_accuracy_std: number | null;
  test_f1_mean: number | null;
  test_f1_std: number | null;
  avg_weight_bits_mean: number | null;
  avg_weight_bits_std: number | null;
  avg_weight_bits_ci95: number | null;
  avg_activation_bits_mean: number | null;
  avg_activation_bits_std: number | null;
  avg_activation_bits_ci95: number | null;
  model_bytes_mean: number | null;
  compression_ratio_mean: number | null;
  bitops_mean: number | null;
  train_seconds_mean: number | null;
  search_seconds_mean: number | null;
  /** Mean pretraining seconds of the runs' starting checkpoints (RunRow.pretrain_seconds); null without pretraining. */
  pretrain_seconds_mean: number | null;
  budget_bits_mean: number | null;
  /** The best mean test metric among the quantized strategies of this dataset and model. */
  best_quantized: boolean;
  /** Whether its registered strategy learns or searches its widths (Strategy.mixedPrecision); null when this build does not register it. */
  mixed_precision: boolean | null;
  /** The strategy this row is tested against (the suite's reference, e.g. nmp-qat); null on the reference itself or without one. */
  reference: string | null;
  /** Seeds where both this strategy and the reference finished ok. */
  paired_seeds: number | null;
  /** Mean over paired seeds of (reference − this strategy) test metric. */
  reference_diff_mean: number | null;
  /** Two-sided paired t-test p-value of that difference; null with fewer than 2 paired seeds or zero variance. */
  reference_p_value: number | null;
}

/** One line of claims.arrow: a claim of the suite checked on one dataset (src/results/claims.ts). */
export interface ClaimRow {
  suite: string;
  claim_id: string;
  /** "comparison" or "range". */
  kind: string;
  /** Where the claim comes from, e.g. "paper abstract". */
  source: string;
  /** The claim as its source words it. */
  wording: string;
  model: string;
  /** The dataset the claim names; null: every dataset of the results, each checked on its own. */
  claim_dataset: string | null;
  /** The dataset of this check; null only for a claim on every dataset when the results hold none. */
  dataset: string | null;
  /** The strategy claimed better (comparison) or measured (range). */
  strategy: string;
  /** The strategy claimed worse (comparison) or divided by (wall-clock ratio); null otherwise. */
  versus: string | null;
  /** The dataset's test metric for a comparison (e.g. accuracy, mse); avg_weight_bits, avg_activation_bits or wall_clock_ratio for a range. */
  measure: string;
  /** The claimed range [lo, hi]; null for a comparison, whose claimed values are every advantage above 0. */
  lo: number | null;
  hi: number | null;
  /** Seeds the estimate is over (seeds where both strategies finished, when it pairs two). */
  n_seeds: number;
  /** Comparison: mean per-seed advantage of strategy over versus (positive: better, by the metric's direction); range: the mean of the measure. */
  estimate: number | null;
  /** The 95% confidence interval of the estimate (Student t over seeds); null with fewer than 2 seeds. */
  ci_low: number | null;
  ci_high: number | null;
  /** Comparison: two-sided paired t-test p-value; null for a range, with fewer than 2 pairs, or when every pair differs alike. */
  p_value: number | null;
  /** This check's verdict: supported, contradicted, inconclusive or not run. */
  verdict: string;
  /** The claim's verdict over all its checks (its only check's, for a claim on one dataset). */
  claim_verdict: string;
}
