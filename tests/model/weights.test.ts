import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
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

  it('carry a checksum: a flipped byte in the values or the header, or a header that is not JSON, is one line naming the file', () => {
    const a = build('a');
    const file = join(mkdtempSync(join(tmpdir(), 'qb-w-')), 'w.bin');
    writeWeights(file, snapshotWeights(a), { note: 'x' });
    a.dispose();
    const bytes = readFileSync(file);
    const flipped = (at: number) => {
      const copy = Buffer.from(bytes);
      copy[at] ^= 0x10;
      writeFileSync(file, copy);
    };
    flipped(bytes.length - 7);
    expect(() => readWeights(file)).toThrow(new Error(`${file}: corrupt weight file (checksum mismatch)`));
    flipped(bytes.indexOf('"x"') + 1); // note "x" becomes "h": still JSON
    expect(() => readWeights(file)).toThrow(new Error(`${file}: corrupt weight file (checksum mismatch)`));
    writeFileSync(file, Buffer.concat([Buffer.from('\x00\x13garbage{\n'), bytes.subarray(bytes.indexOf(10) + 1)]));
    expect(() => readWeights(file)).toThrow(new Error(`${file}: corrupt weight file (its header line is not JSON)`));
  });
});
