import type { DatasetDefinition } from '../data/types.js';
import type { Provenance } from '../provenance.js';
import type { ResolvedBudget } from './types.js';
import type { RunSpec } from './types.js';

/**
 * One run as the runner hands it out, in this process or to a worker (plain data, so that it can
 * cross): what to compute (the spec), its identity, its budget resolved by the runner (which
 * holds the results a match:<strategy> budget reads), and where it runs.
 */
export interface Job {
  spec: RunSpec;
  /** The definition of spec.dataset, so that a worker loads a dataset it has no file of (--dataset). */
  dataset: DatasetDefinition;
  runId: string;
  configHash: string;
  budget: ResolvedBudget;
  backend: string;
  cacheDir: string;
  provenance: Provenance;
}

/** A dataset loaded once per process and split/sample setting. */
export function datasetKey(spec: RunSpec): string {
  return JSON.stringify([spec.dataset, spec.protocol.splitSeed, spec.protocol.maxRows]);
}

/** How a run's protocol asks for its dataset's rows. */
export const loadOptions = (spec: RunSpec) => ({ splitSeed: spec.protocol.splitSeed, maxRows: spec.protocol.maxRows ?? undefined });
