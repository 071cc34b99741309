import { afterAll, describe, it, expect } from 'vitest';
import { createHash } from 'node:crypto';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { loadDataset } from '../../src/data/load.js';
import { registerDataset } from '../../src/data/registry.js';
import type { DatasetDefinition } from '../../src/data/types.js';

const dir = mkdtempSync(join(tmpdir(), 'qatbench-load-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

// 40 rows; target -200 (sentinel) in rows 5 and 6, "-" (missing) in row 7, empty in row 8.
const lines = ['t,temp,mode,secret,y'];
for (let i = 1; i <= 40; i++) {
  const y = i === 5 || i === 6 ? '-200' : i === 7 ? '-' : i === 8 ? '' : String(-90 + (i % 7));
  lines.push(`${1000 + i},${i % 9 === 0 ? '-' : (i * 0.5).toFixed(1)},${i % 3 === 0 ? 'a' : 'b'},${i * 13},${y}`);
}
const csv = `${lines.join('\n')}\n`;
writeFileSync(join(dir, 'sensor.csv'), csv);
writeFileSync(join(dir, 'broken.csv'), 't,temp,mode,secret,y\n1,2.0,a,3,4\n2,warm,a,3,4\n');

const sensor: DatasetDefinition = {
  name: 'load-sensor',
  description: 'A synthetic sensor table.',
  file: 'sensor.csv',
  task: 'regression',
  target: 'y',
  numeric: ['temp'],
  categorical: ['mode'],
  never: ['secret', 't'],
  missing: ['-'],
  dropTargetValues: ['-200'],
  split: { kind: 'random' },
};
registerDataset(sensor);
registerDataset({ ...sensor, name: 'load-broken', file: 'broken.csv' });
registerDataset({ ...sensor, name: 'load-nocol', numeric: ['temp', 'pressure', 'wind'] });
// The mode column as a classification target: with every "a" row dropped, one class is left.
writeFileSync(join(dir, 'one-class.csv'), `${lines.filter((line) => !line.includes(',a,')).join('\n')}\n`);
registerDataset({
  ...sensor,
  name: 'load-one-class',
  file: 'one-class.csv',
  task: 'classification',
  target: 'mode',
  categorical: [],
  numeric: ['temp'],
  never: ['secret', 't', 'y'],
});

describe('loadDataset', () => {
  it('drops sentinel and missing targets, keeps never-columns out and records provenance', async () => {
    const d = await loadDataset('load-sensor', { splitSeed: 3, dataDir: dir });
    expect(d.rowsInFile).toBe(40);
    expect(d.rowsUsed).toBe(36);
    expect(d.train.n + d.val.n + d.test.n).toBe(36);
    expect(d.featureNames).toEqual(['temp', 'temp__missing', 'mode=a', 'mode=b']);
    expect(d.sha256).toBe(createHash('sha256').update(csv).digest('hex'));
    expect(d.file).toBe('sensor.csv');
    expect(d.targetScale).not.toBeNull();
  });

  it('samples maxRows with the split seed, reproducibly', async () => {
    const a = await loadDataset('load-sensor', { splitSeed: 3, dataDir: dir, maxRows: 34 });
    const b = await loadDataset('load-sensor', { splitSeed: 3, dataDir: dir, maxRows: 34 });
    const c = await loadDataset('load-sensor', { splitSeed: 4, dataDir: dir, maxRows: 34 });
    expect(a.rowsUsed).toBe(34);
    expect(b).toEqual(a);
    expect(c.train.x).not.toEqual(a.train.x);
  });

  it('reports missing columns, unparsable numbers and bad options as one-line errors', async () => {
    await expect(loadDataset('load-nocol', { splitSeed: 1, dataDir: dir })).rejects.toThrow(/sensor\.csv: missing required column\(s\): pressure, wind$/);
    await expect(loadDataset('load-broken', { splitSeed: 1, dataDir: dir })).rejects.toThrow(/broken\.csv: row 2, column "temp": "warm" is not a number$/);
    await expect(loadDataset('load-sensor', { splitSeed: 1, dataDir: dir, fractions: [0.5, 0.5, 0.5] })).rejects.toThrow('fractions');
    await expect(loadDataset('load-sensor', { splitSeed: 1, dataDir: dir, maxRows: 0 })).rejects.toThrow('maxRows');
  });

  it('refuses splits too small for a metric to mean anything, naming the cap that made them', async () => {
    await expect(loadDataset('load-sensor', { splitSeed: 1, dataDir: dir, maxRows: 20 })).rejects.toThrow(
      /^load-sensor: --max-rows 20 leaves 14 training, 3 validation, 3 test rows; every split needs at least 5$/,
    );
  });

  it('refuses a classification target with a single class at load, in one line', async () => {
    await expect(loadDataset('load-one-class', { splitSeed: 1, dataDir: dir })).rejects.toThrow(
      /one-class\.csv: the target "mode" has a single class \("b"\) in the rows used: nothing to classify$/,
    );
  });
});
