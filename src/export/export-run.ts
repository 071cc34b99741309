/** `qatbench export`: a run's saved model to a discrete model file, checked before it is written. */
import { existsSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { loadDataset } from '../data/load.js';
import { UsageError } from '../errors.js';
import { payloadBytes } from '../infer/format.js';
import { encodingOf, writeQnn } from '../infer/qnn-file.js';
import { discreteQuantizers } from '../precision/discrete-quantizers.js';
import { readTable } from '../results/arrow-io.js';
import { RUNS_SCHEMA } from '../results/schema.js';
import type { RunRow } from '../results/types.js';
import type { MetricName } from '../metrics/task-metrics.js';
import { checkIntegerInference, type EqualityCheck } from './check.js';
import { toQnn } from './registry.js';
import { loadRunModel, rebuildModel, runModelPath } from './run-model.js';

export interface ExportOutcome {
  file: string;
  run: RunRow;
  /** The counted payload: equals run.model_bytes. */
  payloadBytes: number;
  /** Integer inference against the fake-quant model on the run's whole test split. */
  check: EqualityCheck;
}

/** The results directory (below `root`) whose models/ holds the run; exactly one must. */
function findResultsDir(runId: string, root: string): string {
  const dirs = existsSync(root)
    ? readdirSync(root)
        .map((d) => join(root, d))
        .filter((d) => existsSync(runModelPath(d, runId)))
    : [];
  if (dirs.length === 0)
    throw new UsageError(
      `no saved model for run "${runId}" in ${root}/*/models (a suite saves one per run; results written before models were saved have none)`,
    );
  if (dirs.length > 1) throw new UsageError(`run "${runId}" is saved in several results directories (${dirs.join(', ')}); name one with --results`);
  return dirs[0];
}

/**
 * How far the metric recomputed from a saved model may be from the recorded one (relative): float
 * rounding of a regression metric, never a class flipped (an accuracy step is 1/rows, far larger).
 */
export const METRIC_TOLERANCE = 1e-4;

const agrees = (recomputed: number, recorded: number | null) =>
  recorded !== null && Math.abs(recomputed - recorded) <= METRIC_TOLERANCE * Math.max(Math.abs(recorded), Number.MIN_VALUE);

export async function exportRun(runId: string, out: string, resultsDir?: string): Promise<ExportOutcome> {
  encodingOf(out); // a bad file name fails before any work
  const dir = resultsDir ?? findResultsDir(runId, 'results');
  const file = runModelPath(dir, runId);
  if (!existsSync(file)) throw new UsageError(`no saved model for run "${runId}" (${file} not found)`);
  const run = readTable(join(dir, 'runs.arrow'), RUNS_SCHEMA).find((r) => r.run_id === runId);
  if (!run) throw new UsageError(`run "${runId}" is not in ${join(dir, 'runs.arrow')}`);
  if (run.status !== 'ok') throw new UsageError(`run "${runId}" ended ${run.status}; only runs that finished ok are exported`);

  const { meta, snapshot } = loadRunModel(file);
  const model = rebuildModel(meta, snapshot);
  const quantizers = discreteQuantizers(meta.bits);
  try {
    const qnn = toQnn(meta, model);
    const bytes = payloadBytes(qnn);
    if (bytes !== run.model_bytes) throw new Error(`the exported payload is ${bytes} bytes but the run reported model_bytes ${run.model_bytes}`);
    const { name, sha256, splitSeed, maxRows } = meta.dataset;
    const data = await loadDataset(name, { splitSeed, maxRows: maxRows ?? undefined });
    if (data.sha256 !== sha256)
      throw new Error(
        `the data file of ${name} changed since the run (sha256 ${data.sha256.slice(0, 12)}, run ${sha256.slice(0, 12)}); cannot rebuild its test split`,
      );
    const check = checkIntegerInference(qnn, model, quantizers, data.test, run.metric_name as MetricName);
    if (check.mismatches > 0)
      throw new Error(`integer inference differs from the fake-quant model on ${check.mismatches} of ${check.rows} test rows; not written`);
    if (!agrees(check.metric.value, run.test_metric))
      throw new Error(
        `${file}: test ${check.metric.name} ${check.metric.value.toPrecision(6)} from the saved model, but runs.arrow recorded ${run.test_metric?.toPrecision(6)}: the model file does not hold that run's model; not written`,
      );
    writeQnn(out, qnn);
    return { file: out, run, payloadBytes: bytes, check };
  } finally {
    model.dispose();
    quantizers.dispose();
  }
}
