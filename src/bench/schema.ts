import { schemaOf } from '../results/schema.js';

/** One row of results/bench/bench.arrow: a training-step case, or the data pipeline, on one backend. */
export interface BenchRow {
  /** "step" (one optimiser step of a strategy) or "pipeline" (one batch from BatchSource). */
  kind: string;
  backend: string;
  /** The strategy label (fp32, uniform-w4a8, nmp-qat-w, nmp-qat-wa) or "batches". */
  case: string;
  strategy_config: string | null;
  model: string;
  batch_size: number;
  samples: number;
  ms_median: number;
  ms_p25: number;
  ms_p75: number;
  /** Matrix-product GFLOP per step divided by the median step time. */
  gflops: number | null;
  ratio_to_fp32: number | null;
  batches_per_second: number | null;
  leak_steps: number | null;
  tensors_before: number | null;
  tensors_after: number | null;
  /** Largest resident set size sampled after each of the leak-check steps. */
  peak_rss_mb: number | null;
  tensor_mb_after: number | null;
  machine: string;
  load_start: number;
  load_end: number;
  node_version: string;
  tfjs_version: string;
  qatbench_version: string;
  git_commit: string;
  started_at: string;
}

export const BENCH_SCHEMA = schemaOf<BenchRow>({
  kind: 'utf8',
  backend: 'utf8',
  case: 'utf8',
  strategy_config: 'utf8',
  model: 'utf8',
  batch_size: 'int32',
  samples: 'int32',
  ms_median: 'float64',
  ms_p25: 'float64',
  ms_p75: 'float64',
  gflops: 'float64',
  ratio_to_fp32: 'float64',
  batches_per_second: 'float64',
  leak_steps: 'int32',
  tensors_before: 'int32',
  tensors_after: 'int32',
  peak_rss_mb: 'float64',
  tensor_mb_after: 'float64',
  machine: 'utf8',
  load_start: 'float64',
  load_end: 'float64',
  node_version: 'utf8',
  tfjs_version: 'utf8',
  qatbench_version: 'utf8',
  git_commit: 'utf8',
  started_at: 'utf8',
});
