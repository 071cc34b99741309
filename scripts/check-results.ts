/**
 * CI check: the four Arrow tables of a results directory parse, carry every schema column,
 * and hold at least one successful run; every ok run saved its model; the report is there with
 * its charts. Usage: tsx scripts/check-results.ts results/smoke
 */
import { join } from 'node:path';
import { tableFromIPC } from 'apache-arrow';
import { existsSync, readFileSync, readdirSync } from 'node:fs';
import { runModelPath } from '../src/export/run-model.js';
import { CURVES_SCHEMA, NEURONS_SCHEMA, RUNS_SCHEMA, SUMMARY_SCHEMA } from '../src/results/schema.js';

const dir = process.argv[2];
if (!dir) {
  process.stderr.write('usage: tsx scripts/check-results.ts <results dir>\n');
  process.exit(2);
}

const problems: string[] = [];
for (const [file, schema] of [
  ['runs.arrow', RUNS_SCHEMA],
  ['neurons.arrow', NEURONS_SCHEMA],
  ['curves.arrow', CURVES_SCHEMA],
  ['summary.arrow', SUMMARY_SCHEMA],
] as const) {
  const table = tableFromIPC(readFileSync(join(dir, file)));
  const columns = table.schema.fields.map((f) => f.name);
  const missing = schema.map((c) => c.name).filter((name) => !columns.includes(name));
  if (missing.length) problems.push(`${file}: missing columns ${missing.join(', ')}`);
  if (table.numRows === 0) problems.push(`${file}: no rows`);
  process.stdout.write(`${file}: ${table.numRows} rows, ${columns.length} columns\n`);
  if (file === 'runs.arrow') {
    const statuses = table.getChild('status')!.toArray() as string[];
    const notOk = statuses.filter((s) => s !== 'ok').length;
    if (notOk) problems.push(`runs.arrow: ${notOk} of ${statuses.length} runs did not finish ok`);
    const ids = table.getChild('run_id')!.toArray() as string[];
    const unsaved = ids.filter((id, i) => statuses[i] === 'ok' && !existsSync(runModelPath(dir, id)));
    if (unsaved.length) problems.push(`models/: ${unsaved.length} ok run(s) saved no model, e.g. ${unsaved[0]}`);
  }
}
const charts = existsSync(join(dir, 'charts')) ? readdirSync(join(dir, 'charts')).filter((f) => f.endsWith('.svg')) : [];
const html = existsSync(join(dir, 'report.html')) ? readFileSync(join(dir, 'report.html'), 'utf8') : '';
if (!html) problems.push('report.html: missing');
else if ((html.match(/<svg /g) ?? []).length < charts.length || charts.length === 0)
  problems.push(`report.html: ${charts.length} chart files, fewer drawn in the page`);
if (!existsSync(join(dir, 'tables.md'))) problems.push('tables.md: missing');
process.stdout.write(`report.html: ${charts.length} charts; tables.md\n`);
if (problems.length) {
  process.stderr.write(`${problems.join('\n')}\n`);
  process.exit(1);
}
process.stdout.write(`${dir}: all tables parse\n`);
