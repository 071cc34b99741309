import { describe, it, expect } from 'vitest';
import { DataError } from '../../src/data/csv.js';
import { encodeRows, featureNames, preprocess, type PreprocessSpec, type UsedRows } from '../../src/data/preprocess.js';

// Standard deviations are population (divide by n) throughout.
const rows = (header: string[], cells: string[][], rowNumbers?: number[]): UsedRows => ({ file: 'mem.csv', header, rows: cells, rowNumbers });
const split = { train: [0, 1, 2], val: [3], test: [4] };
const regression = (numeric: string[], categorical: string[] = [], missing: string[] = []): PreprocessSpec => ({
  task: 'regression',
  target: 'y',
  numeric,
  categorical,
  missing,
});

describe('preprocess: numeric', () => {
  it('z-scores with the training mean and population std only', () => {
    // train a = 1, 2, 3 -> mean 2, std sqrt(2/3); val 4 -> (4 - 2) / sqrt(2/3) = 2.449...
    const out = preprocess(
      regression(['a']),
      rows(
        ['a', 'y'],
        [
          ['1', '10'],
          ['2', '20'],
          ['3', '30'],
          ['4', '40'],
          ['100', '0'],
        ],
      ),
      split,
    );
    const std = Math.sqrt(2 / 3);
    expect(out.featureNames).toEqual(['a']);
    expect([...out.train.x]).toEqual([-1 / std, 0, 1 / std].map(Math.fround));
    expect(out.val.x[0]).toBeCloseTo(2 / std, 5);
    expect(out.test.x[0]).toBeCloseTo(98 / std, 4);
    // target: train 10, 20, 30 -> mean 20, std sqrt(200/3)
    expect(out.targetScale).toEqual({ mean: 20, std: Math.sqrt(200 / 3) });
    expect(out.val.y[0]).toBeCloseTo(20 / Math.sqrt(200 / 3), 5);
    expect(out.classes).toEqual([]);
  });

  it('imputes the training median, adds a 0/1 indicator, and maps a constant column to 0', () => {
    // train a = 1, missing, 5, 4 -> median 4 -> imputed 1, 4, 5, 4 -> mean 3.5, std 1.5; missing -> (4 - 3.5) / 1.5 = 1/3.
    // b has no missing value anywhere: no indicator. c is missing only in test: it still gets an indicator.
    const data = rows(
      ['a', 'b', 'c', 'y'],
      [
        ['1', '7', '0', '1'],
        ['', '7', '1', '2'],
        ['5', '7', '2', '3'],
        ['4', '7', '3', '4'],
        ['NA', '7', 'NA', '5'],
      ],
    );
    const out = preprocess(regression(['a', 'b', 'c'], [], ['NA']), data, { train: [0, 1, 2, 3], val: [], test: [4] });
    expect(out.featureNames).toEqual(['a', 'a__missing', 'b', 'c', 'c__missing']);
    const row = (x: Float32Array, k: number) => [...x.subarray(k * 5, k * 5 + 5)];
    expect(row(out.train.x, 0)[0]).toBeCloseTo(-2.5 / 1.5, 6);
    expect(row(out.train.x, 1)[0]).toBeCloseTo(1 / 3, 6);
    expect(row(out.train.x, 1)[1]).toBe(1);
    expect(row(out.train.x, 2)[1]).toBe(0);
    expect(row(out.train.x, 0)[2]).toBe(0); // b: std 0 treated as 1
    expect(row(out.test.x, 0)[0]).toBeCloseTo(1 / 3, 6);
    expect(row(out.test.x, 0)[1]).toBe(1);
    expect(row(out.test.x, 0)[4]).toBe(1);
    expect(out.val.n).toBe(0);
  });

  it('reads True/False as 1/0 and rejects other text with the file, row and column', () => {
    const ok = preprocess(
      regression(['flag']),
      rows(
        ['flag', 'y'],
        [
          ['True', '1'],
          ['False', '2'],
          ['true', '3'],
          ['False', '4'],
          ['True', '5'],
        ],
      ),
      split,
    );
    expect(ok.train.x[0]).toBeGreaterThan(ok.train.x[1]);
    const bad = rows(
      ['a', 'y'],
      [
        ['1', '1'],
        ['2', '2'],
        ['two', '3'],
        ['4', '4'],
        ['5', '5'],
      ],
      [10, 11, 12, 13, 14],
    );
    expect(() => preprocess(regression(['a']), bad, split)).toThrow(DataError);
    expect(() => preprocess(regression(['a']), bad, split)).toThrow('mem.csv: row 12, column "a": "two" is not a number');
  });
});

