/** report.html: one self-contained page (inline SVG and CSS, no script, no network) per results directory. */
import { VERDICT_RULE } from '../results/claims.js';
import { CLAIMS_HEADER, claimLines } from './claims-table.js';
import { FAILURES_HEADER, FAILURES_HEADING, type FailedRun, failureLines } from './failures-table.js';
import { CLASSIFICATION_FIELDS, secondMetric } from './format.js';
import { detailCells, detailHeader } from './markdown.js';
import type { ClaimRow, SummaryRow } from '../results/types.js';
import type { Panel } from './data.js';
import { generatedBy, type ReportMeta } from './meta.js';

export interface RenderedChart {
  /** The page section it belongs to. */
  section: string;
  /** Path of its .svg file, relative to the page. */
  file: string;
  /** null when there was nothing to draw; `empty` then says why. */
  svg: string | null;
  empty: string;
}

/** The summary fields behind each column of the detail table, carried as data-* attributes so the page can be checked against summary.arrow. */
const DETAIL_FIELDS: (keyof SummaryRow)[][] = [
  [],
  ['n_seeds', 'n_failed'],
  ['test_metric_mean', 'test_metric_std'],
  ['test_metric_ci95'],
  ['avg_weight_bits_mean', 'avg_weight_bits_std'],
  ['avg_activation_bits_mean', 'avg_activation_bits_std'],
  ['budget_bits_mean'],
  ['model_bytes_mean'],
  ['compression_ratio_mean'],
  ['bitops_mean'],
  ['train_seconds_mean'],
  ['search_seconds_mean'],
];

export const SECTIONS = ['Comparison', 'Compression against accuracy', 'Bit-widths per layer', 'Bit expansion during training', 'Learning curves'] as const;

const escapeHtml = (text: string) => text.replaceAll('&', '&amp;').replaceAll('<', '&lt;').replaceAll('>', '&gt;').replaceAll('"', '&quot;');
const anchor = (panel: Panel) => `${panel.dataset}-${panel.model}`.replace(/[^A-Za-z0-9_-]/g, '_');

function comparisonTable(rows: SummaryRow[]): string {
  const header = detailHeader(rows[0]);
  const second = secondMetric(rows[0]);
  const fields = second === null ? DETAIL_FIELDS : [...DETAIL_FIELDS.slice(0, 4), [...CLASSIFICATION_FIELDS[second]], ...DETAIL_FIELDS.slice(4)];
  const body = rows.map((row) => {
    const cells = detailCells(row).map((text, c) => {
      const data = fields[c].map((field) => ` data-${field}="${row[field] ?? ''}"`).join('');
      return `<td${data}>${escapeHtml(text)}</td>`;
    });
    return `<tr data-strategy="${escapeHtml(row.strategy)}">${cells.join('')}</tr>`;
  });
  return `<table class="comparison"><thead><tr>${header.map((h) => `<th>${escapeHtml(h)}</th>`).join('')}</tr></thead><tbody>\n${body.join('\n')}\n</tbody></table>`;
}

/** The claims table of README.md and tables.md, with the rule that gives the verdicts. */
function claimsSection(rows: readonly ClaimRow[]): string {
  if (rows.length === 0) return '';
  const rule = escapeHtml(VERDICT_RULE).replace(/\*\*(.*?)\*\*/g, '<strong>$1</strong>');
  const body = claimLines(rows).map((cells) => `<tr>${cells.map((text) => `<td>${escapeHtml(text)}</td>`).join('')}</tr>`);
  const table = `<table class="claims"><thead><tr>${CLAIMS_HEADER.map((h) => `<th>${escapeHtml(h)}</th>`).join('')}</tr></thead><tbody>\n${body.join('\n')}\n</tbody></table>`;
  return `<section id="claims">\n<h2>Claims</h2>\n<p class="note">${rule}</p>\n${table}\n</section>`;
}

