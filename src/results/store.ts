/** The result tables of one results directory (e.g. results/telecom), keyed by run_id. */
import { join } from 'node:path';
import { encodeTable, readTable } from './arrow-io.js';
import { writeFileAtomic } from '../files.js';
import { CURVES_SCHEMA, NEURONS_SCHEMA, RUNS_SCHEMA } from './schema.js';
import type { CurveRow, NeuronRow, RunRow, RunStatus } from './types.js';

interface Tables {
  runs: RunRow[];
  neurons: NeuronRow[];
  curves: CurveRow[];
}

/**
 * Holds all rows in memory and rewrites whole files on every change (the tables are small).
 * One writer per directory: concurrent writers would each overwrite the other's runs.
 */
export class ResultStore {
  readonly runsPath: string;
  readonly neuronsPath: string;
  readonly curvesPath: string;
  private tables: Tables | null = null;

  constructor(readonly dir: string) {
    this.runsPath = join(dir, 'runs.arrow');
    this.neuronsPath = join(dir, 'neurons.arrow');
    this.curvesPath = join(dir, 'curves.arrow');
  }

  /** (Re)reads the files; the other methods call it on first use, so rows on disk are never dropped. */
  load(): void {
    this.tables = this.read();
  }

  /** Replaces every earlier row of run.run_id in all three tables, then rewrites the files. */
  recordRun(run: RunRow, neurons: readonly NeuronRow[], curves: readonly CurveRow[]): void {
    this.recordRuns([{ run, neurons, curves }]);
  }

  /** recordRun for many runs with one rewrite of the files (merging result directories). */
  recordRuns(batch: readonly { run: RunRow; neurons: readonly NeuronRow[]; curves: readonly CurveRow[] }[]): void {
    const old = this.loaded();
    const replaced = new Set(batch.map((b) => b.run.run_id));
    const others = <Row extends { run_id: string }>(rows: Row[]) => rows.filter((row) => !replaced.has(row.run_id));
    const next: Tables = {
      runs: [...others(old.runs), ...batch.map((b) => b.run)],
      neurons: [...others(old.neurons), ...batch.flatMap((b) => b.neurons)],
      curves: [...others(old.curves), ...batch.flatMap((b) => b.curves)],
    };
    // Encode everything before touching disk, so a bad row changes nothing. Then runs.arrow last: a crash
    // in between can leave new neuron/curve rows beside the old run row (replaced on re-run), but never
    // a run row whose neurons or curves are missing.
    const files: [string, Uint8Array][] = [
      [this.neuronsPath, encodeTable(this.neuronsPath, NEURONS_SCHEMA, next.neurons)],
      [this.curvesPath, encodeTable(this.curvesPath, CURVES_SCHEMA, next.curves)],
      [this.runsPath, encodeTable(this.runsPath, RUNS_SCHEMA, next.runs)],
    ];
    for (const [path, bytes] of files) writeFileAtomic(path, bytes);
    this.tables = next;
  }

  /** Rewrites the three files from the rows they hold: the current schema (columns added since as nulls) and content checksums. */
  rewrite(): void {
    this.recordRuns([]);
  }

  /** The neuron and curve rows of one run. */
  rowsOf(runId: string): { neurons: NeuronRow[]; curves: CurveRow[] } {
    const t = this.loaded();
    return { neurons: t.neurons.filter((r) => r.run_id === runId), curves: t.curves.filter((r) => r.run_id === runId) };
  }

  /** Whether run_id has a run row, optionally only with one of the given statuses (e.g. ['ok'] to retry failures). */
  has(runId: string, statusIn?: readonly RunStatus[]): boolean {
    return this.loaded().runs.some((run) => run.run_id === runId && (statusIn === undefined || statusIn.includes(run.status)));
  }

  get(runId: string): RunRow | undefined {
    return this.loaded().runs.find((run) => run.run_id === runId);
  }

  runs(): readonly RunRow[] {
    return this.loaded().runs;
  }

  private loaded(): Tables {
    return (this.tables ??= this.read());
  }

  private read(): Tables {
    return {
      runs: readTable(this.runsPath, RUNS_SCHEMA),
      neurons: readTable(this.neuronsPath, NEURONS_SCHEMA),
      curves: readTable(this.curvesPath, CURVES_SCHEMA),
    };
  }
}
