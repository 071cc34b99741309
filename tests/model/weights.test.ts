import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { getModel } from '../../src/model/registry.js';
import { readWeights, restoreWeights, snapshotWeights, writeWeights } from '../../src/model/weights.js';
import { makeRng } from '../../src/rng.js';

const build = (seed: string, width = 5) => getModel('mlp').create({ depth: 2, width }, 3, 2, makeRng(seed));

describe('weight snapshots', () => {
  it('round-trip through a file exactly and restore into a fresh model', () => {
    const a = build('a');
    const b = build('b');
    const file = join(mkdtempSync(join(tmpdir(), 'qb-w-')), 'sub', 'w.bin');
    writeWeights(file, snapshotWeights(a), { note: 'x' });
    const { snapshot, meta } = readWeights(file);
    expect(meta).toEqual({ note: 'x' });
    restoreWeights(b, snapshot);
    const after = snapshotWeights(b);
    expect(after.values.map((v) => Array.from(v))).toEqual(snapshotWeights(a).values.map((v) => Array.from(v)));
    a.dispose();
    b.dispose();
  });

  it('refuses a snapshot of another architecture', () => {
    const a = build('a', 5);
    const c = build('c', 6);
    expect(() => restoreWeights(c, snapshotWeights(a))).toThrow(/does not fit the model/);
    a.dispose();
    c.dispose();
  });
});
