import { spawnSync } from 'node:child_process';
import { describe, expect, it } from 'vitest';
import { datasetNames } from '../../src/data/registry.js';
import { modelNames } from '../../src/model/registry.js';
import { getSuite, suiteNames } from '../../src/run/registry.js';
import { profileNames } from '../../src/run/profiles.js';
import { strategyNames } from '../../src/strategy/registry.js';
import { METRIC_NAMES } from '../../src/metrics/task-metrics.js';

const root = new URL('../../', import.meta.url);

function cli(...args: string[]) {
  const r = spawnSync(process.execPath, ['--import', 'tsx', 'bin/qatbench.ts', ...args], { cwd: root, encoding: 'utf8' });
  return { code: r.status, stdout: r.stdout, stderr: r.stderr.trim() };
}

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
    [
      ['suite', 'smoke', '--models', 'cnn'],
      `qatbench: unknown model "cnn"; valid: ${[...new Set([...getSuite('smoke').models.map((m) => m.label), ...modelNames()])].join(', ')}`,
    ],
    [['suite', 'smoke', '--seeds', 'two'], 'qatbench: --seeds takes a count (3) or a list of non-negative integers (1,2,5), got "two"'],
    [['suite', 'smoke', '--epochs', '0'], 'qatbench: --epochs must be a positive integer, got 0'],
    [['suite', 'smoke', '--momentum', '1'], 'qatbench: --momentum must be a number > 0 and < 1, got 1'],
    [['suite', 'smoke', '--lr', '0'], 'qatbench: --lr must be a number > 0, got 0'],
    [['suite', 'smoke', '--batch-size', '2.5'], 'qatbench: --batch-size must be a positive integer, got 2.5'],
    [['suite', 'smoke', '--frobnicate'], 'qatbench: Unknown argument: frobnicate'],
    [['suite', 'smoke', '--budget', 'lots'], 'qatbench: --budget: budget must be average weight bits (e.g. 2.5) or match:<strategy>, got "lots"'],
    [['suite', 'smoke', '--shard', '3/2'], 'qatbench: --shard takes i/n with 0 <= i < n (e.g. 0/4), got "3/2"'],
    [['suite', 'smoke', '--pretrain', 'maybe'], 'qatbench: --pretrain must be on or off, got "maybe"'],
    [['suite', 'smoke', '--jobs', '0'], 'qatbench: --jobs must be a positive integer, got 0'],
    [['suite', 'smoke', '--metric', 'auc'], `qatbench: --metric must be one of ${METRIC_NAMES.join(', ')}, got "auc"`],
    [['suite', 'smoke', '--strategies', 'nmp-qat:tau=hot'], 'qatbench: strategy "nmp-qat" option "tau" must be a number, got "hot"'],
    [['suite', 'smoke', '--strategies', 'nmp-qat:0.1'], 'qatbench: --strategies "nmp-qat:0.1": options follow the name as key=value, e.g. nmp-qat:tau=0.1'],
    [['suite', '--suite-file', 'suites/none.ts'], 'qatbench: suites/none.ts: file not found'],
    [['suite'], 'qatbench: name a suite or give --suite-file'],
    [['merge', 'results/does-not-exist', '--out', 'results/nowhere'], 'qatbench: no runs.arrow in results/does-not-exist: not a results directory'],
    [['list', 'colours'], 'qatbench: unknown list topic "colours"; valid: datasets, strategies, models, suites, profiles'],
    [[], 'qatbench: name a command: suite, report, merge, export, predict or list'],
    [['export', 'vod.mlp.fp32.s1.0', '--out', 'm.onnx'], 'qatbench: m.onnx: a model file ends in .json or .arrow (e.g. model.qnn.json)'],
    [['predict', '--model', 'nowhere.qnn.json', '--input', 'rows.csv'], 'qatbench: nowhere.qnn.json: model file not found'],
  ])('%j', (args, message) => {
    const r = cli(...args);
    expect(r.stderr).toBe(message);
    expect(r.code).toBe(2);
  });

  it('report on a directory without results says so', () => {
    const r = cli('report', 'results/does-not-exist');
    expect(r.stderr).toBe('qatbench: no runs.arrow in results/does-not-exist: run a suite first');
    expect(r.code).toBe(2);
  });

  it('list names every registered dataset, strategy, model, suite and profile', () => {
    const r = cli('list');
    expect(r.code).toBe(0);
    for (const name of [...datasetNames(), ...strategyNames(), ...modelNames(), ...suiteNames(), ...profileNames()]) expect(r.stdout).toContain(`  ${name} `);
  });

  it("list shows the model options a profile trains with, not the model's defaults", () => {
    const quick = cli('list', 'models');
    expect(quick.stdout).toMatch(/mlp .*options \(quick profile\) \{"depth":4,"width":128/);
    expect(cli('list', 'models', '--profile', 'paper').stdout).toMatch(/mlp .*options \(paper profile\) \{"depth":4,"width":512/);
  });
});