describe('preprocess: categorical and classes', () => {
  it('one-hot encodes training categories (sorted), missing as its own category, unseen as all zeros', () => {
    const data = rows(
      ['color', 'y'],
      [
        ['red', '1'],
        ['blue', '2'],
        ['', '3'],
        ['green', '4'],
        ['red', '5'],
      ],
    );
    const out = preprocess(regression([], ['color']), data, split);
    expect(out.featureNames).toEqual(['color=__missing__', 'color=blue', 'color=red']);
    expect([...out.train.x]).toEqual([0, 0, 1, 0, 1, 0, 1, 0, 0]);
    expect([...out.val.x]).toEqual([0, 0, 0]); // green never seen in training
    expect([...out.test.x]).toEqual([0, 0, 1]);
  });

  it('indexes numeric-looking labels numerically and other labels as strings, over all used rows', () => {
    const spec: PreprocessSpec = { task: 'classification', target: 'y', numeric: ['a'], categorical: [], missing: [] };
    const numeric = preprocess(
      spec,
      rows(
        ['a', 'y'],
        [
          ['1', '10'],
          ['2', '2'],
          ['3', '1'],
          ['4', '2'],
          ['5', '3'],
        ],
      ),
      split,
    );
    expect(numeric.classes).toEqual(['1', '2', '3', '10']); // "3" only in test, still a class
    expect([...numeric.train.y, ...numeric.val.y, ...numeric.test.y]).toEqual([3, 1, 0, 1, 2]);
    expect(numeric.targetScale).toBeNull();
    const words = preprocess(
      spec,
      rows(
        ['a', 'y'],
        [
          ['1', 'Yes'],
          ['2', 'No'],
          ['3', 'Yes'],
          ['4', 'No'],
          ['5', 'No'],
        ],
      ),
      split,
    );
    expect(words.classes).toEqual(['No', 'Yes']);
    expect([...words.train.y]).toEqual([1, 0, 1]);
  });
});

describe('preprocess: the fitted transformation scores raw rows the same way', () => {
  const spec: PreprocessSpec = { task: 'regression', target: 'y', numeric: ['a'], categorical: ['color'], missing: ['NA'] };
  const data = rows(
    ['a', 'color', 'y'],
    [
      ['1', 'red', '1'],
      ['NA', 'blue', '2'],
      ['5', 'red', '3'],
      ['4', 'NA', '4'],
      ['2', 'green', '5'],
    ],
  );
  const split5 = { train: [0, 1, 2], val: [3], test: [4] };

  it('records the fitted constants as plain JSON', () => {
    const out = preprocess(spec, data, split5);
    // train a = 1, NA, 5 -> median 3 -> 1, 3, 5: mean 3, std sqrt(8/3)
    expect(JSON.parse(JSON.stringify(out.preprocessing))).toEqual({
      missing: ['NA'],
      transforms: [
        { kind: 'numeric', column: 'a', mean: 3, std: Math.sqrt(8 / 3), median: 3, missingIndicator: true },
        { kind: 'categorical', column: 'color', categories: ['blue', 'red'] },
      ],
    });
    expect(featureNames(out.preprocessing)).toEqual(out.featureNames);
  });

  it('encodes rows of another file (other column order, extra columns) exactly as the splits were encoded', () => {
    const out = preprocess(spec, data, split5);
    const fresh = rows(
      ['id', 'color', 'a'],
      [
        ['x', 'NA', '4'],
        ['y', 'green', '2'],
        ['z', 'red', 'NA'],
      ],
    );
    const x = encodeRows(out.preprocessing, fresh, [0, 1, 2]);
    expect([...x.subarray(0, 8)]).toEqual([...out.val.x, ...out.test.x]);
    const std = Math.sqrt(8 / 3);
    expect([...x.subarray(8)]).toEqual([0, 1, 0, 1].map(Math.fround)); // NA imputed to the median 3 = the mean
    expect(x[4]).toBeCloseTo(-1 / std, 6);
  });

  it('names the file, row and column of a bad cell, and every missing column', () => {
    const out = preprocess(spec, data, split5);
    const bad = rows(
      ['a', 'color'],
      [
        ['1', 'red'],
        ['one', 'red'],
      ],
    );
    expect(() => encodeRows(out.preprocessing, bad, [0, 1])).toThrow('mem.csv: row 2, column "a": "one" is not a number');
    expect(() => encodeRows(out.preprocessing, rows(['b'], [['1']]), [0])).toThrow('mem.csv: missing required column(s): a, color');
  });
});
