/**
 * Taking a results directory for writing: it must be new, empty or a qatbench results directory
 * (never a checkout or a home folder whose README.md the report would overwrite), writable, and
 * held by one process at a time (a lock file naming the holder), checked before any training.
 */
import { existsSync, mkdirSync, openSync, readdirSync, readFileSync, rmSync, statSync, writeSync, closeSync } from 'node:fs';
import { hostname } from 'node:os';
import { join } from 'node:path';
import { UsageError } from '../errors.js';

const LOCK = '.qatbench.lock';

/** What a results directory may hold: its tables, renderings, charts, saved models, the lock, and temporary files of atomic writes. */
const RESULT_ENTRIES = new Set([
  'runs.arrow',
  'neurons.arrow',
  'curves.arrow',
  'summary.arrow',
  'claims.arrow',
  'README.md',
  'report.html',
  'tables.md',
  'charts',
  'models',
  LOCK,
]);

interface LockHolder {
  pid: number;
  host: string;
  since: string;
  command: string;
}

/** Refuses a directory that is not (or cannot become) a qatbench results directory, in one line. */
export function checkResultsDir(dir: string): void {
  if (dir.trim() === '') throw new UsageError('the results directory is empty (""): name one, e.g. --out results/mine');
  if (!existsSync(dir)) return;
  if (!statSync(dir).isDirectory()) throw new UsageError(`${dir} is a file, not a results directory`);
  const foreign = readdirSync(dir).filter((name) => !RESULT_ENTRIES.has(name) && !name.endsWith('.tmp'));
  if (foreign.length > 0)
    throw new UsageError(
      `${dir} holds files that are not qatbench results (${foreign.slice(0, 4).join(', ')}${foreign.length > 4 ? ', ...' : ''}); name a new or empty directory, or a results directory`,
    );
}

const alive = (pid: number) => {
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    return (err as NodeJS.ErrnoException).code === 'EPERM';
  }
};

function holderOf(lock: string): LockHolder | null {
  try {
    return JSON.parse(readFileSync(lock, 'utf8')) as LockHolder;
  } catch {
    return null; // half-written by a holder that died at once: stale
  }
}

/**
 * Checks the directory, creates it and takes its lock; the returned function releases it. A lock
 * whose process is gone (killed, machine restarted) is stale and taken over.
 */
export function holdResultsDir(dir: string, command: string): () => void {
  checkResultsDir(dir);
  const lock = join(dir, LOCK);
  const me: LockHolder = { pid: process.pid, host: hostname(), since: new Date().toISOString(), command };
  for (let attempt = 0; attempt < 2; attempt++) {
    let fd: number;
    try {
      mkdirSync(dir, { recursive: true });
      fd = openSync(lock, 'wx');
    } catch (err) {
      const { code, message } = err as NodeJS.ErrnoException;
      if (code !== 'EEXIST') throw new UsageError(`cannot write results to ${dir}: ${code ?? message}`);
      const holder = holderOf(lock);
      if (holder && (holder.host !== me.host || alive(holder.pid)))
        throw new UsageError(
          `results directory ${dir} is in use by process ${holder.pid} on ${holder.host} (${holder.command}, since ${holder.since}); wait for it or choose another --out`,
        );
      rmSync(lock, { force: true });
      continue;
    }
    writeSync(fd, JSON.stringify(me));
    closeSync(fd);
    let released = false;
    const release = () => {
      if (released) return;
      released = true;
      process.off('exit', release);
      if (holderOf(lock)?.pid === process.pid) rmSync(lock, { force: true });
    };
    process.on('exit', release);
    return release;
  }
  throw new UsageError(`results directory ${dir}: its lock ${lock} could not be taken`);
}
