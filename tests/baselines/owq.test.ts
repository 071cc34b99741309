import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import * as tf from '@tensorflow/tfjs';
import { describe, expect, it } from 'vitest';
import { owq, weakRowCounts, weakRows } from '../../baselines/owq.js';
import { exportRun } from '../../src/export/export-run.js';
import { readTable } from '../../src/results/arrow-io.js';
import { CURVES_SCHEMA, RUNS_SCHEMA } from '../../src/results/schema.js';
import { makeRng } from '../../src/rng.js';
import { resolveStrategyOptions } from '../../src/strategy/registry.js';
import type { LayerSpec } from '../../src/layers/layer.js';
import type { ModelProbe } from '../../src/strategy/types.js';
import type { StrategyOptions } from '../../src/strategy/options.js';
import { buildMatrix } from '../../src/run/matrix.js';
import { getProfile } from '../../src/run/profiles.js';
import { runSuite } from '../../src/run/runner.js';
import type { SuiteDefinition } from '../../src/run/types.js';

const layer = (name: string, fanIn: number, fanOut: number): LayerSpec => ({ name, fanIn, fanOut, activation: null, input: null, rowsPerSample: 1 });

describe('how many weak rows a budget buys', () => {
  it('the same fraction of every layer, rounded down, then the largest remainders while the budget holds', () => {
    const layers = [layer('a', 40, 8), layer('b', 128, 128), layer('c', 128, 3)];
    // f = 0.28 / 12: 40 f = 0.93, 128 f = 2.99 -> (0, 2, 2), 262 of at most f x 17088 = 398.7 weights at 16 bits.
    // Remainders: b and c 0.99 (b first), a 0.93: b +128 -> 390, c +3 -> 393, a +8 -> 401 does not fit.
    expect(weakRowCounts(layers, 4, 16, 4.28)).toEqual([0, 3, 3]);
    expect(weakRowCounts(layers, 4, 16, 16)).toEqual([40, 128, 128]);
    expect(weakRowCounts(layers, 4, 16, 4)).toEqual([0, 0, 0]);
    expect(() => weakRowCounts(layers, 4, 16, 3)).toThrow('owq: budget 3.000 average bits is below the lowest width 4');
  });

  it('ranks rows by sensitivity, ties to the lower index', () => {
    expect(weakRows([0.25, 1, 0, 1.5], 1)).toEqual([3]);
    expect(weakRows([0.25, 1, 0, 1.5], 2)).toEqual([1, 3]);
    expect(weakRows([1, 2, 2, 0], 1)).toEqual([1]);
  });
});

describe('owq on a layer worked by hand', () => {
  // Rows (input channels) of a [4, 2] kernel and a diagonal Gram matrix E[x_i^2] = (0.1, 1, 5, 3).
  const KERNEL = [
    [2, 0],
    [0.5, -1],
    [-1, 0.5],
    [0.5, -0.5],
  ];
  const GRAM = Float64Array.from({ length: 16 }, (_, e) => (e % 5 === 0 ? [0.1, 1, 5, 3][e / 5] : 0));
  const refuse = (): never => {
    throw new Error('not used');
  };

  function searched(options: Partial<StrategyOptions>, budget: number) {
    const kernel = tf.tensor2d(KERNEL);
    const probe: ModelProbe = {
      kernel: () => kernel,
      inputGram: () => [GRAM],
      inputSecondMoments: refuse,
      kernelGradient: refuse,
      fineTune: refuse,
      reference: { metric: 1, higherIsBetter: true },
    };
    return owq.create(resolveStrategyOptions(owq, options) as Parameters<typeof owq.create>[0], {
      layers: [layer('out', 4, 2)],
      rng: makeRng(1),
      budget,
      probe,
    });
  }

  it('keeps the rows where H_ii x the low-bit error is largest, and rounds the others per neuron', () => {
    // 1 bit per neuron over the whole kernel: column 0 (2, .5, -1, .5) -> mean|w| 1, column 1 (0, -1, .5, -.5) -> 0.5;
    // squared errors per row (1 + .25, .25 + .25, 0, .25 + 0) = (1.25, .5, 0, .25); H_ii = 2 E[x_i^2] = (.2, 2, 10, 6);
    // sensitivities (.25, 1, 0, 1.5): row 3 is the weakest; row 0 has the largest error, row 2 the largest H_ii.
    // Budget 2.75 at 1 / 8 bits: (2.75 - 1) / 7 = 1/4 of the 4 rows.
    const q = searched({ baseBits: 1, highBits: 8 }, 2.75);
    const [report] = (q.searchReport as { layers: Record<string, unknown>[] }).layers;
    expect(report).toMatchObject({ layer: 'out', k: 1, weakRows: [3], hessianDiagonal: { min: 0.2, median: 2, max: 10 }, regridded: 0 });
    expect(q.bits()[0]).toMatchObject({ weightRows: [1, 1, 1, 8], neuronScaledRows: [0, 1, 2], weight: [2.75, 2.75] });
    expect(q.searchReport!.averageBits).toBe(2.75);
    // A diagonal H couples no rows: nothing to compensate. Rows 0-2 at 1 bit with scales over them alone
    // (mean |w| 3.5/3 and 0.5); the weak row stays as it was.
    const start = Array.from(q.startingKernels![0]!);
    const h = 3.5 / 3;
    expect(start).toEqual([h, 0.5, h, -0.5, -h, 0.5, 0.5, -0.5].map((v) => expect.closeTo(v, 6)));
    const error = report.outputError as { rounding: number; gptq: number };
    expect(error.gptq).toBeCloseTo(error.rounding, 12);
    expect(q.skipTraining).toBe(false);
    q.dispose();
  });

  it('finetune: false asks the core to skip QAT', () => {
    const q = searched({ baseBits: 1, highBits: 8, finetune: false }, 2.75);
    expect(q.skipTraining).toBe(true);
    q.dispose();
  });

  it('refuses widths GPTQ cannot round onto, and a budget below baseBits', () => {
    expect(() => resolveStrategyOptions(owq, { baseBits: 1.58 })).toThrow(/integer widths 1 <= baseBits < highBits <= 16/);
    expect(() => resolveStrategyOptions(owq, { baseBits: 8, highBits: 8 })).toThrow(/baseBits < highBits/);
    expect(() => resolveStrategyOptions(owq, { percdamp: 0 })).toThrow(/percdamp must be positive/);
    expect(() => searched({}, 2)).toThrow('owq: budget 2.000 average bits is below the lowest width 4');
  });
});

