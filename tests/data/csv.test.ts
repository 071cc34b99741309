import { afterAll, describe, it, expect } from 'vitest';
import { createHash } from 'node:crypto';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { DataError, readCsv, requireColumns } from '../../src/data/csv.js';

const dir = mkdtempSync(join(tmpdir(), 'qatbench-csv-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

function write(name: string, content: string | Buffer): string {
  const path = join(dir, name);
  writeFileSync(path, content);
  return path;
}

async function rejection(promise: Promise<unknown>): Promise<Error> {
  try {
    await promise;
  } catch (err) {
    return err as Error;
  }
  throw new Error('expected a rejection');
}

const sha256 = (bytes: string | Buffer) => createHash('sha256').update(bytes).digest('hex');

describe('readCsv', () => {
  it('parses the header and raw string rows, honouring quoted commas, quotes and newlines', async () => {
    const text = 'id,name,note\n1,"Smith, J","said ""hi"""\n2,plain,"two\nlines"\n3,,NA\n';
    const table = await readCsv(write('quoted.csv', text));
    expect(table.header).toEqual(['id', 'name', 'note']);
    expect(table.rows).toEqual([
      ['1', 'Smith, J', 'said "hi"'],
      ['2', 'plain', 'two\nlines'],
      ['3', '', 'NA'],
    ]);
    expect(table.sha256).toBe(sha256(text));
  });

  it('gunzips .csv.gz and hashes the stored (compressed) bytes', async () => {
    const gz = gzipSync('a,b\n1,"x,y"\n');
    const table = await readCsv(write('small.csv.gz', gz));
    expect(table.header).toEqual(['a', 'b']);
    expect(table.rows).toEqual([['1', 'x,y']]);
    expect(table.sha256).toBe(sha256(gz));
  });

  it('rejects a ragged row with a one-line DataError naming the file and the row', async () => {
    const path = write('ragged.csv', 'a,b,c\n1,2,3\n4,5\n');
    const err = await rejection(readCsv(path));
    expect(err).toBeInstanceOf(DataError);
    expect(err.message).toBe(`${path}: row 2 (line 3) has 2 fields, header has 3`);
  });

  it('rejects an unclosed quote, a bad gzip and a missing file with one-line messages', async () => {
    for (const [path, problem] of [
      [write('unclosed.csv', 'a,b\n1,"open\n2,3\n'), /Quote Not Closed/],
      [write('bad.csv.gz', 'not gzip'), /not valid gzip/],
      [join(dir, 'absent.csv'), /file not found/],
    ] as const) {
      const err = await rejection(readCsv(path));
      expect(err).toBeInstanceOf(DataError);
      expect(err.message.startsWith(`${path}: `)).toBe(true);
      expect(err.message).toMatch(problem);
      expect(err.message).not.toContain('\n');
    }
  });

  it('requireColumns lists every missing column', async () => {
    const table = await readCsv(write('cols.csv', 'a,b\n1,2\n'));
    expect(() => requireColumns(table, ['a', 'x', 'b', 'y'])).toThrow(`missing required column(s): x, y`);
    expect(() => requireColumns(table, ['a', 'b'])).not.toThrow();
  });
});