/** The runs that did not finish ok, with their reasons; nothing when all did. */
function failuresSection(runs: readonly FailedRun[]): string {
  if (runs.length === 0) return '';
  const cells = (tag: string, line: string[]) => line.map((cell) => `<${tag}>${escapeHtml(cell)}</${tag}>`).join('');
  const body = failureLines(runs).map((line) => `<tr>${cells('td', line)}</tr>`);
  return `<section id="failures">\n<h2>${FAILURES_HEADING}</h2>\n<table class="claims"><thead><tr>${cells('th', FAILURES_HEADER)}</tr></thead><tbody>\n${body.join('\n')}\n</tbody></table>\n</section>`;
}

function chartFigure(chart: RenderedChart): string {
  if (chart.svg === null) return `<p class="empty">${escapeHtml(chart.empty)}</p>`;
  return `<figure>${chart.svg}<figcaption><a href="${escapeHtml(chart.file)}">${escapeHtml(chart.file)}</a></figcaption></figure>`;
}

const STYLE = `
body { font-family: Helvetica, Arial, sans-serif; margin: 2em auto; max-width: 1200px; padding: 0 1em; color: #222; }
h1 { font-size: 1.6em; } h2 { margin-top: 2.5em; border-bottom: 1px solid #ccc; } h3 { margin-top: 1.6em; }
table.comparison { border-collapse: collapse; font-size: 0.9em; }
table.comparison th, table.comparison td { padding: 0.25em 0.7em; border-bottom: 1px solid #e3e3e3; text-align: right; white-space: nowrap; }
table.comparison th:first-child, table.comparison td:first-child { text-align: left; }
table.claims { border-collapse: collapse; font-size: 0.9em; }
table.claims th, table.claims td { padding: 0.25em 0.7em; border-bottom: 1px solid #e3e3e3; text-align: left; vertical-align: top; }
figure { margin: 1em 0; overflow-x: auto; } figure svg { max-width: 100%; height: auto; }
figcaption { font-size: 0.8em; color: #666; } p.note, p.empty { color: #555; font-size: 0.9em; }
nav li { margin: 0.2em 0; }`;

export function renderReportHtml(meta: ReportMeta, sections: { panel: Panel; charts: RenderedChart[] }[], claims: readonly ClaimRow[] = []): string {
  const title = `${meta.suite} results`;
  const claimsLink = claims.length === 0 ? '' : '<li><a href="#claims">Claims</a></li>';
  const nav =
    claimsLink + sections.map(({ panel }) => `<li><a href="#${anchor(panel)}">${escapeHtml(panel.dataset)} · ${escapeHtml(panel.model)}</a></li>`).join('');
  const body = sections.map(({ panel, charts }) => {
    const parts = SECTIONS.map((name) => {
      const content =
        name === 'Comparison'
          ? comparisonTable(panel.summary)
          : charts
              .filter((c) => c.section === name)
              .map(chartFigure)
              .join('\n');
      return `<h3>${name}</h3>\n${content}`;
    });
    return `<section id="${anchor(panel)}">\n<h2>${escapeHtml(panel.dataset)} · ${escapeHtml(panel.model)}</h2>\n${parts.join('\n')}\n</section>`;
  });
  return `<!DOCTYPE html>
<html lang="en"><head><meta charset="utf-8"><title>${escapeHtml(title)}</title><style>${STYLE}</style></head>
<body>
<h1>${escapeHtml(title)}</h1>
<p class="note">${generatedBy(meta, (code) => `<code>${escapeHtml(code)}</code>`, escapeHtml)}.
Cells are mean ± sample standard deviation over seeds; only runs with status ok count, and each cell uses the configuration of its latest run (as summary.arrow).
The 95% CI is mean ± t(0.975, n−1)·std/√n. Every chart is also a file in <code>charts/</code>; <code>tables.md</code> has the paper-style tables.</p>
${sections.length === 0 ? '<p>No runs recorded.</p>' : `<nav><ul>${nav}</ul></nav>`}
${claimsSection(claims)}
${body.join('\n')}
${failuresSection(meta.failures ?? [])}
</body></html>
`;
}
