import { createHash } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import { relative, isAbsolute } from 'node:path';
import { gunzip } from 'node:zlib';
import { promisify } from 'node:util';
import { parse, CsvError } from 'csv-parse/sync';

/** A problem with a data file or dataset definition; the message is one line naming the file or dataset. */
export class DataError extends Error {
  override name = 'DataError';
}

export interface CsvTable {
  /** The path as shown in error messages (relative to the working directory when inside it). */
  file: string;
  header: string[];
  /** Raw cell strings; every row has header.length cells. */
  rows: string[][];
  /** sha256 of the file's bytes as stored (compressed, for .gz). */
  sha256: string;
}

const gunzipAsync = promisify(gunzip);

function displayPath(path: string): string {
  const rel = relative(process.cwd(), path);
  return rel && !rel.startsWith('..') && !isAbsolute(rel) ? rel : path;
}

function oneLine(text: string): string {
  return text.replace(/\s+/g, ' ').trim();
}

/** Reads a .csv or .csv.gz file with a header row. Any problem is a one-line DataError naming the file. */
export async function readCsv(path: string): Promise<CsvTable> {
  const file = displayPath(path);
  let stored: Buffer;
  try {
    stored = await readFile(path);
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    throw new DataError(`${file}: ${code === 'ENOENT' ? 'file not found' : oneLine(String(err))}`);
  }
  let bytes = stored;
  if (path.endsWith('.gz')) {
    try {
      bytes = await gunzipAsync(stored);
    } catch (err) {
      throw new DataError(`${file}: not valid gzip (${oneLine((err as Error).message)})`);
    }
  }
  let records: string[][];
  let width = -1;
  try {
    records = parse(bytes, {
      bom: true,
      skip_empty_lines: true,
      // Ragged rows are checked here rather than by csv-parse so the message can name the row and both widths.
      relax_column_count: true,
      on_record: (record: string[], info) => {
        if (width < 0) width = record.length;
        else if (record.length !== width) {
          throw new DataError(`${file}: row ${info.records - 1} (line ${info.lines}) has ${record.length} fields, header has ${width}`);
        }
        return record;
      },
    });
  } catch (err) {
    if (err instanceof CsvError) throw new DataError(`${file}: ${oneLine(err.message)}`);
    throw err;
  }
  const [header, ...rows] = records;
  if (!header) throw new DataError(`${file}: empty file (no header row)`);
  const seen = new Set<string>();
  for (const name of header) {
    if (seen.has(name)) throw new DataError(`${file}: column "${name}" appears twice in the header`);
    seen.add(name);
  }
  return { file, header, rows, sha256: createHash('sha256').update(stored).digest('hex') };
}

/** Throws a DataError listing every name in `columns` that the table lacks. */
export function requireColumns(table: CsvTable, columns: Iterable<string>): void {
  const have = new Set(table.header);
  const missing = [...new Set(columns)].filter((c) => !have.has(c));
  if (missing.length > 0) throw new DataError(`${table.file}: missing required column(s): ${missing.join(', ')}`);
}
