import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { readSuiteFile, readSuiteFolder } from '../../src/run/suite-file.js';

const dir = mkdtempSync(join(tmpdir(), 'qatbench-suites-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const suite = {
  name: 'dropped-in',
  description: 'a suite added as a file',
  datasets: ['vod'],
  models: [{ label: 'mlp', model: 'mlp' }],
  strategies: [{ label: 'fp32', strategy: 'fp32' }],
};
const module = (value: unknown) => `export default ${JSON.stringify(value)};\n`;

describe('suite files', () => {
  it('are every module of a folder with a default export, in file-name order; helpers without one are skipped', async () => {
    const folder = join(dir, 'suites');
    mkdirSync(folder);
    writeFileSync(join(folder, 'b.js'), module(suite));
    writeFileSync(join(folder, 'a.js'), module({ ...suite, name: 'first' }));
    writeFileSync(join(folder, 'helpers.js'), 'export const shared = [];\n');
    writeFileSync(join(folder, 'notes.md'), 'not a module');
    expect((await readSuiteFolder(folder)).map((s) => s.name)).toEqual(['first', 'dropped-in']);
  });

  it('name the file and the field of a suite of the wrong shape in one line', async () => {
    const bad = join(dir, 'bad.js');
    writeFileSync(bad, module({ ...suite, datasets: 'vod' }));
    await expect(readSuiteFile(bad)).rejects.toThrow(`${bad}: field "datasets" must be a list of names`);
    const noStrategy = join(dir, 'no-strategy.js');
    writeFileSync(noStrategy, module({ ...suite, strategies: [{ label: 'fp32' }] }));
    await expect(readSuiteFile(noStrategy)).rejects.toThrow('field "strategies" must be a list of { label, strategy, options? }');
  });

  it('refuse a --suite-file without a default export, and one that does not exist', async () => {
    const helper = join(dir, 'helper.js');
    writeFileSync(helper, 'export const x = 1;\n');
    await expect(readSuiteFile(helper)).rejects.toThrow(`${helper}: no default export`);
    await expect(readSuiteFile(join(dir, 'none.js'))).rejects.toThrow('none.js: file not found');
  });
});
