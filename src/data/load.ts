import { basename, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { makeRng } from '../rng.js';
import { DataError, readCsv, requireColumns, type CsvTable } from './csv.js';
import { preprocess, type UsedRows } from './preprocess.js';
import { getDataset } from './registry.js';
import { capRows, rareClassWarnings } from './sample.js';
import { DEFAULT_FRACTIONS, groupedSplit, randomSplit, stratifiedSplit, timeBlockSplit, type Fractions, type SplitIndices } from './split.js';
import { targetLabeler } from './target.js';
import type { DatasetDefinition, LoadOptions, PreparedDataset, Sampling } from './types.js';

const defaultDataDir = fileURLToPath(new URL('../../data/', import.meta.url));

/** Parsed files, kept for the life of the process: a suite loads the same dataset for every run. */
const tables = new Map<string, Promise<CsvTable>>();

/** The parsed data file of a dataset (cached by absolute path). */
export function readTable(def: DatasetDefinition, dataDir: string = defaultDataDir): Promise<CsvTable> {
  const path = resolve(dataDir, def.file);
  let table = tables.get(path);
  if (!table) {
    table = readCsv(path);
    tables.set(path, table);
    table.catch(() => tables.delete(path)); // a failed read is not remembered, so a fixed file is picked up
  }
  return table;
}

/** The rows in use and their split; split indices point into `rows`. */
export interface RowSelection extends UsedRows {
  split: SplitIndices;
  warnings: string[];
}

/** A definition's row-cap sampling, its default by task. */
export const samplingOf = (def: Pick<DatasetDefinition, 'task' | 'sampling'>): Sampling =>
  def.sampling ?? (def.task === 'classification' ? 'stratified' : 'random');

function checkOptions(opts: LoadOptions): Fractions {
  const f = opts.fractions ?? DEFAULT_FRACTIONS;
  if (f.length !== 3 || f.some((v) => !(v >= 0)) || f[0] <= 0 || Math.abs(f[0] + f[1] + f[2] - 1) > 1e-9) {
    throw new DataError(`fractions must be 3 non-negative numbers summing to 1 with a positive training part, got ${f.join(', ')}`);
  }
  if (opts.maxRows !== undefined && !(Number.isInteger(opts.maxRows) && opts.maxRows > 0)) {
    throw new DataError(`maxRows must be a positive integer, got ${opts.maxRows}`);
  }
  return f;
}

/** Checks columns, drops rows without a usable target, samples maxRows (original order kept) and splits. */
export function selectRows(def: DatasetDefinition, table: CsvTable, opts: LoadOptions): RowSelection {
  const fractions = checkOptions(opts);
  const { split: spec } = def;
  const splitColumn = spec.kind === 'time-blocks' ? [spec.orderBy] : spec.kind === 'grouped' ? [spec.groupBy] : [];
  requireColumns(table, [def.target, ...def.numeric, ...def.categorical, ...splitColumn]);

  const t = table.header.indexOf(def.target);
  const unusable = new Set(['', ...def.missing, ...(def.dropTargetValues ?? [])]);
  const usable = table.rows.flatMap((row, i) => (unusable.has(row[t].trim()) ? [] : [i]));
  const label = targetLabeler(def);
  const classification = def.task === 'classification';
  const labels = classification ? usable.map((i) => label(table.rows[i][t].trim())) : null;
  const keep =
    opts.maxRows === undefined ? usable : capRows(usable, opts.maxRows, samplingOf(def) === 'stratified' ? labels : null, makeRng(`rows:${opts.splitSeed}`));
  const rows = keep.map((i) => table.rows[i]);
  const rowNumbers = keep.map((i) => i + 1);
  const column = (name: string) => {
    const j = table.header.indexOf(name);
    return rows.map((r) => r[j].trim());
  };

  const rng = makeRng(`split:${opts.splitSeed}`);
  let split: SplitIndices;
  switch (spec.kind) {
    case 'random':
      split = randomSplit(rows.length, fractions, rng);
      break;
    case 'stratified':
      split = stratifiedSplit(column(def.target).map(label), fractions, rng);
      break;
    case 'grouped':
      split = groupedSplit(column(spec.groupBy), fractions, rng);
      break;
    case 'time-blocks': {
      const order = column(spec.orderBy).map((cell, i) => {
        const v = cell === '' ? NaN : Number(cell);
        if (!Number.isFinite(v)) throw new DataError(`${table.file}: row ${rowNumbers[i]}, column "${spec.orderBy}": "${cell}" is not a number`);
        return v;
      });
      split = timeBlockSplit(order, spec.blockRows, fractions, rng);
      break;
    }
  }
  const warnings = classification ? rareClassWarnings(column(def.target).map(label)) : [];
  return { file: table.file, header: table.header, rows, rowNumbers, split, warnings };
}

/** Fewer rows than this in a split give a metric that means nothing (a 2-row test split scores 0, 0.5 or 1). */
export const MIN_SPLIT_ROWS = 5;

function checkSplitSizes(def: DatasetDefinition, split: SplitIndices, opts: LoadOptions): void {
  const sizes = { training: split.train.length, validation: split.val.length, test: split.test.length };
  if (Object.values(sizes).every((n) => n >= MIN_SPLIT_ROWS)) return;
  const cause = opts.maxRows !== undefined ? `--max-rows ${opts.maxRows}` : 'the data file';
  throw new DataError(
    `${def.name}: ${cause} leaves ${Object.entries(sizes)
      .map(([name, n]) => `${n} ${name}`)
      .join(', ')} rows; every split needs at least ${MIN_SPLIT_ROWS}`,
  );
}

/**
 * What changes the prepared data beyond columns and split, for the config hash: only the fields a
 * definition sets, and the sampling only where it differs from the random cap every run used before
 * stratified caps, so the hashes of earlier runs still name them.
 */
function preparation(def: DatasetDefinition): Record<string, unknown> {
  return {
    ...(def.targetMap ? { targetMap: def.targetMap } : {}),
    ...(def.task === 'classification' && samplingOf(def) === 'stratified' ? { sampling: 'stratified' } : {}),
  };
}

/** Reads (cached), selects, splits and preprocesses a dataset: a definition, or the name of a registered one. */
export async function loadDataset(dataset: string | DatasetDefinition, opts: LoadOptions): Promise<PreparedDataset> {
  const def = typeof dataset === 'string' ? getDataset(dataset) : dataset;
  const table = await readTable(def, opts.dataDir);
  const used = selectRows(def, table, opts);
  const prepared = preprocess(def, used, used.split);
  checkSplitSizes(def, used.split, opts);
  return {
    name: def.name,
    task: def.task,
    target: def.target,
    ...prepared,
    sha256: table.sha256,
    file: basename(def.file),
    preparation: preparation(def),
    warnings: used.warnings,
    rowsUsed: used.rows.length,
    rowsInFile: table.rows.length,
  };
}
