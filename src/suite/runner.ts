import { loadDataset } from '../data/load.js';
import type { PreparedDataset } from '../data/types.js';
import { provenance } from '../provenance.js';
import { type Report, writeReport } from '../results/report.js';
import { ResultStore } from '../results/store.js';
import { runModelPath } from '../export/run-model.js';
import { executeRun } from './execute-run.js';
import { configHash, type RunSpec, runId } from './matrix.js';
import { epochIndicator, runLine } from './progress.js';

export interface SuiteRunOptions {
  /** Results directory, e.g. results/telecom. */
  out: string;
  /** Skip runs already recorded (ok or diverged) with the same config hash and seed. */
  resume: boolean;
  backend: string;
  log: (line: string) => void;
  /** Where the live per-epoch indicator goes. */
  stream: NodeJS.WriteStream;
}

export interface SuiteOutcome {
  report: Report;
  ran: number;
  skipped: number;
  /** Datasets that could not be loaded, with the reason; their runs were not attempted. */
  unloadable: Map<string, string>;
}

/** Runs a matrix in order, recording each run as it finishes, then writes the summary. */
export async function runSuite(specs: RunSpec[], opts: SuiteRunOptions): Promise<SuiteOutcome> {
  const store = new ResultStore(opts.out);
  store.load();
  const origin = provenance();
  const datasets = new Map<string, Promise<PreparedDataset>>();
  const unloadable = new Map<string, string>();
  let ran = 0;
  let skipped = 0;

  for (const [i, spec] of specs.entries()) {
    const key = JSON.stringify([spec.dataset, spec.protocol.splitSeed, spec.protocol.maxRows]);
    if (!datasets.has(key)) datasets.set(key, loadDataset(spec.dataset, { splitSeed: spec.protocol.splitSeed, maxRows: spec.protocol.maxRows ?? undefined }));
    let data: PreparedDataset;
    try {
      data = await datasets.get(key)!;
    } catch (err) {
      const reason = err instanceof Error ? err.message : String(err);
      if (!unloadable.has(spec.dataset)) opts.log(`dataset ${spec.dataset} skipped: ${reason}`);
      unloadable.set(spec.dataset, reason);
      continue;
    }
    const hash = configHash(spec, data.sha256);
    const id = runId(spec, hash);
    if (opts.resume && store.has(id, ['ok', 'diverged'])) {
      skipped++;
      continue;
    }
    const indicator = epochIndicator(opts.stream, `${spec.dataset} ${spec.strategy.label} seed ${spec.seed}`, spec.protocol.epochs);
    const record = executeRun(spec, data, { runId: id, configHash: hash, backend: opts.backend, provenance: origin, onEpoch: indicator.onEpoch, modelFile: runModelPath(opts.out, id) });
    indicator.clear();
    store.recordRun(record.run, record.neurons, record.curves);
    ran++;
    opts.log(runLine(i + 1, specs.length, record.run));
  }
  if (skipped) opts.log(`--resume: ${skipped} run(s) already recorded, skipped`);
  return { report: await writeReport(opts.out), ran, skipped, unloadable };
}
