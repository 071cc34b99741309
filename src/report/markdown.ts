/** Renders summary rows as a suite README (paper-style tables) and as a plain-text console table; the claims table. */
import { claimsSection } from './claims-table.js';
import { failuresSection } from './failures-table.js';
import {
  bitsCell,
  decimalsFor,
  fixed,
  MISSING,
  markdownTable,
  meanStd,
  metricLabel,
  metricTitle,
  pValue,
  secondMetric,
  secondMetricCell,
  unique,
} from './format.js';
import { generatedBy, type ReportMeta } from './meta.js';
import type { ClaimRow, SummaryRow } from '../results/types.js';

export function renderSummaryMarkdown(summary: readonly SummaryRow[], meta: ReportMeta, claims: readonly ClaimRow[] = []): string {
  const intro = [
    `${generatedBy(meta)}; do not edit by hand.`,
    'Cells are mean ± sample standard deviation over seeds. Only runs with status ok enter the statistics;',
    'others are counted as "(k failed)", and "(n=k)" marks cells with fewer seeds than the rest of their table.',
    'The 95% CI is the mean ± t(0.975, n−1)·std/√n. ↑ higher is better, ↓ lower is better; – not run or not available.',
    '★ marks the best mean test metric among the quantized strategies of a dataset.',
  ].join('\n');
  const models = unique(summary.map((row) => row.model));
  const sections =
    summary.length === 0
      ? ['No runs recorded.']
      : models.map((model) =>
          renderModel(
            summary.filter((row) => row.model === model),
            models.length > 1 ? model : null,
          ),
        );
  const together = models.length > 1 ? [sideBySide(summary, models)] : [];
  return `${[`# ${meta.suite} results`, intro, ...claimsSection(claims), ...together, ...sections, ...failuresSection(meta.failures ?? [])].join('\n\n')}\n`;
}

/** Mean ± std of the test metric, ★ for the best quantized strategy of its dataset and model. */
export const starredMetric = (row: SummaryRow) => `${meanStd(row.test_metric_mean, row.test_metric_std)}${row.best_quantized ? ' ★' : ''}`;

/** The test metric of every model next to each other, per dataset (the paper's MLP and TabFormer tables in one). */
function sideBySide(summary: readonly SummaryRow[], models: string[]): string {
  const datasets = unique(summary.map((row) => row.dataset));
  const columns = datasets.flatMap((dataset) => models.map((model) => ({ dataset, model })));
  const strategies = unique(summary.map((row) => row.strategy));
  const maxSeeds = Math.max(...summary.map((row) => row.n_seeds));
  return [
    '## Test metric, models side by side',
    '★ is the best quantized strategy of each dataset and model; the sections below give every measure per model.',
    markdownTable(
      ['strategy', ...columns.map(({ dataset, model }) => `${metricColumn(summary, dataset)} ${model}`)],
      strategies.map((strategy) => [
        strategy,
        ...columns.map(({ dataset, model }) =>
          gridCell(
            summary.find((r) => r.dataset === dataset && r.model === model && r.strategy === strategy),
            starredMetric,
            maxSeeds,
          ),
        ),
      ]),
    ),
  ].join('\n\n');
}

/** The grids (strategies × datasets) and per-dataset detail tables of one model. */
function renderModel(rows: SummaryRow[], model: string | null): string {
  const heading = model === null ? '##' : '###';
  const datasets = unique(rows.map((row) => row.dataset));
  const grid = (title: string, columnHeader: (dataset: string) => string, value: (row: SummaryRow) => string) =>
    `${heading} ${title}\n\n${strategyGrid(rows, columnHeader, value)}`;
  const details = (dataset: string) => {
    const cells = rows.filter((row) => row.dataset === dataset);
    return `${heading} ${dataset}: all measures\n\n${markdownTable(detailHeader(cells[0]), cells.map(detailCells))}`;
  };

  return [
    ...(model === null ? [] : [`## Model \`${model}\``]),
    grid('Test metric', (dataset) => metricColumn(rows, dataset), starredMetric),
    ...secondMetricGrid(rows, heading),
    grid(
      'Average weight bits',
      (dataset) => dataset,
      (row) => bitsCell(row.avg_weight_bits_mean, row.avg_weight_bits_std),
    ),
    grid(
      'Average activation bits',
      (dataset) => dataset,
      (row) => bitsCell(row.avg_activation_bits_mean, row.avg_activation_bits_std),
    ),
    rows.some((row) => row.pretrain_seconds_mean !== null)
      ? grid(
          'Pretraining + search + training seconds (pretraining once per dataset and seed, shared by every strategy)',
          (dataset) => dataset,
          (row) => `${fixed(row.pretrain_seconds_mean, 1)} + ${fixed(row.search_seconds_mean, 1)} + ${fixed(row.train_seconds_mean, 1)}`,
        )
      : grid(
          'Search + training seconds',
          (dataset) => dataset,
          (row) => `${fixed(row.search_seconds_mean, 1)} + ${fixed(row.train_seconds_mean, 1)}`,
        ),
    ...significance(rows, heading),
    ...datasets.map(details),
  ].join('\n\n');
}

