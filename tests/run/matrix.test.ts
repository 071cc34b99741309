import { describe, expect, it } from 'vitest';
import { buildMatrix } from '../../src/run/matrix.js';
import { getProfile } from '../../src/run/profiles.js';
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
