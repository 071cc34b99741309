/** A dataset definition file (JSON, checked against dataset.schema.json): the way to add a dataset without code. */
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { basename, dirname, join, resolve } from 'node:path';
import { DataError } from './csv.js';
import { type JsonSchema, schemaProblem } from './json-schema.js';
import { validateDefinition } from './registry.js';
import type { DatasetDefinition } from './types.js';

const SCHEMA = JSON.parse(readFileSync(new URL('./dataset.schema.json', import.meta.url), 'utf8')) as JsonSchema;

/** The file name a definition file ends with. */
export const DEFINITION_SUFFIX = '.json';

/**
 * Reads and checks one definition: the schema first, then what relates fields to each other. The
 * data file is resolved against the definition's folder, so a definition sits beside its data.
 * Any problem is one line naming the file and the field.
 */
export function readDatasetFile(path: string): DatasetDefinition {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    throw new DataError(`${path}: ${code === 'ENOENT' ? 'file not found' : String(err)}`);
  }
  let raw: unknown;
  try {
    raw = JSON.parse(text);
  } catch (err) {
    throw new DataError(`${path}: not JSON (${(err as Error).message})`);
  }
  const problem = schemaProblem(raw, SCHEMA);
  if (problem) throw new DataError(`${path}: ${problem}`);
  const { $schema: _schema, $comment: _comment, ...fields } = raw as DatasetDefinition & { $schema?: string; $comment?: string };
  const def: DatasetDefinition = {
    ...fields,
    name: fields.name ?? basename(path, DEFINITION_SUFFIX),
    categorical: fields.categorical ?? [],
    never: fields.never ?? [],
    missing: fields.missing ?? [],
    file: resolve(dirname(path), fields.file),
  };
  try {
    validateDefinition(def);
  } catch (err) {
    throw new DataError(`${path}: ${(err as Error).message}`);
  }
  return def;
}

/** The definitions of a folder's .json files, in file-name order. */
export function readDatasetFolder(dir: string): DatasetDefinition[] {
  return readdirSync(dir)
    .filter((f) => f.endsWith(DEFINITION_SUFFIX))
    .sort()
    .map((f) => readDatasetFile(join(dir, f)));
}

/** A definition file, or every definition in a folder (--dataset takes either). */
export function readDatasetPath(path: string): DatasetDefinition[] {
  let folder = false;
  try {
    folder = statSync(path).isDirectory();
  } catch {
    // A path that does not exist is reported by readDatasetFile, as one line naming it.
  }
  return folder ? readDatasetFolder(path) : [readDatasetFile(path)];
}
