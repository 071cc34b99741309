/**
 * `qatbench report`: from a results directory's runs.arrow, the tables (summary.arrow, claims.arrow, computed in results/)
 * and their renderings: README.md, report.html, tables.md and charts/*.svg, each with the claims table.
 */
import { existsSync, readdirSync, rmSync } from 'node:fs';
import { basename, join } from 'node:path';
import type { TopLevelSpec } from 'vega-lite';
import { readTable, writeTable } from '../results/arrow-io.js';
import { writeFileAtomic } from '../files.js';
import { UsageError } from '../errors.js';
import { type Claim, evaluateClaims } from '../results/claims.js';
import { CLAIMS_SCHEMA, CURVES_SCHEMA, NEURONS_SCHEMA, RUNS_SCHEMA, SUMMARY_SCHEMA } from '../results/schema.js';
import { failedRuns, type SuiteOrder, summarize } from '../results/summary.js';
import { isMixedPrecision } from '../strategy/registry.js';
import type { ClaimRow, RunRow, SummaryRow } from '../results/types.js';
import { bitDistributionChart } from './charts/bit-distribution.js';
import { bitExpansionAverageChart, bitExpansionSharesChart } from './charts/bit-expansion.js';
import { learningCurvesChart } from './charts/learning-curves.js';
import { renderSvg } from './charts/render.js';
import { tradeoffChart } from './charts/tradeoff.js';
import { type Panel, panels } from './data.js';
import { type RenderedChart, renderReportHtml, type SECTIONS } from './html.js';
import { renderSummaryMarkdown } from './markdown.js';
import type { ReportMeta } from './meta.js';
import { renderPaperTables } from './tables.js';

interface ChartKind {
  name: string;
  section: (typeof SECTIONS)[number];
  build: (panel: Panel) => TopLevelSpec | null;
  /** Said in place of the chart when build has nothing to draw. */
  empty: string;
}

const CHART_KINDS: ChartKind[] = [
  { name: 'tradeoff', section: 'Compression against accuracy', build: tradeoffChart, empty: 'No strategy finished a run.' },
  { name: 'weight-bits', section: 'Bit-widths per layer', build: (p) => bitDistributionChart(p, 'weight'), empty: 'No strategy quantizes weights.' },
  {
    name: 'activation-bits',
    section: 'Bit-widths per layer',
    build: (p) => bitDistributionChart(p, 'activation'),
    empty: 'No strategy quantizes activations.',
  },
  { name: 'bits-per-epoch', section: 'Bit expansion during training', build: bitExpansionAverageChart, empty: 'No quantizing strategy has learning curves.' },
  {
    name: 'width-shares-per-epoch',
    section: 'Bit expansion during training',
    build: bitExpansionSharesChart,
    empty: 'Widths per epoch are not in this curves.arrow (written before they were recorded): re-run the suite to see them.',
  },
  { name: 'learning-curves', section: 'Learning curves', build: learningCurvesChart, empty: 'No learning curves recorded.' },
];

const CHART_DIR = 'charts';
const fileName = (panel: Panel, kind: string) => `${panel.dataset}.${panel.model}.${kind}.svg`.replace(/[^A-Za-z0-9._-]/g, '_');

export interface VisualReport {
  htmlPath: string;
  tablesPath: string;
  charts: string[];
}

