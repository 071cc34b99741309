import { WORKER_ENTRY } from '../../bin/catalog.js';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parseShard } from '../../src/cli/parse.js';
import { mergeResults } from '../../src/results/merge.js';
import { ResultStore } from '../../src/results/store.js';
import { buildMatrix, shardMatrix } from '../../src/run/matrix.js';
import { getProfile } from '../../src/run/profiles.js';
import { runSuite } from '../../src/run/runner.js';
import type { SuiteDefinition } from '../../src/run/types.js';

const suite: SuiteDefinition = {
  name: 'parallel-test',
  description: 'parallel test',
  datasets: ['vod', 'churn'],
  models: [{ label: 'mlp', model: 'mlp', options: { depth: 1, width: 8 } }],
  strategies: [
    { label: 'uniform-w2', strategy: 'uniform', options: { weightBits: 2 } },
    { label: 'hawq', strategy: 'hawq', options: { budget: 'match:uniform-w2', maxIter: 4 } },
    { label: 'channel-wise', strategy: 'channel-wise', options: { budget: '3' } },
  ],
  protocol: { epochs: 2, patience: 2, seeds: [1, 2], maxRows: 400 },
};
const tmp = (prefix: string) => mkdtempSync(join(tmpdir(), prefix));
const options = (out: string, jobs: number) => ({
  out,
  resume: false,
  backend: 'cpu',
  cacheDir: tmp('qatbench-cache-'),
  jobs,
  workerEntry: WORKER_ENTRY,
  log: () => {},
  stream: process.stderr,
});
const numbers = (out: string) =>
  new ResultStore(out)
    .runs()
    .map((r) => [r.run_id, r.status, r.test_metric, r.avg_weight_bits, r.budget_bits, r.search_info])
    .sort((a, b) => String(a[0]).localeCompare(String(b[0])));

describe('parallel runs and shards', () => {
  it('--jobs 2 in worker processes gives the same rows as one process, waiting for matched budgets and checkpoints', async () => {
    const specs = buildMatrix(suite, getProfile('quick'));
    const [serial, parallel] = [tmp('qatbench-serial-'), tmp('qatbench-parallel-')];
    await runSuite(specs, options(serial, 1));
    const outcome = await runSuite(specs, options(parallel, 2));
    expect(outcome.ran).toBe(12);
    expect(numbers(parallel)).toEqual(numbers(serial));
    expect(new ResultStore(parallel).runs().every((r) => r.status === 'ok')).toBe(true);
  }, 120_000);

  it('shards partition the matrix, keeping each dataset, model and seed together', () => {
    const specs = buildMatrix(suite, getProfile('quick'));
    const shards = [0, 1, 2].map((i) => shardMatrix(specs, i, 3));
    expect(shards.flat().length).toBe(specs.length);
    expect(new Set(shards.flat())).toEqual(new Set(specs));
    const groupsOf = (part: typeof specs) => new Set(part.map((s) => `${s.dataset}/${s.seed}`));
    for (const [i, a] of shards.entries()) for (const b of shards.slice(i + 1)) for (const g of groupsOf(a)) expect(groupsOf(b).has(g)).toBe(false);
    expect(shardMatrix(specs, 1, 3)).toEqual(shards[1]); // deterministic
    expect(parseShard('2/4')).toEqual({ index: 2, count: 4 });
    for (const bad of ['4/4', '1', '-1/2', 'a/b', '0/0']) expect(() => parseShard(bad)).toThrow(`--shard takes i/n with 0 <= i < n (e.g. 0/4), got "${bad}"`);
  });

  it('merge combines shard directories into the tables of one run, each run once', async () => {
    const specs = buildMatrix({ ...suite, strategies: suite.strategies.slice(0, 1) }, getProfile('quick'));
    const [whole, a, b, merged] = [tmp('qatbench-whole-'), tmp('qatbench-a-'), tmp('qatbench-b-'), tmp('qatbench-merged-')];
    await runSuite(specs, options(whole, 1));
    await runSuite(shardMatrix(specs, 0, 2), options(a, 1));
    // Shard b runs everything once more: the overlap with a is dropped, keeping the later copy.
    await runSuite(specs, options(b, 1));
    expect(mergeResults([a, b], merged)).toEqual({ runs: 4, duplicates: 2 });
    expect(numbers(merged)).toEqual(numbers(whole));
    const store = new ResultStore(merged);
    for (const run of store.runs()) expect(store.rowsOf(run.run_id).curves).toHaveLength(run.epochs);
    expect(() => mergeResults([tmp('qatbench-empty-')], merged)).toThrow(/no runs\.arrow in .*: not a results directory/);
  }, 60_000);
});
