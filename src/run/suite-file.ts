/** Suite files: a module whose default export is a SuiteDefinition, found in a folder or named by --suite-file. */
import { existsSync, readdirSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { UsageError } from '../errors.js';
import type { SuiteDefinition } from './types.js';

const isList = (value: unknown, item: (v: Record<string, unknown>) => boolean) =>
  Array.isArray(value) && value.every((v) => typeof v === 'object' && v !== null && item(v as Record<string, unknown>));

/** The first field of a would-be suite that has the wrong shape (the matrix checks the names it holds). */
function shapeProblem(suite: Record<string, unknown>): string | undefined {
  if (typeof suite.name !== 'string' || suite.name === '') return 'field "name" must be a non-empty string';
  if (typeof suite.description !== 'string') return 'field "description" must be a string';
  if (!Array.isArray(suite.datasets) || !suite.datasets.every((d) => typeof d === 'string')) return 'field "datasets" must be a list of names';
  if (!isList(suite.models, (m) => typeof m.label === 'string' && typeof m.model === 'string')) return 'field "models" must be a list of { label, model }';
  if (!isList(suite.strategies, (s) => typeof s.label === 'string' && typeof s.strategy === 'string'))
    return 'field "strategies" must be a list of { label, strategy, options? }';
  return undefined;
}

/** The suite a module exports by default; null for a module without one (a helper beside the suites). */
async function importSuite(path: string): Promise<SuiteDefinition | null> {
  const module = (await import(pathToFileURL(resolve(path)).href)) as { default?: unknown };
  if (module.default === undefined) return null;
  const suite = module.default as Record<string, unknown>;
  const problem = typeof suite === 'object' && suite !== null ? shapeProblem(suite) : 'its default export is not an object';
  if (problem) throw new UsageError(`${path}: ${problem}`);
  return suite as unknown as SuiteDefinition;
}

/** A suite file named on the command line: it must export a suite. */
export async function readSuiteFile(path: string): Promise<SuiteDefinition> {
  if (!existsSync(path)) throw new UsageError(`${path}: file not found`);
  const suite = await importSuite(path);
  if (!suite) throw new UsageError(`${path}: no default export (a suite file ends with \`export default { name, ... } satisfies SuiteDefinition\`)`);
  return suite;
}

/** The suites of a folder's modules, in file-name order; modules without a default export are helpers and skipped. */
export async function readSuiteFolder(dir: string): Promise<SuiteDefinition[]> {
  const files = readdirSync(dir)
    .filter((f) => /\.(ts|js)$/.test(f) && !f.endsWith('.d.ts'))
    .sort();
  const suites = await Promise.all(files.map((f) => importSuite(join(dir, f))));
  return suites.filter((s): s is SuiteDefinition => s !== null);
}
