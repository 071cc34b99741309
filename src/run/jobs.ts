import type { PreparedDataset } from '../data/types.js';
import type { Provenance } from '../provenance.js';
import { startingPoints } from './checkpoints.js';
import { executeRun, type RunRecord } from './execute-run.js';
import type { RunSpec } from './matrix.js';

/** One run as the runner hands it out: plain data, so that it can cross to a worker process. */
export interface Job {
  spec: RunSpec;
  runId: string;
  configHash: string;
  /** Resolved by the runner, which holds the results: the target bits, or why there are none. */
  budget: { bits: number | null } | { error: string };
  backend: string;
  cacheDir: string;
  provenance: Provenance;
}

/** Executes a job in this process (the runner's own, or a worker's). */
export function runJob(job: Job, data: PreparedDataset, log: (line: string) => void, onEpoch?: Parameters<typeof executeRun>[2]['onEpoch']): RunRecord {
  const { budget } = job;
  return executeRun(job.spec, data, {
    runId: job.runId,
    configHash: job.configHash,
    backend: job.backend,
    provenance: job.provenance,
    resolveBudget: () => {
      if ('error' in budget) throw new Error(budget.error);
      return budget.bits;
    },
    start: startingPoints(job.cacheDir, log),
    onEpoch,
  });
}

/** A dataset loaded once per process and split/sample setting. */
export function datasetKey(spec: RunSpec): string {
  return JSON.stringify([spec.dataset, spec.protocol.splitSeed, spec.protocol.maxRows]);
}
