import { describe, expect, it } from 'vitest';
import { flagWarnings } from '../../src/cli/flag-effects.js';
import { buildMatrix } from '../../src/run/matrix.js';
import { getProfile } from '../../src/run/profiles.js';
import { getSuite } from '../../src/run/registry.js';

const matrix = (overrides: Parameters<typeof buildMatrix>[2]) => buildMatrix(getSuite('smoke'), getProfile('quick'), { seeds: [1], ...overrides });

describe('flags that change nothing in the matrix they built', () => {
  it('warn once each; flags that change some run do not', () => {
    expect(flagWarnings({ budget: '2' }, matrix({ strategies: ['fp32', 'nmp-qat'], budget: '2' }))).toEqual([
      '--budget 2 has no effect: none of the strategies run (fp32, nmp-qat) takes a budget',
    ]);
    expect(flagWarnings({ budget: '2' }, matrix({ strategies: ['fp32', 'hawq'], budget: '2' }))).toEqual([]);
    expect(flagWarnings({ pretrain: 'off' }, matrix({ models: ['mlp'], pretrain: 'off' }))).toEqual([
      '--pretrain off has no effect: none of the models run (mlp) pretrains',
    ]);
    expect(flagWarnings({ pretrain: 'off' }, matrix({ models: ['tabformer'], pretrain: 'off' }))).toEqual([]);
    expect(flagWarnings({ init: 'pretrained' }, matrix({ strategies: ['hawq', 'releq'], budget: '2', init: 'pretrained' }))).toEqual([
      '--init pretrained has no effect: every strategy run (hawq, releq) starts from the FP32 checkpoint anyway',
    ]);
  });

  it('--init pretrained with --pretrain off says what the runs start from', () => {
    expect(
      flagWarnings({ init: 'pretrained', pretrain: 'off' }, matrix({ models: ['tabformer'], strategies: ['nmp-qat'], init: 'pretrained', pretrain: 'off' })),
    ).toEqual(['--init pretrained with --pretrain off: runs start from FP32 checkpoints trained without masked-cell pretraining']);
  });
});