export async function writeVisualReport(
  dir: string,
  runs: readonly RunRow[],
  summary: readonly SummaryRow[],
  claims: readonly ClaimRow[],
  meta: ReportMeta,
): Promise<VisualReport> {
  const neurons = readTable(join(dir, 'neurons.arrow'), NEURONS_SCHEMA);
  const curves = readTable(join(dir, 'curves.arrow'), CURVES_SCHEMA);
  const sections: { panel: Panel; charts: RenderedChart[] }[] = [];
  const written: string[] = [];
  for (const panel of panels(summary, runs, neurons, curves)) {
    const charts: RenderedChart[] = [];
    for (const kind of CHART_KINDS) {
      const spec = kind.build(panel);
      const file = `${CHART_DIR}/${fileName(panel, kind.name)}`;
      const svg = spec && (await renderSvg(spec));
      if (svg) {
        writeFileAtomic(join(dir, file), svg);
        written.push(file);
      }
      charts.push({ section: kind.section, file, svg, empty: kind.empty });
    }
    sections.push({ panel, charts });
  }
  // Charts of datasets or kinds no longer in the results would otherwise linger beside the new ones.
  const chartDir = join(dir, CHART_DIR);
  if (existsSync(chartDir)) {
    for (const name of readdirSync(chartDir)) if (name.endsWith('.svg') && !written.includes(`${CHART_DIR}/${name}`)) rmSync(join(chartDir, name));
  }
  const htmlPath = join(dir, 'report.html');
  const tablesPath = join(dir, 'tables.md');
  writeFileAtomic(htmlPath, renderReportHtml(meta, sections, claims));
  writeFileAtomic(tablesPath, renderPaperTables(summary, meta, claims));
  return { htmlPath, tablesPath, charts: written.map((f) => join(dir, f)) };
}

export interface Report extends VisualReport {
  summaryPath: string;
  readmePath: string;
  summary: SummaryRow[];
  /** Where claims.arrow is; null when there are no claims (and no file). */
  claimsPath: string | null;
  claims: ClaimRow[];
}

/** A value, or how to find it from the name of the suite the runs belong to. */
type PerSuite<T> = T | ((suite: string) => T);

export interface ReportOptions {
  /** The strategy every other is tested against. */
  reference?: PerSuite<string | undefined>;
  /** The claims to give a verdict on (a suite's). */
  claims?: PerSuite<readonly Claim[]>;
  /** The order of datasets, models and strategies in every table and chart (a suite's). */
  order?: PerSuite<SuiteOrder | undefined>;
}

const forSuite = <T>(option: PerSuite<T>, suite: string): T => (typeof option === 'function' ? (option as (suite: string) => T)(suite) : option);

/** The runs of a results directory; readTable treats a missing file as empty, here it means a wrong directory or a suite that never ran. */
export function reportRuns(dir: string): RunRow[] {
  const runsPath = join(dir, 'runs.arrow');
  if (!existsSync(runsPath)) throw new UsageError(`no runs.arrow in ${dir}: run a suite first`);
  return readTable(runsPath, RUNS_SCHEMA);
}

export async function writeReport(dir: string, options: ReportOptions = {}): Promise<Report> {
  const runs = reportRuns(dir);
  // A directory holds one suite; fall back to the directory name for an empty runs.arrow.
  const suite = runs[0]?.suite ?? basename(dir);
  const summary = summarize(runs, { reference: forSuite(options.reference, suite), order: forSuite(options.order, suite), mixedPrecision: isMixedPrecision });
  const claims = evaluateClaims(forSuite(options.claims ?? [], suite), runs, suite);
  const summaryPath = join(dir, 'summary.arrow');
  const readmePath = join(dir, 'README.md');
  writeTable(summaryPath, SUMMARY_SCHEMA, summary);
  // Without claims there is no file: one left from an earlier report would give verdicts nothing declares any more.
  const claimsPath = claims.length > 0 ? join(dir, 'claims.arrow') : null;
  if (claimsPath) writeTable(claimsPath, CLAIMS_SCHEMA, claims);
  else rmSync(join(dir, 'claims.arrow'), { force: true });
  const profiles = [...new Set(runs.map((run) => run.profile))];
  const meta = {
    suite,
    profile: profiles.length > 0 ? profiles.join(', ') : undefined,
    generatedFrom: `runs.arrow (${runs.length} runs)`,
    failures: failedRuns(runs),
  };
  writeFileAtomic(readmePath, renderSummaryMarkdown(summary, meta, claims));
  return { summaryPath, readmePath, summary, claimsPath, claims, ...(await writeVisualReport(dir, runs, summary, claims, meta)) };
}
