/**
 * The suite command as real processes: two on one results directory, signals to the parent (through npm,
 * as a user's Ctrl-C or a CI timeout sends them), and a parent killed outright under its workers.
 */
import { type ChildProcess, execFileSync, spawn } from 'node:child_process';
import { existsSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { readTable } from '../../src/results/arrow-io.js';
import { RUNS_SCHEMA } from '../../src/results/schema.js';

const root = new URL('../../', import.meta.url).pathname;

/** Enough runs (vod, the MLP, 3 seeds of 4 strategies, 15 epochs on 2000 rows) that a signal lands mid-suite. */
const SUITE = ['smoke', '--datasets', 'vod', '--models', 'mlp', '--strategies', 'fp32,uniform-w4a8,nmp-qat-w,layer-wise', '--seeds', '3'];
const LONG = ['--epochs', '15', '--patience', '15', '--max-rows', '2000', '--backend', 'cpu'];

interface Proc {
  child: ChildProcess;
  stdout: () => string;
  stderr: () => string;
  exit: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
}

function start(command: string, args: string[]): Proc {
  const child = spawn(command, args, { cwd: root, stdio: ['ignore', 'pipe', 'pipe'] });
  let out = '';
  let err = '';
  child.stdout!.on('data', (d) => (out += d));
  child.stderr!.on('data', (d) => (err += d));
  // 'close': every holder of the pipes (workers included) is gone.
  const exit = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) => child.on('close', (code, signal) => resolve({ code, signal })));
  return { child, stdout: () => out, stderr: () => err, exit };
}

const qatbench = (...args: string[]) => start(process.execPath, ['--import', 'tsx', 'bin/qatbench.ts', ...args]);

async function until(what: string, test: () => boolean, ms = 60_000): Promise<void> {
  const end = Date.now() + ms;
  while (!test()) {
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

const childrenOf = (pid: number): number[] => {
  try {
    return execFileSync('ps', ['-o', 'pid=', '--ppid', String(pid)], { encoding: 'utf8' })
      .split('\n')
      .filter(Boolean)
      .map(Number);
  } catch {
    return []; // ps exits 1 when there are none
  }
};

const alive = (pid: number) => {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
};

const finishedLines = (text: string) => text.split('\n').filter((line) => /^\[\d+\/\d+\] /.test(line));
const recorded = (out: string) => readTable(join(out, 'runs.arrow'), RUNS_SCHEMA);
const newOut = () => join(mkdtempSync(join(tmpdir(), 'qb-proc-')), 'out');

describe('the suite command as processes', () => {
  it('a second suite on the same --out refuses in one line naming the holder; the first loses no row', async () => {
    const out = newOut();
    const runs = ['smoke', '--datasets', 'vod', '--models', 'mlp', '--seeds', '1', ...LONG, '--jobs', '1', '--out', out];
    const first = qatbench('suite', ...runs, '--strategies', 'fp32,uniform-w4a8');
    await until('the first suite to hold the directory', () => existsSync(join(out, '.qatbench.lock')));
    const second = qatbench('suite', ...runs, '--strategies', 'nmp-qat-w,layer-wise');
    const refused = await second.exit;
    expect(refused.code).toBe(2);
    expect(second.stderr().trim()).toMatch(
      new RegExp(
        `^qatbench: results directory ${out} is in use by process ${first.child.pid} on \\S+ \\(suite smoke, since [0-9T:.-]+Z\\); wait for it or choose another --out$`,
      ),
    );
    expect((await first.exit).code).toBe(0);
    expect(recorded(out).map((run) => run.strategy)).toEqual(['fp32', 'uniform-w4a8']);
    expect(existsSync(join(out, '.qatbench.lock'))).toBe(false);
  });

  it.each(['SIGTERM', 'SIGINT'] as const)('%s to npm run suite stops the parent and its workers; the runs in flight are not recorded', async (signal) => {
    const out = newOut();
    const npm = start('npm', ['run', '--silent', 'suite', '--', ...SUITE, ...LONG, '--jobs', '2', '--out', out]);
    await until('a finished run', () => finishedLines(npm.stdout()).length >= 1);
    const [parent] = childrenOf(npm.child.pid!);
    const workers = childrenOf(parent);
    expect(workers.length).toBeGreaterThanOrEqual(2);
    npm.child.kill(signal);
    const started = Date.now();
    await npm.exit;
    await until('the parent and workers to end', () => !alive(parent) && workers.every((pid) => !alive(pid)), 10_000);
    expect(Date.now() - started).toBeLessThan(10_000);
    expect(npm.stderr()).toContain(`qatbench: stopped by ${signal}; the runs in flight were not recorded`);
    // Exactly the runs that finished before the signal are recorded, and nothing after.
    expect(recorded(out).length).toBe(finishedLines(npm.stdout()).length);
    expect(recorded(out).length).toBeLessThan(12);
    expect(existsSync(join(out, '.qatbench.lock'))).toBe(false);
  });

  it('SIGTERM to npm run suite --jobs 1 ends the process in the middle of a run; the next suite takes over its lock', async () => {
    const out = newOut();
    const npm = start('npm', ['run', '--silent', 'suite', '--', ...SUITE, ...LONG, '--jobs', '1', '--out', out]);
    await until('a finished run', () => finishedLines(npm.stdout()).length >= 1);
    const [suite] = childrenOf(npm.child.pid!);
    npm.child.kill('SIGTERM');
    await npm.exit;
    await until('the suite to end', () => !alive(suite), 10_000);
    const kept = recorded(out);
    expect(kept.length).toBe(finishedLines(npm.stdout()).length);
    // Training runs synchronously, so the process ends by the signal's default action: its lock stays, naming a dead process.
    expect(existsSync(join(out, '.qatbench.lock'))).toBe(true);
    const fp32 = ['--datasets', 'vod', '--models', 'mlp', '--strategies', 'fp32', '--seeds', '1'];
    const next = qatbench('suite', 'smoke', ...fp32, ...LONG, '--jobs', '1', '--out', out);
    expect((await next.exit).code).toBe(0);
    expect(recorded(out).length).toBeGreaterThanOrEqual(kept.length);
  });

  it('SIGHUP stops the parent and its workers; a second signal ends it at once', async () => {
    const out = newOut();
    const suite = qatbench('suite', ...SUITE, ...LONG, '--jobs', '2', '--out', out);
    await until('a finished run', () => finishedLines(suite.stdout()).length >= 1);
    const workers = childrenOf(suite.child.pid!);
    suite.child.kill('SIGHUP');
    suite.child.kill('SIGHUP');
    const { code } = await suite.exit;
    expect(code).toBe(128 + 1);
    await until('the workers to end', () => workers.every((pid) => !alive(pid)), 10_000);
    expect(recorded(out).length).toBe(finishedLines(suite.stdout()).length);
  });

  it('workers whose parent is killed outright exit within an epoch, quietly', async () => {
    const out = newOut();
    const suite = qatbench('suite', ...SUITE, ...LONG, '--jobs', '2', '--out', out);
    await until('a finished run', () => finishedLines(suite.stdout()).length >= 1);
    const workers = childrenOf(suite.child.pid!);
    expect(workers.length).toBeGreaterThanOrEqual(2);
    suite.child.kill('SIGKILL');
    await until('the orphaned workers to end', () => workers.every((pid) => !alive(pid)), 15_000);
    await suite.exit;
    expect(suite.stderr()).not.toMatch(/EPIPE|Error/);
  });
});
