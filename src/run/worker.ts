/** A worker process of `--jobs N`: its own tfjs; receives jobs, executes them, sends the rows back. Only the parent writes results. */
import { type BackendChoice, initBackend } from '../backend.js';
import { loadDataset } from '../data/load.js';
import type { PreparedDataset } from '../data/types.js';
import { runJob } from './execute-run.js';
import { datasetKey, type Job, loadOptions } from './jobs.js';

export type ToWorker = { type: 'job'; job: Job } | { type: 'exit' };
export type FromWorker = { type: 'ready' } | { type: 'log'; line: string } | { type: 'done'; record: ReturnType<typeof runJob> };

const datasets = new Map<string, Promise<PreparedDataset>>();

/**
 * A worker whose parent is gone has no one to send its rows to: it leaves at once, quietly (a send
 * into the closed channel would throw EPIPE from deep inside tfjs's minified code).
 */
const parent = process.ppid;
function leaveIfOrphaned(): void {
  if (!process.connected || process.ppid !== parent) process.exit(0);
}
const send = (message: FromWorker) => {
  leaveIfOrphaned();
  process.send!(message);
};

/** Serves jobs from the parent process until it says exit; bin/worker.ts calls it once the catalog is loaded. */
export async function serveJobs(): Promise<void> {
  await initBackend((process.env.QATBENCH_WORKER_BACKEND ?? 'auto') as BackendChoice);
  process.on('disconnect', () => process.exit(0));
  process.on('message', async (message: ToWorker) => {
    if (message.type === 'exit') process.exit(0);
    const { spec } = message.job;
    const key = datasetKey(spec);
    if (!datasets.has(key)) datasets.set(key, loadDataset(message.job.dataset, loadOptions(spec)));
    const data = await datasets.get(key)!;
    // Training is synchronous: the parent is checked once an epoch, where a run can stop between steps.
    send({ type: 'done', record: runJob(message.job, data, (line) => send({ type: 'log', line }), leaveIfOrphaned) });
  });
  send({ type: 'ready' });
}
