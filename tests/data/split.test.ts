import { describe, it, expect } from 'vitest';
import { makeRng, shuffleInPlace } from '../../src/rng.js';
import { groupedSplit, partSizes, randomSplit, stratifiedSplit, timeBlockSplit, type SplitIndices } from '../../src/data/split.js';

const F = [0.7, 0.15, 0.15] as const;

function expectPartition(split: SplitIndices, n: number): void {
  const all = [...split.train, ...split.val, ...split.test].sort((a, b) => a - b);
  expect(all).toEqual(Array.from({ length: n }, (_, i) => i));
}

function splitOf(split: SplitIndices): Map<number, string> {
  const where = new Map<number, string>();
  for (const part of ['train', 'val', 'test'] as const) for (const i of split[part]) where.set(i, part);
  return where;
}

// 700 a, 200 b, 97 c and a 3-row class d, interleaved.
const labels = Array.from({ length: 1000 }, (_, i) => (i < 3 ? 'd' : i % 10 < 7 ? 'a' : i % 10 < 9 ? 'b' : 'c'));

describe('partSizes', () => {
  it('rounds val/test, gives train the rest, and keeps every part non-empty from 3 items on', () => {
    expect(partSizes(1000, F)).toEqual([700, 150, 150]);
    expect(partSizes(3, F)).toEqual([1, 1, 1]);
    expect(partSizes(2, F)).toEqual([2, 0, 0]);
    expect(partSizes(10, [0.8, 0.2, 0])).toEqual([8, 2, 0]);
  });
});

describe('randomSplit', () => {
  it('is a partition with 70/15/15 sizes', () => {
    const split = randomSplit(1000, F, makeRng(1));
    expectPartition(split, 1000);
    expect([split.train.length, split.val.length, split.test.length]).toEqual([700, 150, 150]);
  });
});

describe('stratifiedSplit', () => {
  const split = stratifiedSplit(labels, F, makeRng('split:1'));

  it('is disjoint and complete', () => expectPartition(split, labels.length));

  it('keeps class proportions in every split and puts a 3-row class in each', () => {
    for (const part of ['train', 'val', 'test'] as const) {
      const rows = split[part];
      for (const cls of ['a', 'b', 'c']) {
        const overall = labels.filter((l) => l === cls).length / labels.length;
        const inPart = rows.filter((i) => labels[i] === cls).length / rows.length;
        expect(Math.abs(inPart - overall)).toBeLessThan(0.01);
      }
      expect(rows.filter((i) => labels[i] === 'd')).toHaveLength(1);
    }
  });
});

describe('groupedSplit', () => {
  const rng = makeRng(5);
  const groups = Array.from({ length: 2000 }, () => `g${Math.floor(rng() * 80)}`);
  const split = groupedSplit(groups, F, makeRng('split:1'));

  it('never puts one group in two splits', () => {
    expectPartition(split, groups.length);
    const home = new Map<string, string>();
    for (const [i, part] of splitOf(split)) {
      expect(home.get(groups[i]) ?? part).toBe(part);
      home.set(groups[i], part);
    }
  });

  it('approximates the row fractions', () => {
    expect(split.train.length / groups.length).toBeCloseTo(0.7, 1);
    expect(split.val.length).toBeGreaterThan(0);
    expect(split.test.length).toBeGreaterThan(0);
  });
});

describe('timeBlockSplit', () => {
  it('assigns contiguous 60-row stretches of time, whatever the row order', () => {
    const times = Array.from({ length: 600 }, (_, k) => 1_400_000_000 + k);
    shuffleInPlace(times, makeRng(9)); // rows arrive out of time order
    const split = timeBlockSplit(times, 60, F, makeRng('split:1'));
    expectPartition(split, times.length);
    const where = splitOf(split);
    const partByRank = [...times.keys()].sort((a, b) => times[a] - times[b]).map((row) => where.get(row));
    for (let start = 0; start < 600; start += 60) {
      expect(new Set(partByRank.slice(start, start + 60)).size).toBe(1);
    }
    expect([split.train.length, split.val.length, split.test.length]).toEqual([420, 120, 60]);
  });
});

describe('few groups', () => {
  it('every split with a positive fraction gets a group once there are at least 3', () => {
    for (let seed = 0; seed < 20; seed++) {
      const split = timeBlockSplit(
        Array.from({ length: 300 }, (_, t) => t),
        60,
        F,
        makeRng(`split:${seed}`),
      ); // 5 blocks
      expect([split.train.length > 0, split.val.length > 0, split.test.length > 0]).toEqual([true, true, true]);
    }
  });
});

describe('split seeds', () => {
  const groups = labels.map((_, i) => `g${i % 50}`);
  const order = labels.map((_, i) => i);
  const kinds = {
    random: (seed: number) => randomSplit(labels.length, F, makeRng(`split:${seed}`)),
    stratified: (seed: number) => stratifiedSplit(labels, F, makeRng(`split:${seed}`)),
    grouped: (seed: number) => groupedSplit(groups, F, makeRng(`split:${seed}`)),
    'time-blocks': (seed: number) => timeBlockSplit(order, 60, F, makeRng(`split:${seed}`)),
  };
  for (const [kind, run] of Object.entries(kinds)) {
    it(`${kind}: same seed gives identical indices, another seed different ones`, () => {
      expect(run(1)).toEqual(run(1));
      expect(run(2)).not.toEqual(run(1));
    });
  }
});