describe('owq through the suite runner, with and without QAT', () => {
  const suite: SuiteDefinition = {
    name: 'owq-test',
    description: 'owq test',
    datasets: ['churn'],
    models: [{ label: 'mlp', model: 'mlp', options: { depth: 2, width: 16 } }],
    strategies: [
      { label: 'owq', strategy: 'owq', options: { calibrationRows: 256 } },
      { label: 'owq-ptq', strategy: 'owq', options: { calibrationRows: 256, finetune: false } },
    ],
    protocol: { epochs: 2, patience: 2, seeds: [1], maxRows: 600 },
  };

  it('searches, trains (or not), and exports with integer inference equal to the run', async () => {
    const out = mkdtempSync(join(tmpdir(), 'qatbench-owq-'));
    const specs = buildMatrix(suite, getProfile('quick'));
    await runSuite(specs, {
      out,
      resume: false,
      backend: 'cpu',
      cacheDir: mkdtempSync(join(tmpdir(), 'qatbench-cache-')),
      log: () => {},
      stream: process.stderr,
    });
    const runs = readTable(join(out, 'runs.arrow'), RUNS_SCHEMA);
    const curves = readTable(join(out, 'curves.arrow'), CURVES_SCHEMA);
    expect(runs.map((r) => [r.strategy, r.status, r.init])).toEqual([
      ['owq', 'ok', 'pretrained'],
      ['owq-ptq', 'ok', 'pretrained'],
    ]);
    for (const run of runs) {
      const info = JSON.parse(run.search_info!) as {
        averageBits: number;
        layers: { k: number; regridded: number; outputError: { rounding: number; gptq: number } }[];
      };
      expect(run.budget_bits).toBe(4.28);
      expect(run.avg_weight_bits).toBeCloseTo(info.averageBits, 12);
      expect(run.avg_weight_bits!).toBeLessThanOrEqual(4.28);
      // 16-16-2 on churn's features: weak rows only where a row costs few enough weights
      expect(info.layers.map((l) => l.k).reduce((a, b) => a + b)).toBeGreaterThan(0);
      // The hidden layers' inputs are correlated ReLU outputs: compensation beats rounding there.
      for (const l of info.layers.slice(1)) expect(l.outputError.gptq).toBeLessThan(l.outputError.rounding);
      // After the GPTQ passes on refitted grids, the QAT quantizer leaves every low-bit weight where GPTQ put it.
      expect(info.layers.map((l) => l.regridded)).toEqual(info.layers.map(() => 0));
      const { check, payloadBytes } = await exportRun(run.run_id, join(out, `${run.run_id}.qnn.json`), out);
      expect(check.mismatches).toBe(0);
      expect(payloadBytes).toBe(run.model_bytes);
      expect(check.metric.value).toBe(run.test_metric);
    }
    const [qat, ptq] = runs;
    expect(qat.epochs).toBeGreaterThan(0);
    // Without QAT: no epoch, no curve; the clips calibrated and the search's kernels evaluated as they are.
    expect([ptq.epochs, ptq.best_epoch]).toEqual([0, 0]);
    expect(curves.filter((c) => c.run_id === ptq.run_id)).toEqual([]);
    expect(ptq.avg_activation_bits).toBe(8);
  });
});