/** The paired comparison with the reference strategy, when the summary has one. */
function significance(rows: SummaryRow[], heading: string): string[] {
  const reference = rows.find((row) => row.reference !== null)?.reference;
  if (!reference) return [];
  const explanation = [
    `Difference of \`${reference}\` minus each strategy in the test metric (positive: the reference's metric is higher, which is`,
    'better for ↑ metrics and worse for ↓ ones), averaged over the seeds where both finished, with the',
    "two-sided p-value of Student's paired t-test (df = pairs − 1). With 3 seeds only large, consistent differences reach",
    'p < 0.05; "too few seeds" means fewer than 2 pairs, "no spread" that every pair differed by the same amount.',
  ].join('\n');
  return [`${heading} Paired comparison with ${reference}\n\n${explanation}\n\n${strategyGrid(rows, (dataset) => dataset, pairedCell)}`];
}

function pairedCell(row: SummaryRow): string {
  if (row.reference === null) return MISSING;
  if (row.paired_seeds === null || row.paired_seeds < 2 || row.reference_diff_mean === null) return 'too few seeds';
  // The metric's own precision: a difference of 4e-17 (float rounding of equal accuracies) shows as 0.0000.
  const digits = decimalsFor(row.test_metric_mean ?? row.reference_diff_mean);
  const diff = `Δ ${row.reference_diff_mean >= 0 ? '+' : ''}${row.reference_diff_mean.toFixed(digits)}`;
  if (row.reference_p_value === null) return `${diff}, no spread`;
  return `${diff}, p = ${pValue(row.reference_p_value)}`;
}

/** "vod (mse ↓)": a dataset column headed with its metric. */
export function metricColumn(rows: readonly SummaryRow[], dataset: string): string {
  return `${dataset} (${metricLabel(rows.find((row) => row.dataset === dataset)!.metric_name)})`;
}

/** A strategies × datasets markdown table of one value, with the caveats of each cell. */
export function strategyGrid(rows: readonly SummaryRow[], columnHeader: (dataset: string) => string, value: (row: SummaryRow) => string): string {
  const datasets = unique(rows.map((row) => row.dataset));
  const strategies = unique(rows.map((row) => row.strategy));
  const maxSeeds = Math.max(...rows.map((row) => row.n_seeds));
  const find = (dataset: string, strategy: string) => rows.find((row) => row.dataset === dataset && row.strategy === strategy);
  return markdownTable(
    ['strategy', ...datasets.map(columnHeader)],
    strategies.map((strategy) => [strategy, ...datasets.map((dataset) => gridCell(find(dataset, strategy), value, maxSeeds))]),
  );
}

/**
 * The test metric the headline is not, for the classification datasets (macro-F1 under an accuracy
 * headline, and the other way round): a grid of its own, since with imbalanced classes one hides
 * what the other shows. None when no dataset is a classification task.
 */
export function secondMetricGrid(rows: readonly SummaryRow[], heading: string): string[] {
  const classification = rows.filter((row) => secondMetric(row) !== null);
  if (classification.length === 0) return [];
  return [
    `${heading} Test ${metricTitle(secondMetric(classification[0])!)} (classification datasets)\n\n${strategyGrid(
      classification,
      (dataset) => `${dataset} (${metricLabel(secondMetric(classification.find((row) => row.dataset === dataset)!)!)})`,
      secondMetricCell,
    )}`,
  ];
}

