import { readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { UsageError } from '../../src/errors.js';
import { readTable } from '../../src/results/arrow-io.js';
import { writeReport } from '../../src/results/report.js';
import { SUMMARY_SCHEMA } from '../../src/results/schema.js';
import { ResultStore } from '../../src/results/store.js';
import { summarize } from '../../src/results/summary.js';
import { SUITE_RUNS, curveRows, neuronRows, tempDirs } from './rows.js';

const newDir = tempDirs();

describe('writeReport', () => {
  it('writes summary.arrow equal to summarize() and a README beside runs.arrow', () => {
    const dir = newDir();
    const store = new ResultStore(dir);
    for (const run of SUITE_RUNS) store.recordRun(run, neuronRows(run.run_id, 2), curveRows(run.run_id, 2));

    const report = writeReport(dir);

    const expected = summarize(SUITE_RUNS);
    expect(report.summary).toEqual(expected);
    expect(report.summaryPath).toBe(join(dir, 'summary.arrow'));
    expect(readTable(report.summaryPath, SUMMARY_SCHEMA)).toEqual(expected);
    const readme = readFileSync(report.readmePath, 'utf8');
    expect(readme).toContain('# telecom results');
    expect(readme).toContain('from runs.arrow (15 runs), profile `quick`');
    expect(readme).toContain('| fp32 | 0.9000 ± 0.1000 | 1250 ± 50 |');
    expect(readdirSync(dir).sort()).toEqual(['README.md', 'curves.arrow', 'neurons.arrow', 'runs.arrow', 'summary.arrow']);
  });

  it('refuses a directory without runs.arrow', () => {
    const dir = newDir();
    expect(() => writeReport(dir)).toThrow(new UsageError(`no runs.arrow in ${dir}: run a suite first`));
    expect(() => writeReport(dir)).toThrow(UsageError);
    expect(readdirSync(dir)).toEqual([]);
  });
});
