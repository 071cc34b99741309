import { existsSync, mkdtempSync, readFileSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { UsageError } from '../../src/errors.js';
import { readTable } from '../../src/results/arrow-io.js';
import { type Report, writeReport } from '../../src/results/report.js';
import { SUMMARY_SCHEMA } from '../../src/results/schema.js';
import { ResultStore } from '../../src/results/store.js';
import { summarize } from '../../src/results/summary.js';
import type { SummaryRow } from '../../src/results/types.js';
import { paretoFront } from '../../src/report/charts/tradeoff.js';
import { SUITE_RUNS, curveRows, neuronRows, tempDirs } from './rows.js';

const newDir = tempDirs();

/** The <section>s of report.html, each split at its <h3> headings. */
function pageSections(html: string): Map<string, Map<string, string>> {
  const sections = [...html.matchAll(/<section id="[^"]*">\n<h2>([^<]*)<\/h2>([\s\S]*?)<\/section>/g)];
  return new Map(sections.map(([, title, body]) => [title, new Map(body.split('<h3>').slice(1).map((part) => [part.slice(0, part.indexOf('</h3>')), part]))]));
}

describe('writeReport', () => {
  // Rendering the charts takes a second or two: the tests below read one report.
  let dir: string;
  let report: Report;
  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'qatbench-report-'));
    const store = new ResultStore(dir);
    for (const run of SUITE_RUNS) store.recordRun(run, neuronRows(run.run_id, 2), curveRows(run.run_id, 2));
    report = await writeReport(dir);
  });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('writes summary.arrow equal to summarize() and a README beside runs.arrow', () => {
    const expected = summarize(SUITE_RUNS);
    expect(report.summary).toEqual(expected);
    expect(report.summaryPath).toBe(join(dir, 'summary.arrow'));
    expect(readTable(report.summaryPath, SUMMARY_SCHEMA)).toEqual(expected);
    const readme = readFileSync(report.readmePath, 'utf8');
    expect(readme).toContain('# telecom results');
    expect(readme).toContain('from runs.arrow (15 runs), profile `quick`');
    expect(readme).toContain('| fp32 | 0.9000 ± 0.1000 | 1250 ± 50 |');
    expect(readdirSync(dir).sort()).toEqual(['README.md', 'charts', 'curves.arrow', 'neurons.arrow', 'report.html', 'runs.arrow', 'summary.arrow', 'tables.md']);
  });

  it('report.html: per dataset, a table whose numbers are summary.arrow\'s and a chart in every chart section, each also an .svg file', () => {    const html = readFileSync(report.htmlPath, 'utf8');
    const summary = readTable(join(dir, 'summary.arrow'), SUMMARY_SCHEMA);
    const sections = pageSections(html);
    expect([...sections.keys()]).toEqual(['churn · mlp', 'vod · mlp']);

    for (const [title, parts] of sections) {
      expect([...parts.keys()]).toEqual(['Comparison', 'Compression against accuracy', 'Bit-widths per layer', 'Bit expansion during training', 'Learning curves']);
      for (const [name, part] of parts) if (name !== 'Comparison') expect(part.match(/<svg /g)?.length ?? 0, `${title}: ${name}`).toBeGreaterThanOrEqual(1);

      const dataset = title.split(' · ')[0];
      const rows = [...parts.get('Comparison')!.matchAll(/<tr data-strategy="([^"]*)">(.*?)<\/tr>/g)];
      const cells = summary.filter((row) => row.dataset === dataset);
      expect(rows.map(([, strategy]) => strategy)).toEqual(cells.map((row) => row.strategy));
      rows.forEach(([, strategy, tds]) => {
        const row = cells.find((c) => c.strategy === strategy)!;
        const shown = [...tds.matchAll(/data-([a-z0-9_]+)="([^"]*)"/g)];
        expect(shown.length).toBe(15);
        for (const [, field, value] of shown) expect(value === '' ? null : Number(value), `${strategy} ${field}`).toBe(row[field as keyof SummaryRow]);
      });
    }
    // the vod cell with every seed failed is a row too, with no numbers
    expect(html).toMatch(/<tr data-strategy="uniform-w4"><td>uniform-w4<\/td><td data-n_seeds="0" data-n_failed="3">0 \(3 failed\)<\/td><td data-test_metric_mean="" data-test_metric_std="">failed<\/td>/);

    // Self-contained: nothing to fetch, no script.
    expect(html).not.toMatch(/<script|<link|<img|src=|href="http|url\(/);
    const files = readdirSync(join(dir, 'charts'));
    expect(report.charts.length).toBe(files.length);
    expect(files).toContain('churn.mlp.tradeoff.svg');
    for (const file of files) {
      const svg = readFileSync(join(dir, 'charts', file), 'utf8');
      expect(svg.startsWith('<svg')).toBe(true);
      expect(html).toContain(svg); // the page inlines the same drawing
    }
  });

  it('tables.md: the paper\'s layout, weights-only and weights+activations split by float activations', () => {
    const tables = readFileSync(report.tablesPath, 'utf8');
    const headings = [...tables.matchAll(/^## (.*)$/gm)].map(([, h]) => h);
    expect(headings).toEqual([
      'mlp: weights + activations quantized (test metric)',
      'mlp: average weight bits',
      'mlp: average activation bits',
      'mlp: weights only (test metric)',
      'mlp: wall-clock per run, search + training (s)',
    ]);
    const section = (h: string) => tables.split(`## ${h}\n\n`)[1].split('\n\n')[0];
    // fp32 (float everything) is the reference in both; uniform-w4 and nmp quantize activations
    expect(section(headings[0]).split('\n').slice(2).map((line) => line.split(' | ')[0])).toEqual(['| fp32', '| uniform-w4', '| nmp']);
    expect(section(headings[3])).toContain('| fp32 | 0.9000 ± 0.1000 | 1250 ± 50 |');
    expect(section(headings[3])).not.toContain('uniform-w4');
    // nmp: 2.25 s search + 10 s training
    expect(section(headings[4])).toContain('| nmp | 12.3 (2.3 + 10.0) (n=2) | – |');
  });

  it('refuses a directory without runs.arrow', async () => {
    const dir = newDir();
    await expect(writeReport(dir)).rejects.toThrow(new UsageError(`no runs.arrow in ${dir}: run a suite first`));
    await expect(writeReport(dir)).rejects.toThrow(UsageError);
    expect(readdirSync(dir)).toEqual([]);
    expect(existsSync(join(dir, 'report.html'))).toBe(false);
  });
});

describe('Pareto front of the compression-accuracy chart', () => {
  const p = (bits: number, metric: number) => ({ bits, metric });
  it('keeps the points no other point beats on both axes, by the metric\'s direction', () => {
    const points = [p(1, 0.80), p(1, 0.85), p(2, 0.84), p(4, 0.90), p(32, 0.90), p(8, 0.95)];
    const names = (front: Set<{ bits: number; metric: number }>) => points.filter((q) => front.has(q)).map((q) => `${q.bits}:${q.metric}`);
    expect(names(paretoFront(points, true))).toEqual(['1:0.85', '4:0.9', '8:0.95']);
    // lower is better (an error): the fewest bits with the lowest error, then nothing beats 1 bit at 0.80
    expect(names(paretoFront(points, false))).toEqual(['1:0.8']);
    // an exact tie on both axes: neither beats the other
    expect(paretoFront([p(2, 0.5), p(2, 0.5)], true).size).toBe(2);
  });
});
