import { existsSync } from 'node:fs';
import { constants } from 'node:os';
import { loadDataset } from '../data/load.js';
import { getDataset } from '../data/registry.js';
import type { PreparedDataset } from '../data/types.js';
import { provenance } from '../provenance.js';
import type { Claim } from '../results/claims.js';
import type { SuiteOrder } from '../results/summary.js';
import { type Report, writeReport } from '../report/write.js';
import { holdResultsDir } from '../results/results-dir.js';
import { ResultStore } from '../results/store.js';
import type { RunRow } from '../results/types.js';
import { Interrupted } from '../errors.js';
import { runModelPath, writeRunModel } from '../export/run-model.js';
import type { ResolvedBudget } from './types.js';
import { startingFiles } from './checkpoints.js';
import { baseRow, type RunRecord, runJob } from './execute-run.js';
import { datasetKey, type Job, loadOptions } from './jobs.js';
import { budgetSource } from './budget.js';
import { configHash, runId } from './matrix.js';
import type { RunSpec } from './types.js';
import { epochIndicator, runLine } from './progress.js';
import { WorkerPool } from './worker-pool.js';

export interface SuiteRunOptions {
  /** The worker process script for jobs > 1 (bin/worker.ts, which loads the catalog): given by the entry point. */
  workerEntry?: string;
  /** Results directory, e.g. results/telecom. */
  out: string;
  /** Skip runs already recorded (ok or diverged) with the same config hash and seed. */
  resume: boolean;
  backend: string;
  /** Where FP32 checkpoints are cached (content-addressed, shared by suites). */
  cacheDir: string;
  /** Worker processes; 1 runs everything in this process. */
  jobs?: number;
  /** Label of the strategy the summary tests every other against. */
  reference?: string;
  /** The suite's claims, given a verdict in the report. */
  claims?: readonly Claim[];
  /** The suite's order of datasets, models and strategies, which the report follows. */
  order?: SuiteOrder;
  log: (line: string) => void;
  /** Where the live per-epoch indicator goes (one run at a time only). */
  stream: NodeJS.WriteStream;
}

export interface SuiteOutcome {
  report: Report;
  ran: number;
  skipped: number;
  /** Datasets that could not be loaded, with the reason; their runs were not attempted. */
  unloadable: Map<string, string>;
  /** The rows of this call's runs that failed or diverged. */
  failures: RunRow[];
}

/** A run of the matrix that will execute: its position, data, identity and what it depends on. */
interface Planned {
  index: number;
  spec: RunSpec;
  data: PreparedDataset;
  id: string;
  hash: string;
  /** The run a match:<strategy> budget takes its bits from. */
  budgetSource: RunSpec | undefined;
  /** Cached weights the run starts from (pretrained, FP32 checkpoint); empty when it starts from its seeded initialisation. */
  starts: string[];
}

/** Runs a matrix, recording each run as it finishes (only this process writes results), then writes the summary. */
export async function runSuite(specs: RunSpec[], opts: SuiteRunOptions): Promise<SuiteOutcome> {
  const release = holdResultsDir(opts.out, `suite ${specs[0]?.suite ?? ''}`);
  try {
    return await runHeld(specs, opts);
  } finally {
    release();
  }
}

async function runHeld(specs: RunSpec[], opts: SuiteRunOptions): Promise<SuiteOutcome> {
  const store = new ResultStore(opts.out);
  store.load();
  const failures: RunRow[] = [];
  const origin = provenance();
  const { planned, skipped, unloadable } = await plan(specs, store, opts);
  const unfinished = new Set(planned.map((p) => p.spec));

  const job = (p: Planned): Job => ({
    spec: p.spec,
    dataset: getDataset(p.spec.dataset),
    runId: p.id,
    configHash: p.hash,
    budget: resolveBudget(p, store),
    backend: opts.backend,
    cacheDir: opts.cacheDir,
    provenance: origin,
  });
  const record = (p: Planned, result: RunRecord) => {
    // The model file first: a run row never points to a model that is not there.
    if (result.model) writeRunModel(runModelPath(opts.out, p.id), result.model);
    store.recordRun(result.run, result.neurons, result.curves);
    if (result.run.status !== 'ok') failures.push(result.run);
    unfinished.delete(p.spec);
    opts.log(runLine(p.index + 1, specs.length, result.run));
  };

  if ((opts.jobs ?? 1) <= 1) {
    for (const p of planned) {
      const indicator = epochIndicator(opts.stream, `${p.spec.dataset} ${p.spec.strategy.label} seed ${p.spec.seed}`, p.spec.protocol.epochs);
      const result = runJob(job(p), p.data, opts.log, indicator.onEpoch);
      indicator.clear();
      record(p, result);
    }
  } else {
    await runInWorkers(planned, unfinished, opts, job, record);
  }
  if (skipped) opts.log(`--resume: ${skipped} run(s) already recorded, skipped`);
  return {
    report: await writeReport(opts.out, { reference: opts.reference, claims: opts.claims, order: opts.order }),
    ran: planned.length,
    skipped,
    unloadable,
    failures,
  };
}

