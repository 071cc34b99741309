import { mkdtempSync, readdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { readTable } from '../../src/results/arrow-io.js';
import { NEURONS_SCHEMA, RUNS_SCHEMA } from '../../src/results/schema.js';
import { buildMatrix } from '../../src/run/matrix.js';
import { getProfile } from '../../src/run/profiles.js';
import { runSuite } from '../../src/run/runner.js';
import type { SuiteDefinition } from '../../src/run/types.js';

const suite: SuiteDefinition = {
  name: 'pretrain-test',
  description: 'tabformer pretraining cache',
  datasets: ['vod'],
  models: [{ label: 'tabformer', model: 'tabformer', options: { d: 8, heads: 2, blocks: 1, ff: 16, pretrainEpochs: 2 } }],
  strategies: [
    { label: 'fp32', strategy: 'fp32' },
    { label: 'uniform-w4a8', strategy: 'uniform', options: { weightBits: 4, activationBits: 8 } },
  ],
  protocol: { epochs: 2, patience: 2, seeds: [1], maxRows: 300 },
};

async function run(cacheDir: string, overrides = {}) {
  const out = mkdtempSync(join(tmpdir(), 'qb-pretrain-'));
  const lines: string[] = [];
  await runSuite(buildMatrix(suite, getProfile('quick'), overrides), {
    out,
    resume: false,
    backend: 'cpu',
    cacheDir,
    log: (l) => lines.push(l),
    stream: process.stderr,
  });
  return {
    runs: readTable(join(out, 'runs.arrow'), RUNS_SCHEMA),
    neurons: readTable(join(out, 'neurons.arrow'), NEURONS_SCHEMA),
    pretrainLines: lines.filter((l) => l.includes('pretrained (masked cells)')),
  };
}

describe('masked-cell pretraining in the runner', () => {
  it('pretrains once per dataset, model and seed, every strategy starts from it, and a second suite reuses the cache', async () => {
    const cacheDir = mkdtempSync(join(tmpdir(), 'qb-cache-'));
    const first = await run(cacheDir);
    expect(first.pretrainLines).toHaveLength(1);
    expect(readdirSync(join(cacheDir, 'pretrain'))).toHaveLength(1);
    expect(first.runs.map((r) => [r.status, r.init])).toEqual([
      ['ok', 'self-supervised'],
      ['ok', 'self-supervised'],
    ]);
    const seconds = first.runs[0].pretrain_seconds!;
    expect(seconds).toBeGreaterThan(0);
    expect(first.runs[1].pretrain_seconds).toBe(seconds); // the cost of the shared checkpoint, not of this run

    // neurons.arrow: every linear layer, one row per output neuron (and per site column where a site is wider).
    const uniform = first.neurons.filter((n) => n.run_id === first.runs[1].run_id);
    const perLayer = (layer: string) => uniform.filter((n) => n.layer === layer);
    expect([...new Set(uniform.map((n) => n.layer))]).toEqual(['b1.q', 'b1.k', 'b1.v', 'b1.o', 'b1.ff1', 'b1.ff2', 'head']);
    expect(perLayer('b1.k').map((n) => [n.weight_bits, n.activation_bits])).toEqual(new Array(8).fill([4, null]));
    expect(perLayer('b1.q').map((n) => [n.weight_bits, n.activation_bits])).toEqual(new Array(8).fill([4, 8]));
    // ff2: 8 output neurons, a 16-column input site (the hidden ReLU units).
    expect(perLayer('b1.ff2').map((n) => [n.weight_bits, n.activation_bits])).toEqual([...new Array(8).fill([4, 8]), ...new Array(8).fill([null, 8])]);

    const second = await run(cacheDir);
    expect(second.pretrainLines).toHaveLength(0);
    expect(second.runs.map((r) => r.test_metric)).toEqual(first.runs.map((r) => r.test_metric));
  });

  it('--pretrain off starts from the seeded initialisation: other numbers, no pretraining time', async () => {
    const cacheDir = mkdtempSync(join(tmpdir(), 'qb-cache-'));
    const on = await run(cacheDir);
    const off = await run(cacheDir, { pretrain: 'off' });
    expect(off.pretrainLines).toHaveLength(0);
    expect(off.runs.map((r) => [r.init, r.pretrain_seconds])).toEqual([
      ['scratch', null],
      ['scratch', null],
    ]);
    expect(off.runs[0].config_hash).not.toBe(on.runs[0].config_hash);
    expect(off.runs[0].test_metric).not.toBe(on.runs[0].test_metric);
  });
});