/** Columns of the per-dataset detail table (markdown and HTML); a classification dataset's second metric after the CI. */
export function detailHeader(row: Pick<SummaryRow, 'task' | 'metric_name'>): string[] {
  const second = secondMetric(row);
  return [
    'strategy',
    'n',
    metricLabel(row.metric_name),
    '95% CI',
    ...(second === null ? [] : [metricLabel(second)]),
    'W bits',
    'A bits',
    'budget',
    'size (kB)',
    'compression',
    'BitOPs',
    'train s',
    'search s',
  ];
}

export function detailCells(row: SummaryRow): string[] {
  return [
    row.strategy,
    seedsCell(row),
    metricCell(row),
    confidenceInterval(row),
    ...(secondMetric(row) === null ? [] : [secondMetricCell(row)]),
    bitsCell(row.avg_weight_bits_mean, row.avg_weight_bits_std),
    bitsCell(row.avg_activation_bits_mean, row.avg_activation_bits_std),
    row.budget_bits_mean === null ? MISSING : row.budget_bits_mean.toFixed(2),
    kilobytes(row),
    row.compression_ratio_mean === null ? MISSING : `${row.compression_ratio_mean.toFixed(1)}×`,
    // 1.2e6 rather than JavaScript's 1.2e+6.
    row.bitops_mean === null ? MISSING : row.bitops_mean.toExponential(1).replace('+', ''),
    fixed(row.train_seconds_mean, 1),
    fixed(row.search_seconds_mean, 1),
  ];
}

/** A fixed-width text table, one line per summary row, for the end of a suite run. */
export function renderSummaryConsole(summary: readonly SummaryRow[]): string {
  const header = ['dataset', 'model', 'strategy', 'n', 'metric', 'test', 'also', 'W bits', 'A bits', 'kB', 'search s', 'train s'];
  const rows = summary.map((row) => [
    row.dataset,
    row.model,
    row.strategy,
    seedsCell(row),
    metricLabel(row.metric_name),
    metricCell(row),
    secondMetric(row) === null ? MISSING : `${metricTitle(secondMetric(row)!)} ${secondMetricCell(row)}`,
    bitsCell(row.avg_weight_bits_mean, row.avg_weight_bits_std),
    bitsCell(row.avg_activation_bits_mean, row.avg_activation_bits_std),
    kilobytes(row),
    fixed(row.search_seconds_mean, 1),
    fixed(row.train_seconds_mean, 1),
  ]);
  const widths = header.map((title, i) => Math.max(title.length, ...rows.map((cells) => cells[i].length)));
  return [header, ...rows]
    .map((cells) =>
      cells
        .map((cell, i) => cell.padEnd(widths[i]))
        .join('  ')
        .trimEnd(),
    )
    .join('\n');
}

/** A grid cell: the value with its caveats, "failed" when no seed succeeded, – when never run. */
function gridCell(row: SummaryRow | undefined, value: (row: SummaryRow) => string, maxSeeds: number): string {
  if (row === undefined) return MISSING;
  if (row.n_seeds === 0) return 'failed';
  const notes = [...(row.n_seeds < maxSeeds ? [`n=${row.n_seeds}`] : []), ...(row.n_failed > 0 ? [`${row.n_failed} failed`] : [])];
  return notes.length === 0 ? value(row) : `${value(row)} (${notes.join(', ')})`;
}

function seedsCell(row: SummaryRow): string {
  return row.n_failed === 0 ? String(row.n_seeds) : `${row.n_seeds} (${row.n_failed} failed)`;
}

function metricCell(row: SummaryRow): string {
  if (row.n_seeds === 0) return 'failed';
  return meanStd(row.test_metric_mean, row.test_metric_std);
}

function confidenceInterval(row: SummaryRow): string {
  const { test_metric_mean: mean, test_metric_ci95: halfWidth } = row;
  if (mean === null || halfWidth === null) return MISSING;
  const digits = decimalsFor(mean);
  return `[${(mean - halfWidth).toFixed(digits)}, ${(mean + halfWidth).toFixed(digits)}]`;
}

function kilobytes(row: SummaryRow): string {
  return fixed(row.model_bytes_mean === null ? null : row.model_bytes_mean / 1000, 1);
}