/** Loads each dataset once, names every run, and drops what --resume already has. */
async function plan(specs: RunSpec[], store: ResultStore, opts: SuiteRunOptions) {
  const datasets = new Map<string, Promise<PreparedDataset>>();
  const unloadable = new Map<string, string>();
  const planned: Planned[] = [];
  let skipped = 0;
  for (const [index, spec] of specs.entries()) {
    const key = datasetKey(spec);
    const loaded = !datasets.has(key);
    if (loaded) datasets.set(key, loadDataset(spec.dataset, loadOptions(spec)));
    let data: PreparedDataset;
    try {
      data = await datasets.get(key)!;
      if (loaded) for (const warning of data.warnings) opts.log(`dataset ${spec.dataset}: ${warning}`);
    } catch (err) {
      const reason = err instanceof Error ? err.message : String(err);
      if (!unloadable.has(spec.dataset)) opts.log(`dataset ${spec.dataset} skipped: ${reason}`);
      unloadable.set(spec.dataset, reason);
      continue;
    }
    const hash = configHash(spec, data);
    const id = runId(spec, hash);
    if (opts.resume && store.has(id, ['ok', 'diverged'])) skipped++;
    else {
      planned.push({ index, spec, data, id, hash, budgetSource: budgetSource(spec, specs), starts: startingFiles(spec, data, opts.cacheDir) });
    }
  }
  return { planned, skipped, unloadable };
}

/** Signals that stop a suite run in worker processes (one process alone ends on them by default: nothing is half-written). */
const STOP_SIGNALS: NodeJS.Signals[] = ['SIGINT', 'SIGTERM', 'SIGHUP'];

/**
 * Hands runs to worker processes in matrix order. A run waits while the run its budget matches
 * is unfinished, or while another in-flight run is training cached weights it starts from.
 */
async function runInWorkers(
  planned: Planned[],
  unfinished: Set<RunSpec>,
  opts: SuiteRunOptions,
  job: (p: Planned) => Job,
  record: (p: Planned, result: RunRecord) => void,
): Promise<void> {
  let fail: (err: Error) => void = () => {};
  if (!opts.workerEntry) throw new Error('--jobs above 1 needs the worker entry point (bin/worker.ts)');
  const pool = new WorkerPool(Math.min(opts.jobs ?? 1, planned.length), opts.backend, opts.log, (err) => fail(err), opts.workerEntry);
  const pending = [...planned];
  const training = new Map<Planned, string[]>();
  const ready = ({ budgetSource: source, starts }: Planned) => {
    if (source && unfinished.has(source)) return false;
    const inFlight = new Set([...training.values()].flat());
    return starts.every((file) => existsSync(file) || !inFlight.has(file));
  };
  let stopping: NodeJS.Signals | null = null;
  const stop = (signal: NodeJS.Signals) => {
    // A second signal: the user means it; the workers are already told to stop.
    if (stopping) process.exit(128 + constants.signals[signal]);
    stopping = signal;
    pool.kill();
    fail(new Interrupted(signal));
  };
  for (const signal of STOP_SIGNALS) process.on(signal, stop);
  try {
    await new Promise<void>((resolve, reject) => {
      fail = reject;
      const dispatch = () => {
        while (pool.idle() > 0) {
          const next = pending.findIndex(ready);
          if (next < 0) break;
          const [p] = pending.splice(next, 1);
          training.set(
            p,
            p.starts.filter((file) => !existsSync(file)),
          );
          const work = job(p);
          pool
            .run(work)
            .then((outcome) => {
              if (stopping) return;
              training.delete(p);
              // A crashed worker measured nothing: the run's row says failed and why.
              record(p, 'record' in outcome ? outcome.record : { run: { ...baseRow(work, p.data), error: outcome.crashed }, neurons: [], curves: [] });
              if (pending.length === 0 && pool.busy() === 0) resolve();
              else dispatch();
            })
            .catch(reject);
        }
        if (pending.length > 0 && pool.busy() === 0) reject(new Error(`${pending.length} run(s) wait on runs that never finish`));
      };
      if (pending.length === 0) resolve();
      else dispatch();
    });
  } finally {
    // Once stopping, the handlers stay until the process ends: removed, a second signal during the unwinding
    // would take the default action and end the process with no exit code instead of 128 + n.
    if (!stopping) for (const signal of STOP_SIGNALS) process.off(signal, stop);
    pool.close();
  }
}

/** A budget in bits, or the average weight bits the matched run reached (it ran earlier: the matrix orders it first). */
function resolveBudget(p: Planned, store: ResultStore): ResolvedBudget {
  const { spec, data, budgetSource: source } = p;
  const budget = spec.strategy.budget;
  if (!budget) return { bits: null };
  if ('bits' in budget) return { bits: budget.bits };
  const row = source && store.get(runId(source, configHash(source, data)));
  if (!row) return { error: `budget match:${budget.match}: no ${budget.match} run for ${spec.dataset} seed ${spec.seed} in this matrix` };
  if (row.status !== 'ok' || row.avg_weight_bits === null) return { error: `budget match:${budget.match}: the matched run ${row.run_id} is ${row.status}` };
  return { bits: row.avg_weight_bits };
}
