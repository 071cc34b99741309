import { describe, it, expect } from 'vitest';
import { UsageError } from '../../src/errors.js';
import { datasetNames, getDataset, registerDataset } from '../../src/data/registry.js';
import type { DatasetDefinition } from '../../src/data/types.js';

// The definitions of data/, as the catalog registered them before any test added its own.
const BUILTIN = datasetNames();

const def = (over: Partial<DatasetDefinition>): DatasetDefinition => ({
  name: 'reg-test',
  description: 'A test dataset.',
  file: 'x.csv',
  task: 'classification',
  target: 'y',
  numeric: ['a'],
  categorical: ['b'],
  never: ['id'],
  missing: [],
  split: { kind: 'stratified' },
  ...over,
});

describe('dataset registry', () => {
  it('holds the built-in datasets, each with a one-sentence description', () => {
    expect(datasetNames()).toEqual(expect.arrayContaining(BUILTIN));
    for (const name of BUILTIN) expect(getDataset(name).description).toMatch(/^[A-Z][^\n]*\.$/);
  });

  it('names every valid dataset when the name is unknown', () => {
    expect(() => getDataset('nope')).toThrow(UsageError);
    expect(() => getDataset('nope')).toThrow(`unknown dataset "nope"; valid: ${datasetNames().join(', ')}`);
    for (const name of BUILTIN) expect(() => getDataset('nope')).toThrow(name);
  });

  it('registers a new dataset once and refuses a second one of the same name', () => {
    registerDataset(def({ name: 'reg-once' }));
    expect(getDataset('reg-once').file).toBe('x.csv');
    expect(() => registerDataset(def({ name: 'reg-once' }))).toThrow('registered twice');
    expect(() => registerDataset(def({ name: 'vod' }))).toThrow('registered twice');
  });

  it('rejects definitions that would leak or are inconsistent', () => {
    expect(() => registerDataset(def({ name: 'bad-1', numeric: ['a', 'id'] }))).toThrow('never-column(s) used as features: id');
    expect(() => registerDataset(def({ name: 'bad-2', categorical: ['y'] }))).toThrow('target "y" is also a feature');
    expect(() => registerDataset(def({ name: 'bad-3', task: 'regression' }))).toThrow('stratified split needs a classification task');
    expect(() => registerDataset(def({ name: 'bad-4', categorical: ['a'] }))).toThrow('listed twice');
    expect(() => registerDataset(def({ name: 'bad-5', split: { kind: 'time-blocks', orderBy: 't', blockRows: 0 } }))).toThrow('blockRows');
    expect(datasetNames().filter((n) => n.startsWith('bad-'))).toEqual([]);
  });
});
