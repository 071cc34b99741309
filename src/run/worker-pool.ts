import { type ChildProcess, fork } from 'node:child_process';
import type { RunRecord } from './execute-run.js';
import type { Job } from './jobs.js';
import type { FromWorker, ToWorker } from './worker.js';

/** The rows a worker sent back, or why its process died during the run. */
export type WorkerOutcome = { record: RunRecord } | { crashed: string };

interface Slot {
  child: ChildProcess;
  ready: Promise<void>;
  started: boolean;
  job: ((outcome: WorkerOutcome) => void) | null;
}

/**
 * Worker processes, each with its own tfjs (wasm runs one thread per process). A worker that
 * dies takes only its run with it (the runner records it as failed) and a new worker replaces it.
 */
export class WorkerPool {
  private readonly slots: Slot[];

  /** `fatal` hears of a worker that cannot even start: respawning it would only fail again. */
  constructor(
    size: number,
    private readonly backend: string,
    private readonly log: (line: string) => void,
    private readonly fatal: (err: Error) => void,
    /** The worker process script (bin/worker.ts): an entry point, which loads the catalog. */
    private readonly entry: string,
  ) {
    this.slots = Array.from({ length: size }, () => this.spawn());
  }

  idle(): number {
    return this.slots.filter((s) => s.job === null).length;
  }

  busy(): number {
    return this.slots.length - this.idle();
  }

  /** Runs a job on an idle worker; a worker crash resolves to its reason, never a rejection. */
  run(job: Job): Promise<WorkerOutcome> {
    const slot = this.slots.find((s) => s.job === null);
    if (!slot) throw new Error('no idle worker');
    return new Promise<WorkerOutcome>((resolve) => {
      slot.job = resolve;
      void slot.ready.then(() => slot.child.send({ type: 'job', job } satisfies ToWorker));
    });
  }

  /** Ends every worker now (the parent is stopping): their runs in flight are dropped, not reported as crashes. */
  kill(): void {
    for (const slot of this.slots) {
      slot.child.removeAllListeners('exit');
      slot.child.removeAllListeners('message');
      slot.job = null;
      slot.child.kill('SIGTERM');
    }
  }

  close(): void {
    for (const slot of this.slots) {
      slot.child.removeAllListeners('exit');
      if (slot.child.connected) slot.child.send({ type: 'exit' } satisfies ToWorker);
    }
  }

  private spawn(): Slot {
    // The worker is TypeScript: tsx's loader runs it, whoever started this process.
    const child = fork(this.entry, [], {
      execArgv: ['--import', 'tsx'],
      serialization: 'advanced',
      env: { ...process.env, QATBENCH_WORKER_BACKEND: this.backend },
    });
    let markReady: () => void = () => {};
    const slot: Slot = { child, ready: new Promise((r) => (markReady = r)), started: false, job: null };
    child.on('message', (message: FromWorker) => {
      if (message.type === 'ready') {
        slot.started = true;
        markReady();
      } else if (message.type === 'log') this.log(message.line);
      else {
        const pending = slot.job;
        slot.job = null;
        pending?.({ record: message.record });
      }
    });
    child.on('exit', (code, signal) => {
      if (!slot.started) {
        this.fatal(new Error(`a worker process could not start (${signal ?? `exit code ${code}`}); its error is above, or run with --jobs 1`));
        return;
      }
      const pending = slot.job;
      const index = this.slots.indexOf(slot);
      if (index >= 0) this.slots[index] = this.spawn();
      slot.job = null;
      pending?.({ crashed: `worker process exited (${signal ?? `code ${code}`}) during the run` });
    });
    return slot;
  }
}
