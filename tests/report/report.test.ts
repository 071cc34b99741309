import { existsSync, mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { UsageError } from '../../src/errors.js';
import { readTable } from '../../src/results/arrow-io.js';
import { type Claim, evaluateClaims } from '../../src/results/claims.js';
import { claimLines } from '../../src/report/claims-table.js';
import { type Report, writeReport } from '../../src/report/write.js';
import { CLAIMS_SCHEMA, SUMMARY_SCHEMA } from '../../src/results/schema.js';
import { ResultStore } from '../../src/results/store.js';
import { summarize } from '../../src/results/summary.js';
import type { RunRow, SummaryRow } from '../../src/results/types.js';
import { paretoFront } from '../../src/report/charts/tradeoff.js';
import { renderPaperTables } from '../../src/report/tables.js';
import { isMixedPrecision } from '../../src/strategy/registry.js';
import { SUITE_RUNS, curveRows, neuronRows, runRow, tempDirs } from '../results/rows.js';

const newDir = tempDirs();

const CLAIMS: Claim[] = [
  {
    id: 'nmp-beats-fp32',
    kind: 'comparison',
    source: 'paper abstract',
    wording: 'nmp beats fp32',
    model: 'mlp',
    dataset: 'churn',
    better: 'nmp',
    worse: 'fp32',
  },
  {
    id: 'uniform-bits',
    kind: 'range',
    source: 'a summary',
    wording: 'uniform at 2 to 4 bits',
    model: 'mlp',
    strategy: 'uniform-w4',
    measure: 'avg_weight_bits',
    lo: 2,
    hi: 4,
  },
];

/** The sections of tables.md by their ## heading. */
function tableSections(markdown: string): Map<string, string> {
  return new Map(
    markdown
      .split(/^## /m)
      .slice(1)
      .map((part) => [part.slice(0, part.indexOf('\n')), part.slice(part.indexOf('\n')).trim()]),
  );
}

/** The <section>s of report.html, each split at its <h3> headings. */
function pageSections(html: string): Map<string, Map<string, string>> {
  const sections = [...html.matchAll(/<section id="[^"]*">\n<h2>([^<]*)<\/h2>([\s\S]*?)<\/section>/g)];
  return new Map(
    sections.map(([, title, body]) => [
      title,
      new Map(
        body
          .split('<h3>')
          .slice(1)
          .map((part) => [part.slice(0, part.indexOf('</h3>')), part]),
      ),
    ]),
  );
}

describe('writeReport', () => {
  // Rendering the charts takes a second or two: the tests below read one report.
  let dir: string;
  let report: Report;
  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'qatbench-report-'));
    const store = new ResultStore(dir);
    for (const run of SUITE_RUNS) store.recordRun(run, neuronRows(run.run_id, 2), curveRows(run.run_id, 2));
    report = await writeReport(dir, { reference: 'nmp', claims: CLAIMS });
  });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('writes summary.arrow equal to summarize() and a README beside runs.arrow', () => {
    const expected = summarize(SUITE_RUNS, { reference: 'nmp', mixedPrecision: isMixedPrecision });
    expect(expected.map((row) => row.mixed_precision)).toEqual([false, false, true, false, false]);
    expect(report.summary).toEqual(expected);
    expect(report.summaryPath).toBe(join(dir, 'summary.arrow'));
    expect(readTable(report.summaryPath, SUMMARY_SCHEMA)).toEqual(expected);
    const readme = readFileSync(report.readmePath, 'utf8');
    expect(readme).toContain('# telecom results');
    expect(readme).toContain('from runs.arrow (15 runs), profile `quick`');
    expect(readme).toContain('| fp32 | 0.9000 ± 0.1000 | 1250 ± 50 |');
    expect(readdirSync(dir).sort()).toEqual([
      'README.md',
      'charts',
      'claims.arrow',
      'curves.arrow',
      'neurons.arrow',
      'report.html',
      'runs.arrow',
      'summary.arrow',
      'tables.md',
    ]);
  });

  it('writes claims.arrow with the verdicts, and the claims table in README.md, tables.md and report.html', () => {
    const expected = evaluateClaims(CLAIMS, SUITE_RUNS, 'telecom');
    expect(report.claims).toEqual(expected);
    expect(readTable(report.claimsPath!, CLAIMS_SCHEMA)).toEqual(expected);
    expect(expected.map((row) => [row.claim_id, row.dataset, row.verdict])).toEqual([
      ['nmp-beats-fp32', 'churn', 'inconclusive'],
      ['uniform-bits', 'churn', 'supported'],
      ['uniform-bits', 'vod', 'not run'],
    ]);
    const readme = readFileSync(report.readmePath, 'utf8');
    const tables = readFileSync(report.tablesPath, 'utf8');
    for (const markdown of [readme, tables])
      expect(markdown).toContain(
        '| uniform-bits | a summary | uniform at 2 to 4 bits | average weight bits of uniform-w4 in [2, 4] | every dataset · mlp | inconclusive |  |  |',
      );
    expect([...tableSections(tables).keys()].at(-1)).toBe('Claims');
    const html = readFileSync(report.htmlPath, 'utf8');
    const claims = pageSections(html).get('Claims');
    expect(claims).toBeDefined();
    const shown = [...html.matchAll(/<table class="claims">[\s\S]*?<\/table>/g)][0][0];
    const cells = [...shown.matchAll(/<tr>(.*?)<\/tr>/g)]
      .slice(1)
      .map(([, tds]) => [...tds.matchAll(/<td>(.*?)<\/td>/g)].map(([, text]) => text.replaceAll('&lt;', '<')));
    expect(cells).toEqual(claimLines(expected));
    expect(html).toContain('<strong>supported</strong>');
  });

  it("report.html: per dataset, a table whose numbers are summary.arrow's and a chart in every chart section, each also an .svg file", () => {
    const html = readFileSync(report.htmlPath, 'utf8');
    const summary = readTable(join(dir, 'summary.arrow'), SUMMARY_SCHEMA);
    const sections = pageSections(html);
    expect([...sections.keys()]).toEqual(['Claims', 'churn · mlp', 'vod · mlp', 'Runs that did not finish ok']);
    // every failed run of the reported configurations, with its reason, at the end
    const failures = [...html.slice(html.indexOf('<section id="failures">')).matchAll(/<tr><td>(.*?)<\/td><td>(.*?)<\/td><td>(.*?)<\/td><\/tr>/g)];
    expect(failures.map(([, , status, reason]) => `${status}: ${reason}`)).toEqual(new Array(4).fill('failed: out of memory'));
    sections.delete('Claims');

    for (const [title, parts] of [...sections].filter(([title]) => title.includes(' · '))) {
      expect([...parts.keys()]).toEqual([
        'Comparison',
        'Compression against accuracy',
        'Bit-widths per layer',
        'Bit expansion during training',
        'Learning curves',
      ]);
      for (const [name, part] of parts) if (name !== 'Comparison') expect(part.match(/<svg /g)?.length ?? 0, `${title}: ${name}`).toBeGreaterThanOrEqual(1);

      const dataset = title.split(' · ')[0];
      const rows = [...parts.get('Comparison')!.matchAll(/<tr data-strategy="([^"]*)">(.*?)<\/tr>/g)];
      const cells = summary.filter((row) => row.dataset === dataset);
      expect(rows.map(([, strategy]) => strategy)).toEqual(cells.map((row) => row.strategy));
      rows.forEach(([, strategy, tds]) => {
        const row = cells.find((c) => c.strategy === strategy)!;
        const shown = [...tds.matchAll(/data-([a-z0-9_]+)="([^"]*)"/g)];
        // A classification table has macro-F1 beside the accuracy.
        expect(shown.length).toBe(row.task === 'classification' ? 17 : 15);
        for (const [, field, value] of shown) expect(value === '' ? null : Number(value), `${strategy} ${field}`).toBe(row[field as keyof SummaryRow]);
      });
    }
    // the vod cell with every seed failed is a row too, with no numbers
    expect(html).toMatch(
      /<tr data-strategy="uniform-w4"><td>uniform-w4<\/td><td data-n_seeds="0" data-n_failed="3">0 \(3 failed\)<\/td><td data-test_metric_mean="" data-test_metric_std="">failed<\/td>/,
    );

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

  it('tables.md: the paper\'s Tables 1-6, the second model\'s "not run" with one model, then the claims', () => {
    const sections = tableSections(readFileSync(report.tablesPath, 'utf8'));
    expect([...sections.keys()]).toEqual([
      'Table 1: weights + activations quantized, first model (test metric)',
      'Table 2: average weight / activation bits',
      'Table 3: weights only, second model (test metric)',
      'Table 4: weights + activations quantized, second model (test metric)',
      'Table 5: weights only, first model (test metric)',
      'Table 6: wall-clock of the mixed-precision strategies, search + training (min:sec, × the reference)',
      'Claims',
    ]);
    const [table1, table2, table3, table4, table5, table6] = [...sections.values()];
    // fp32 (float everything) is in both kinds; uniform-w4 and nmp quantize activations; ★ as in README.md
    expect(table1).toContain(
      [
        '### mlp',
        '',
        '| strategy | churn (accuracy ↑) | vod (mse ↓) |',
        '| --- | ---: | ---: |',
        '| fp32 | 0.9000 ± 0.1000 | 1250 ± 50 |',
        '| uniform-w4 | 0.8700 ± 0.0200 (1 failed) | failed |',
        '| nmp | 0.9100 ± 0.0141 ★ (n=2) | – |',
      ].join('\n'),
    );
    expect(table2).toContain('| strategy | churn (W / A) | vod (W / A) |');
    expect(table2).toContain('| fp32 | 32 / 32 | 32 / 32 |');
    expect(table2).toContain('| nmp | 4.00 ± 0.71 / 6 (n=2) | – |');
    for (const table of [table3, table4])
      expect(table).toBe("Not run: these results hold one model, and this table is the second model's (the paper's transformer).");
    expect(table5).toContain('| fp32 | 0.9000 ± 0.1000 | 1250 ± 50 |');
    expect(table5).not.toContain('uniform-w4');
    // only nmp learns its widths (2.25 s search + 10 s training) and it is the reference; no mixed-precision strategy ran vod
    expect(table6).toBe(['### mlp', '', '| strategy | churn |', '| --- | ---: |', '| nmp | 0:12 (1.00×) |'].join('\n'));
  });

  it('a results directory without claims has no claims.arrow (an old one is removed) and no claims table', async () => {
    const bare = newDir();
    new ResultStore(bare).recordRun(SUITE_RUNS[0], neuronRows(SUITE_RUNS[0].run_id, 2), curveRows(SUITE_RUNS[0].run_id, 2));
    writeFileSync(join(bare, 'claims.arrow'), 'left by an earlier report');
    const bareReport = await writeReport(bare, { claims: () => [] });
    expect(bareReport).toMatchObject({ claimsPath: null, claims: [] });
    expect(existsSync(join(bare, 'claims.arrow'))).toBe(false);
    for (const path of [bareReport.readmePath, bareReport.tablesPath, bareReport.htmlPath]) expect(readFileSync(path, 'utf8')).not.toContain('Claims');
  });

  it('refuses a directory without runs.arrow', async () => {
    const dir = newDir();
    await expect(writeReport(dir)).rejects.toThrow(new UsageError(`no runs.arrow in ${dir}: run a suite first`));
    await expect(writeReport(dir)).rejects.toThrow(UsageError);
    expect(readdirSync(dir)).toEqual([]);
    expect(existsSync(join(dir, 'report.html'))).toBe(false);
  });
});

describe('renderPaperTables', () => {
  const meta = { suite: 'telecom', generatedFrom: 'runs.arrow' };
  /** Seeds 0 and 1 of a strategy: search + training seconds, and bits. */
  const runs = (model: string, strategy: string, strategy_name: string, seconds: [number, number], bits: Partial<RunRow> = {}) =>
    [0, 1].map((seed) =>
      runRow({ run_id: `${model}/${strategy}/${seed}`, model, strategy, strategy_name, seed, search_seconds: seconds[0], train_seconds: seconds[1], ...bits }),
    );
  const mixed = { avg_weight_bits: 1.2, avg_activation_bits: 4 };
  const summary = summarize(
    ['mlp', 'tabformer'].flatMap((model) => [
      ...runs(model, 'fp32', 'fp32', [0, 10]),
      ...runs(model, 'uniform-w4', 'uniform', [0, 12], { avg_weight_bits: 4, avg_activation_bits: 8 }),
      ...runs(model, 'nmp-qat-w', 'nmp-qat', [0, 50], { avg_weight_bits: 1.1 }),
      ...runs(model, 'nmp-qat', 'nmp-qat', [0, 60], mixed),
      ...runs(model, 'hawq', 'hawq', [30, 60], mixed),
    ]),
    { reference: 'nmp-qat', mixedPrecision: isMixedPrecision },
  );
  const tables = tableSections(renderPaperTables(summary, meta));
  const table = (n: number) => [...tables.values()][n - 1];
  // The strategies of a table's first grid (the test metric; a macro-F1 grid of the same rows follows it).
  const strategiesOf = (markdown: string) =>
    [...markdown.split('\n#### ')[0].matchAll(/^\| ([^ |]+) \|/gm)].map(([, s]) => s).filter((s) => s !== 'strategy' && s !== '---');

  it('with two models, the second model fills Tables 3 and 4, and Tables 2 and 6 give both', () => {
    expect(table(1)).toMatch(/^### mlp\n/);
    expect(strategiesOf(table(1))).toEqual(['fp32', 'uniform-w4', 'nmp-qat', 'hawq']);
    expect(table(1)).toContain('#### Test macro-F1 (classification datasets)');
    expect(table(3)).toMatch(/^### tabformer\n/);
    expect(strategiesOf(table(3))).toEqual(['fp32', 'nmp-qat-w']);
    expect(strategiesOf(table(4))).toEqual(['fp32', 'uniform-w4', 'nmp-qat', 'hawq']);
    expect(table(4)).not.toContain('### mlp');
    expect(strategiesOf(table(5))).toEqual(['fp32', 'nmp-qat-w']);
    for (const n of [2, 6]) expect([...table(n).matchAll(/^### (.*)$/gm)].map(([, m]) => m)).toEqual(['mlp', 'tabformer']);
  });

  it('Table 6: the mixed-precision strategies only, search + training as min:sec, and the ratio to the reference', () => {
    // nmp-qat-w 50 s, nmp-qat (the reference) 60 s, hawq 30 + 60 s
    expect(table(6).split('\n\n### tabformer')[0]).toBe(
      ['### mlp', '', '| strategy | churn |', '| --- | ---: |', '| nmp-qat-w | 0:50 (0.83×) |', '| nmp-qat | 1:00 (1.00×) |', '| hawq | 1:30 (1.50×) |'].join(
        '\n',
      ),
    );
    // without a reference, no ratio
    const noReference = tableSections(
      renderPaperTables(
        summary.map((row) => ({ ...row, reference: null })),
        meta,
      ),
    );
    expect([...noReference.values()][5]).toContain('| hawq | 1:30 |');
  });
});

describe('Pareto front of the compression-accuracy chart', () => {
  const p = (bits: number, metric: number) => ({ bits, metric });
  it("keeps the points no other point beats on both axes, by the metric's direction", () => {
    const points = [p(1, 0.8), p(1, 0.85), p(2, 0.84), p(4, 0.9), p(32, 0.9), p(8, 0.95)];
    const names = (front: Set<{ bits: number; metric: number }>) => points.filter((q) => front.has(q)).map((q) => `${q.bits}:${q.metric}`);
    expect(names(paretoFront(points, true))).toEqual(['1:0.85', '4:0.9', '8:0.95']);
    // lower is better (an error): the fewest bits with the lowest error, then nothing beats 1 bit at 0.80
    expect(names(paretoFront(points, false))).toEqual(['1:0.8']);
    // an exact tie on both axes: neither beats the other
    expect(paretoFront([p(2, 0.5), p(2, 0.5)], true).size).toBe(2);
  });
});
