import { spawnSync } from 'node:child_process';
import { existsSync, readdirSync, mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { WORKER_ENTRY } from '../../bin/catalog.js';
import { runCli } from '../../src/cli/commands.js';
import { readTable, writeTable } from '../../src/results/arrow-io.js';
import { checkResultsDir } from '../../src/results/results-dir.js';
import { RUNS_SCHEMA } from '../../src/results/schema.js';
import { brokenStrategy } from '../helpers.js';

import { datasetNames } from '../../src/data/registry.js';
import { modelNames } from '../../src/model/registry.js';
import { getSuite, suiteNames } from '../../src/run/registry.js';
import { profileNames } from '../../src/run/profiles.js';
import { registerStrategy, strategyNames } from '../../src/strategy/registry.js';
import { METRIC_NAMES } from '../../src/metrics/task-metrics.js';

registerStrategy(brokenStrategy('cli-broken'));

const root = new URL('../../', import.meta.url);
const scratch = () => mkdtempSync(join(tmpdir(), 'qb-cli-'));

/** The command line in this process: its exit code and what it wrote. */
async function cli(...args: string[]) {
  const stdout: string[] = [];
  const stderr: string[] = [];
  const code = await runCli(args, { workerEntry: WORKER_ENTRY }, { log: (line) => stdout.push(line), error: (line) => stderr.push(line) });
  return { code, stdout: stdout.join('\n'), stderr: stderr.join('\n') };
}

/** The real command as a process: the exit code and streams a shell or CI sees. */
function spawned(...args: string[]) {
  const r = spawnSync(process.execPath, ['--import', 'tsx', 'bin/qatbench.ts', ...args], { cwd: root, encoding: 'utf8' });
  return { code: r.status, stdout: r.stdout, stderr: r.stderr.trim() };
}

/** A short real suite run on the cpu backend in one process: vod, the MLP, one seed, one epoch. */
const TINY = ['--datasets', 'vod', '--models', 'mlp', '--seeds', '1', '--epochs', '1', '--max-rows', '300', '--jobs', '1', '--backend', 'cpu'];

/** The smoke suite's labels and registered names, then every registered strategy it lacks: what --strategies accepts. */
function smokeStrategies(): string {
  const entries = getSuite('smoke').strategies;
  return [...new Set([...entries.flatMap((e) => [e.label, e.strategy]), ...strategyNames()])].join(', ');
}

describe('command line: bad input gets one clear line and exit code 2', () => {
  it.each([
    [['suite', 'nope'], `qatbench: unknown suite "nope"; valid: ${suiteNames().join(', ')}`],
    [['suite', 'smoke', '--profile', 'fast'], `qatbench: unknown profile "fast"; valid: ${profileNames().join(', ')}`],
    [['suite', 'smoke', '--backend', 'gpu'], 'qatbench: unknown backend "gpu"; valid: auto, tensorflow, wasm, cpu'],
    [['suite', 'smoke', '--datasets', 'vod,mnist'], `qatbench: unknown dataset "mnist"; valid: ${datasetNames().join(', ')}`],
    [['suite', 'smoke', '--strategies', 'fp16'], `qatbench: unknown strategy "fp16"; valid: ${smokeStrategies()}`],
    [['suite', 'smoke', '--datasets', 'vod', '--datasets', 'mnist'], `qatbench: unknown dataset "mnist"; valid: ${datasetNames().join(', ')}`],
    [
      ['suite', 'smoke', '--models', 'cnn'],
      `qatbench: unknown model "cnn"; valid: ${[...new Set([...getSuite('smoke').models.map((m) => m.label), ...modelNames()])].join(', ')}`,
    ],
    [['suite', 'smoke', '--seeds', 'two'], 'qatbench: --seeds takes a count (3) or a list of non-negative integers (1,2,5), got "two"'],
    [['suite', 'smoke', '--epochs', '0'], 'qatbench: --epochs must be a positive integer, got 0'],
    [['suite', 'smoke', '--epochs', '3', '--epochs', '4'], 'qatbench: --epochs was given 2 times (3, 4); give it once'],
    [['suite', 'smoke', '--momentum', '1'], 'qatbench: --momentum must be a number > 0 and < 1, got 1'],
    [['suite', 'smoke', '--lr', '0'], 'qatbench: --lr must be a number > 0, got 0'],
    [['suite', 'smoke', '--batch-size', '2.5'], 'qatbench: --batch-size must be a positive integer, got 2.5'],
    [['suite', 'smoke', '--max-rows', '10'], 'qatbench: --max-rows must be an integer >= 100 or "all", got "10"'],
    [['suite', 'smoke', '--frobnicate'], 'qatbench: Unknown argument: frobnicate'],
    [['suite', 'smoke', '--budget', 'lots'], 'qatbench: --budget: budget must be average weight bits (e.g. 2.5) or match:<strategy>, got "lots"'],
    [['suite', 'smoke', '--shard', '3/2'], 'qatbench: --shard takes i/n with 0 <= i < n (e.g. 0/4), got "3/2"'],
    [['suite', 'smoke', '--pretrain', 'maybe'], 'qatbench: --pretrain must be on or off, got "maybe"'],
    [['suite', 'smoke', '--jobs', '0'], 'qatbench: --jobs must be a positive integer, got 0'],
    [['suite', 'smoke', '--out', ''], 'qatbench: the results directory is empty (""): name one, e.g. --out results/mine'],
    [['suite', 'smoke', '--metric', 'auc'], `qatbench: --metric must be one of ${METRIC_NAMES.join(', ')}, got "auc"`],
    [['suite', 'smoke', '--strategies', 'nmp-qat:tau=hot'], 'qatbench: strategy "nmp-qat" option "tau" must be a number, got "hot"'],
    [['suite', 'smoke', '--strategies', 'nmp-qat:0.1'], 'qatbench: --strategies "nmp-qat:0.1": options follow the name as key=value, e.g. nmp-qat:tau=0.1'],
    [['suite', '--suite-file', 'suites/none.ts'], 'qatbench: suites/none.ts: file not found'],
    [['suite'], 'qatbench: name a suite or give --suite-file'],
    [['merge', 'results/does-not-exist', '--out', 'results/nowhere'], 'qatbench: no runs.arrow in results/does-not-exist: not a results directory'],
    [['report', 'results/does-not-exist'], 'qatbench: no runs.arrow in results/does-not-exist: run a suite first'],
    [
      ['report', 'results/smoke', '--reference', 'foo'],
      'qatbench: unknown reference "foo"; valid: fp32, uniform-w4a8, nmp-qat-w, nmp-qat, layer-wise, channel-wise, hawq, releq, ppso, owq',
    ],
    [['list', 'colours'], 'qatbench: unknown list topic "colours"; valid: datasets, strategies, models, suites, profiles'],
    [[], 'qatbench: name a command: suite, reproduce, report, merge, upgrade, export, predict or list'],
    [['export', 'vod.mlp.fp32.s1.0', '--out', 'm.onnx', '--backend', 'cpu'], 'qatbench: m.onnx: a model file ends in .json or .arrow (e.g. model.qnn.json)'],
    [['predict', '--model', 'nowhere.qnn.json', '--input', 'rows.csv'], 'qatbench: nowhere.qnn.json: model file not found'],
  ])('%j', async (args, message) => {
    const r = await cli(...args);
    expect(r.stderr).toBe(message);
    expect(r.code).toBe(2);
  });

  it('merge of a directory that is not a results directory leaves --out uncreated', async () => {
    const out = join(mkdtempSync(join(tmpdir(), 'qatbench-merge-')), 'merged');
    const r = await cli('merge', 'results/does-not-exist', '--out', out);
    expect(r.code).toBe(2);
    expect(existsSync(out)).toBe(false);
  });

  it('list names every registered dataset, strategy, model, suite and profile', async () => {
    const r = await cli('list');
    expect(r.code).toBe(0);
    for (const name of [...datasetNames(), ...strategyNames(), ...modelNames(), ...suiteNames(), ...profileNames()]) expect(r.stdout).toContain(`  ${name} `);
  });

  it("list shows the model options a profile trains with, not the model's defaults", async () => {
    const quick = await cli('list', 'models');
    expect(quick.stdout).toMatch(/mlp .*options \(quick profile\) \{"depth":4,"width":128/);
    expect((await cli('list', 'models', '--profile', 'paper')).stdout).toMatch(/mlp .*options \(paper profile\) \{"depth":4,"width":512/);
  });
});

describe('command line: results directories', () => {
  it.each([
    ['the repository root', '.'],
    ['a folder with other files', 'notes'],
  ])('refuses %s as --out before any training, and writes nothing there', async (_, name) => {
    // The tests run in the repository root, as npm does.
    const dir = name === '.' ? '.' : join(scratch(), name);
    if (name !== '.') {
      mkdirSync(dir);
      writeFileSync(join(dir, 'README.md'), 'my notes\n');
      writeFileSync(join(dir, 'draft.txt'), 'x\n');
    }
    const before = readFileSync(join(dir, 'README.md'), 'utf8');
    const r = await cli('suite', 'smoke', ...TINY, '--out', dir);
    expect(r.stderr).toMatch(
      new RegExp(`^qatbench: ${dir.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&')} holds files that are not qatbench results \\(.+\\); name a new`),
    );
    expect(r.code).toBe(2);
    expect(readFileSync(join(dir, 'README.md'), 'utf8')).toBe(before);
    expect(existsSync(join(dir, 'runs.arrow'))).toBe(false);
  });

  it('refuses a file as --out, and a directory it cannot create, before any training', async () => {
    const file = join(scratch(), 'file');
    writeFileSync(file, 'x\n');
    expect(await cli('suite', 'smoke', ...TINY, '--out', file)).toMatchObject({
      code: 2,
      stderr: `qatbench: ${file} is a file, not a results directory`,
      stdout: '',
    });
    const below = join(file, 'sub');
    const r = await cli('suite', 'smoke', ...TINY, '--out', below);
    expect(r).toMatchObject({ code: 2, stderr: `qatbench: cannot write results to ${below}: ENOTDIR` });
    expect(r.stdout).not.toContain('/1]');
  });

  it('refuses a directory another live process holds, naming it; a lock left by a dead process is taken over', async () => {
    const dir = join(scratch(), 'held');
    mkdirSync(dir);
    const holder = { pid: process.ppid, host: (await import('node:os')).hostname(), since: '2026-01-01T00:00:00.000Z', command: 'suite smoke' };
    writeFileSync(join(dir, '.qatbench.lock'), JSON.stringify(holder));
    const r = await cli('suite', 'smoke', ...TINY, '--strategies', 'fp32', '--out', dir);
    expect(r.stderr).toBe(
      `qatbench: results directory ${dir} is in use by process ${holder.pid} on ${holder.host} (suite smoke, since ${holder.since}); wait for it or choose another --out`,
    );
    expect(r.code).toBe(2);
    // A pid beyond the kernel's limit is no live process.
    writeFileSync(join(dir, '.qatbench.lock'), JSON.stringify({ ...holder, pid: 2 ** 30 }));
    const again = await cli('suite', 'smoke', ...TINY, '--strategies', 'fp32', '--out', dir);
    expect(again.code).toBe(0);
    expect(existsSync(join(dir, '.qatbench.lock'))).toBe(false);
  });

  it('every committed results directory is a valid --out', () => {
    const results = new URL('results/', root).pathname;
    for (const name of readdirSync(results).filter((d) => existsSync(join(results, d, 'runs.arrow'))))
      expect(() => checkResultsDir(join(results, name)), name).not.toThrow();
  });
});

describe('command line: flags that change nothing, and failed runs', () => {
  it.each([
    [['--strategies', 'fp32', '--budget', '2'], 'qatbench: warning: --budget 2 has no effect: none of the strategies run (fp32) takes a budget'],
    [['--strategies', 'fp32', '--pretrain', 'off'], 'qatbench: warning: --pretrain off has no effect: none of the models run (mlp) pretrains'],
  ])('%j warns in one line and runs', async (flags, warning) => {
    const r = await cli('suite', 'smoke', ...TINY, ...flags, '--out', join(scratch(), 'out'));
    expect(r.stderr).toBe(warning);
    expect(r.code).toBe(0);
  });

  it('exits 1 when a run failed, listing it with its reason; --allow-failures accepts it', async () => {
    const out = join(scratch(), 'out');
    const r = await cli('suite', 'smoke', ...TINY, '--strategies', 'fp32,cli-broken', '--out', out);
    expect(r.stdout).toMatch(/1 run\(s\) did not finish ok:\n {2}vod\.mlp\.cli-broken\.s1\.\w+: failed: deliberately broken/);
    expect(r.stderr).toBe('qatbench: 1 of 2 run(s) failed or diverged (listed above); --allow-failures accepts them');
    expect(r.code).toBe(1);
    for (const file of ['README.md', 'report.html']) {
      const text = readFileSync(join(out, file), 'utf8');
      expect(text).toContain('Runs that did not finish ok');
      expect(text).toMatch(/vod\.mlp\.cli-broken\.s1\.\w+/);
      expect(text).toContain('deliberately broken');
    }
    const accepted = await cli('suite', 'smoke', ...TINY, '--strategies', 'fp32,cli-broken', '--out', out, '--allow-failures');
    expect(accepted.code).toBe(0);
    expect(accepted.stdout).toContain('did not finish ok');
  });
});

describe('command line: reproduce', () => {
  it('a rerun of committed runs is equal cell by cell; a changed cell is printed with both values and exits 1', async () => {
    const committed = join(scratch(), 'committed');
    const flags = [...TINY, '--strategies', 'fp32,uniform-w4a8'];
    expect((await cli('suite', 'smoke', ...flags, '--out', committed)).code).toBe(0);
    const same = await cli('reproduce', 'smoke', ...flags, '--results', committed);
    expect(same.stdout).toContain('every compared cell is equal');
    expect(same.code).toBe(0);

    const runs = readTable(join(committed, 'runs.arrow'), RUNS_SCHEMA);
    writeTable(join(committed, 'runs.arrow'), RUNS_SCHEMA, [{ ...runs[0], test_metric: 1234.5 }, ...runs.slice(1)]);
    const changed = await cli('reproduce', 'smoke', ...flags, '--results', committed);
    expect(changed.stdout).toContain(`  runs.arrow ${runs[0].run_id} test_metric: committed 1234.5, rerun ${runs[0].test_metric}`);
    expect(changed.stderr).toMatch(/^qatbench: 1 cell\(s\) of \S+ differ from \S+committed \(listed above\)$/);
    expect(changed.code).toBe(1);
  });
});

describe('command line as a process: the exit-code contract', () => {
  it('a usage error exits 2 with one line on stderr', () => {
    expect(spawned('suite', 'nope')).toMatchObject({
      code: 2,
      stderr: `qatbench: unknown suite "nope"; valid: ${suiteNames().join(', ')}`,
    });
  });

  it('list exits 0', () => {
    const r = spawned('list', 'suites');
    expect(r.code).toBe(0);
    expect(r.stdout).toContain('  smoke ');
  });
});
