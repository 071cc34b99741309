/** The visual report of a results directory: charts/*.svg, report.html and tables.md, each with the claims table. */
import { existsSync, readdirSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import type { TopLevelSpec } from 'vega-lite';
import { readTable, writeFileAtomic } from '../results/arrow-io.js';
import { CURVES_SCHEMA, NEURONS_SCHEMA } from '../results/schema.js';
import type { ClaimRow, RunRow, SummaryRow } from '../results/types.js';
import { bitDistributionChart } from './charts/bit-distribution.js';
import { bitExpansionAverageChart, bitExpansionSharesChart } from './charts/bit-expansion.js';
import { learningCurvesChart } from './charts/learning-curves.js';
import { renderSvg } from './charts/render.js';
import { tradeoffChart } from './charts/tradeoff.js';
import { type Panel, panels } from './data.js';
import { type PageMeta, type RenderedChart, renderReportHtml, type SECTIONS } from './html.js';
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
  meta: PageMeta,
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
