import { describe, expect, it } from 'vitest';
import { buildMatrix } from '../../src/run/matrix.js';
import { getProfile } from '../../src/run/profiles.js';
import { strategyNames } from '../../src/strategy/registry.js';
import type { SuiteDefinition } from '../../src/run/types.js';

const suite: SuiteDefinition = {
  name: 'matrix-test',
  description: 'run matrix selection',
  datasets: ['vod'],
  models: [{ label: 'tabformer', model: 'tabformer', options: { d: 8, heads: 2, blocks: 1, ff: 16, pretrainEpochs: 2 } }],
  strategies: [{ label: 'fp32', strategy: 'fp32' }],
  protocol: { seeds: [1] },
};

describe('the run matrix picks strategies and models', () => {
  it('a label wins over a registered name spelled the same; a name alone picks every entry of that strategy', () => {
    const nmpSuite: SuiteDefinition = {
      ...suite,
      strategies: [
        { label: 'nmp-qat-w', strategy: 'nmp-qat', options: { mode: 'w' } },
        { label: 'nmp-qat', strategy: 'nmp-qat', options: { mode: 'wa' } },
        { label: 'uniform-w4a8', strategy: 'uniform', options: { weightBits: 4, activationBits: 8 } },
      ],
    };
    const labels = (strategies: string[]) => buildMatrix(nmpSuite, getProfile('quick'), { strategies }).map((s) => s.strategy.label);
    expect(labels(['nmp-qat'])).toEqual(['nmp-qat']);
    expect(labels(['uniform'])).toEqual(['uniform-w4a8']);
  });

  it('--pretrain off zeroes pretrainEpochs of the models that have it and leaves the others alone', () => {
    const both: SuiteDefinition = { ...suite, models: [...suite.models, { label: 'mlp', model: 'mlp', options: { depth: 1, width: 4 } }] };
    const options = buildMatrix(both, getProfile('quick'), { pretrain: 'off', strategies: ['fp32'] }).map((s) => s.model.options);
    expect(options).toEqual([
      { d: 8, heads: 2, blocks: 1, ff: 16, pretrainEpochs: 0, maskFraction: 0.15, pretrainLr: 1e-3 },
      { depth: 1, width: 4 },
    ]);
  });

  it("training flags replace the profile's settings; flags not given leave them", () => {
    const [spec] = buildMatrix(suite, getProfile('paper'), { training: { batchSize: 64, momentum: 0.9, patience: undefined } });
    const paper = getProfile('paper').protocol;
    expect(spec.protocol).toMatchObject({ batchSize: 64, momentum: 0.9, patience: paper.patience, epochs: paper.epochs, learningRate: paper.learningRate });
  });
});

describe('a matrix beyond its suite, options and metric from the command line', () => {
  const quick = getProfile('quick');

  it('keeps the suite name while the matrix stays within the suite', () => {
    expect(new Set(buildMatrix(suite, quick, {}).map((s) => s.suite))).toEqual(new Set(['matrix-test']));
    expect(new Set(buildMatrix(suite, quick, { strategies: ['fp32'] }).map((s) => s.suite))).toEqual(new Set(['matrix-test']));
  });

  it('labels a matrix with datasets or strategies the suite lacks as its own, the same additions the same label', () => {
    const labelOf = (overrides: Parameters<typeof buildMatrix>[2]) => [...new Set(buildMatrix(suite, quick, overrides).map((s) => s.suite))];
    const withChurn = labelOf({ datasets: ['vod', 'churn'] });
    expect(withChurn).toHaveLength(1);
    expect(withChurn[0]).toMatch(/^matrix-test-custom-[0-9a-f]{8}$/);
    expect(labelOf({ datasets: ['churn', 'vod'] })).toEqual(withChurn);
    expect(labelOf({ strategies: ['fp32', 'uniform'] })[0]).toMatch(/^matrix-test-custom-/);
    expect(labelOf({ strategies: ['fp32', 'uniform'] })).not.toEqual(withChurn);
  });

  it("reads strategy options given with a name, checked by the strategy's own schema", () => {
    const specs = buildMatrix(suite, quick, { strategies: ['nmp-qat:tau=0.1', 'uniform:weightBits=2'] });
    expect(specs.map((s) => [s.strategy.label, s.strategy.name])).toEqual([
      ['nmp-qat:tau=0.1', 'nmp-qat'],
      ['uniform:weightBits=2', 'uniform'],
    ]);
    expect(specs[0].strategy.options.tau).toBe(0.1);
    expect(specs[1].strategy.options.weightBits).toBe(2);
    expect(() => buildMatrix(suite, quick, { strategies: ['uniform:weightBits=two'] })).toThrow('strategy "uniform" option "weightBits"');
    expect(() => buildMatrix(suite, quick, { strategies: ['uniform:colour=red'] })).toThrow('strategy "uniform" has no option "colour"');
  });

  it("lists every registered strategy, not only the suite's, for an unknown one", () => {
    expect(() => buildMatrix(suite, quick, { strategies: ['fp16'] })).toThrow(
      `unknown strategy "fp16"; valid: fp32, ${strategyNames()
        .filter((n) => n !== 'fp32')
        .join(', ')}`,
    );
  });

  it('puts --metric in the protocol of the datasets whose task records it, other than their default', () => {
    const metricOf = (metric: 'f1' | 'accuracy' | 'r2') =>
      Object.fromEntries(buildMatrix(suite, quick, { datasets: ['vod', 'churn'], metric }).map((s) => [s.dataset, s.protocol.metric ?? null]));
    expect(metricOf('f1')).toEqual({ vod: null, churn: 'f1' });
    expect(metricOf('accuracy')).toEqual({ vod: null, churn: null });
    expect(metricOf('r2')).toEqual({ vod: 'r2', churn: null });
  });
});
