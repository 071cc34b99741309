import { afterAll, describe, expect, it } from 'vitest';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { readDatasetFile, readDatasetPath } from '../../src/data/definition-file.js';
import { loadDataset } from '../../src/data/load.js';
import { featureGroups } from '../../src/data/preprocess.js';

const dir = mkdtempSync(join(tmpdir(), 'qatbench-def-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

// 60 flows: bytes, protocol (categorical), a 3-column one-hot "service" group, and attack names as the target.
const lines = ['id,bytes,proto,svc_http,svc_dns,svc_ssh,attack'];
const attacks = ['normal', 'normal', 'neptune', 'normal', 'smurf', 'normal'];
for (let i = 0; i < 60; i++) {
  const svc = [0, 0, 0];
  svc[i % 3] = 1;
  lines.push(`${i},${(i * 37) % 500},${i % 2 ? 'tcp' : 'udp'},${svc.join(',')},${attacks[i % attacks.length]}`);
}
writeFileSync(join(dir, 'flows.csv'), `${lines.join('\n')}\n`);

const flows = {
  description: 'Synthetic flows: attack or normal from bytes, protocol and service.',
  file: 'flows.csv',
  task: 'classification',
  target: 'attack',
  numeric: ['bytes', 'svc_http', 'svc_dns', 'svc_ssh'],
  categorical: ['proto'],
  never: ['id'],
  targetMap: { normal: 'normal', '*': 'attack' },
  oneHotGroups: { service: ['svc_http', 'svc_dns', 'svc_ssh'] },
  split: { kind: 'stratified' },
};

/** Writes a definition (flows with `change` applied) and returns its path. */
function definition(file: string, change: Record<string, unknown> = {}): string {
  const path = join(dir, file);
  writeFileSync(path, JSON.stringify({ ...flows, ...change }));
  return path;
}

describe('dataset definition files', () => {
  it('name the dataset after the file and resolve the data file beside it', () => {
    const def = readDatasetFile(definition('flows.json'));
    expect(def.name).toBe('flows');
    expect(def.file).toBe(join(dir, 'flows.csv'));
    expect(def.missing).toEqual([]);
  });

  it.each([
    ['a misspelt task', { task: 'clasification' }, 'field "task" must be one of classification, regression, got "clasification"'],
    ['an unknown field', { targt: 'attack' }, 'unknown field "targt"; valid: name, description, file, task, target'],
    ['a numeric list of numbers', { numeric: ['bytes', 3] }, 'field "numeric[1]" must be a string, got 3'],
    ['an unknown split kind', { split: { kind: 'kfold' } }, 'field "split.kind" must be one of stratified, random, time-blocks, grouped, got "kfold"'],
    ['a time split without blockRows', { split: { kind: 'time-blocks', orderBy: 'id' } }, 'field "split" lacks the required field "split.blockRows"'],
    ['a one-hot group out of order', { oneHotGroups: { service: ['svc_dns', 'svc_http'] } }, 'one-hot group "service": its columns must follow one another'],
    ['a one-hot column that is not numeric', { oneHotGroups: { p: ['proto', 'bytes'] } }, 'one-hot group "p": column "proto" is not among the numeric columns'],
    ['a target map on regression', { task: 'regression', split: { kind: 'random' } }, 'field "targetMap" needs a classification task'],
  ])('refuse %s in one line naming the field', (_, change, message) => {
    const path = definition('bad.json', change);
    let error = '';
    try {
      readDatasetFile(path);
    } catch (err) {
      error = (err as Error).message;
    }
    expect(error.startsWith(`${path}: `)).toBe(true);
    expect(error).toContain(message);
    expect(error).not.toContain('\n');
  });

  it('refuse a file that is not JSON, and one that does not exist', () => {
    writeFileSync(join(dir, 'broken.json'), '{ "task": ');
    expect(() => readDatasetFile(join(dir, 'broken.json'))).toThrow(/broken\.json: not JSON/);
    expect(() => readDatasetFile(join(dir, 'none.json'))).toThrow(/none\.json: file not found/);
  });

  it('read every definition of a folder, in file-name order', () => {
    const folder = join(dir, 'defs');
    mkdirSync(folder);
    writeFileSync(join(folder, 'b.json'), JSON.stringify(flows));
    writeFileSync(join(folder, 'a.json'), JSON.stringify({ ...flows, file: '../flows.csv' }));
    writeFileSync(join(folder, 'notes.txt'), 'not a definition');
    expect(readDatasetPath(folder).map((d) => d.name)).toEqual(['a', 'b']);
  });

  it('derive the target through targetMap and make a one-hot group one categorical feature', async () => {
    const d = await loadDataset(readDatasetFile(definition('flows.json')), { splitSeed: 1 });
    expect(d.classes).toEqual(['attack', 'normal']);
    expect(d.featureNames).toEqual(['bytes', 'svc_http', 'svc_dns', 'svc_ssh', 'proto=tcp', 'proto=udp']);
    expect(featureGroups(d.preprocessing)).toEqual([
      { name: 'bytes', kind: 'numeric', columns: 1 },
      { name: 'service', kind: 'categorical', columns: 3 },
      { name: 'proto', kind: 'categorical', columns: 2 },
    ]);
    expect(d.preparation).toEqual({ targetMap: flows.targetMap, sampling: 'stratified' });
  });

  it('name the target value a target map lacks, and a row whose one-hot group is not one-hot', async () => {
    const partial = readDatasetFile(definition('partial.json', { targetMap: { normal: 'normal', neptune: 'attack' } }));
    await expect(loadDataset(partial, { splitSeed: 1 })).rejects.toThrow('field "targetMap" has no entry for the target value "smurf"');
    writeFileSync(join(dir, 'twohot.csv'), `${lines[0]}\n${lines.slice(1, 30).join('\n')}\n99,1,tcp,1,1,0,normal\n`);
    const twohot = readDatasetFile(definition('twohot.json', { file: 'twohot.csv' }));
    await expect(loadDataset(twohot, { splitSeed: 1 })).rejects.toThrow('one-hot group "service" has 2 columns at 1 in this row, not exactly one');
  });
});
