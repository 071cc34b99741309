/**
 * CI check: every committed results directory (results/* with a runs.arrow) was written by the
 * current schema: each table has exactly the current columns, in order, and a content checksum.
 * Usage: tsx scripts/check-schemas.ts [results]; `npm run qatbench -- upgrade <dir>` rewrites an older directory.
 */
import { existsSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { schemaDifferences } from '../src/results/arrow-io.js';
import { RESULT_TABLES } from '../src/results/schema.js';

const root = process.argv[2] ?? 'results';
const dirs = readdirSync(root)
  .map((name) => join(root, name))
  .filter((dir) => existsSync(join(dir, 'runs.arrow')));
const problems = dirs.flatMap((dir) =>
  RESULT_TABLES.flatMap(({ file, schema, optional }) => {
    const path = join(dir, file);
    if (!existsSync(path)) return optional ? [] : [`${path}: missing`];
    return schemaDifferences(path, schema);
  }),
);
for (const problem of problems) process.stderr.write(`${problem}\n`);
process.stdout.write(`${dirs.length} results directories, ${problems.length} difference(s) from the current schema\n`);
process.exitCode = problems.length > 0 ? 1 : 0;
