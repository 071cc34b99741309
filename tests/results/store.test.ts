import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { readTable } from '../../src/results/arrow-io.js';
import { CURVES_SCHEMA, NEURONS_SCHEMA, RUNS_SCHEMA } from '../../src/results/schema.js';
import { ResultStore } from '../../src/results/store.js';
import type { NeuronRow } from '../../src/results/types.js';
import { curveRows, failedRun, neuronRows, runRow, tempDirs } from './rows.js';

const newDir = tempDirs();

describe('ResultStore', () => {
  it('replaces a re-recorded run in all three tables and keeps the other runs', () => {
    const dir = newDir();
    const store = new ResultStore(dir);
    store.recordRun(failedRun({ run_id: 'a' }), neuronRows('a', 4), curveRows('a', 3));
    store.recordRun(runRow({ run_id: 'b' }), neuronRows('b', 2), curveRows('b', 2));
    store.recordRun(runRow({ run_id: 'a', test_metric: 0.95 }), neuronRows('a', 1), curveRows('a', 5));

    // A fresh store sees the same rows on disk.
    const reopened = new ResultStore(dir);
    reopened.load();
    expect(reopened.runs().map((run) => [run.run_id, run.status, run.test_metric])).toEqual([
      ['b', 'ok', 0.9],
      ['a', 'ok', 0.95],
    ]);
    expect(readTable(store.neuronsPath, NEURONS_SCHEMA)).toEqual([...neuronRows('b', 2), ...neuronRows('a', 1)]);
    expect(readTable(store.curvesPath, CURVES_SCHEMA)).toEqual([...curveRows('b', 2), ...curveRows('a', 5)]);
    expect(readdirSync(dir).sort()).toEqual(['curves.arrow', 'neurons.arrow', 'runs.arrow']);
  });

  it('keeps rows already on disk even when load() was not called', () => {
    const dir = newDir();
    new ResultStore(dir).recordRun(runRow({ run_id: 'a' }), [], []);
    new ResultStore(dir).recordRun(runRow({ run_id: 'b' }), [], []);
    expect(readTable(join(dir, 'runs.arrow'), RUNS_SCHEMA).map((run) => run.run_id)).toEqual(['a', 'b']);
  });

  it('answers has() by run id and, optionally, status', () => {
    const store = new ResultStore(newDir());
    store.recordRun(failedRun({ run_id: 'a' }), [], []);
    expect(store.has('a')).toBe(true);
    expect(store.has('a', ['failed', 'diverged'])).toBe(true);
    expect(store.has('a', ['ok'])).toBe(false);
    expect(store.has('b')).toBe(false);
  });

  it('leaves files and memory unchanged when a row cannot be written', () => {
    const dir = newDir();
    const store = new ResultStore(dir);
    store.recordRun(runRow({ run_id: 'a' }), neuronRows('a', 1), []);
    const badNeuron: NeuronRow = { ...neuronRows('b', 1)[0], activation_bits: 2.5 };
    expect(() => store.recordRun(runRow({ run_id: 'b' }), [badNeuron], [])).toThrow('activation_bits');

    expect(() => store.recordRun(runRow({ run_id: 'b', seed: 0.5 }), neuronRows('b', 1), [])).toThrow('seed');

    expect(store.has('b')).toBe(false);
    expect(readTable(store.runsPath, RUNS_SCHEMA).map((run) => run.run_id)).toEqual(['a']);
    expect(readTable(store.neuronsPath, NEURONS_SCHEMA)).toEqual(neuronRows('a', 1));
  });
});
