/** Renders summary rows as a suite README (paper-style tables) and as a plain-text console table; the claims table. */
import { HIGHER_IS_BETTER } from '../metrics/task-metrics.js';
import { VERDICT_RULE } from '../results/claims.js';
import { generatedBy, type ReportMeta } from './meta.js';
import type { ClaimRow, SummaryRow } from '../results/types.js';

const MISSING = '–';

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
  return `${[`# ${meta.suite} results`, intro, ...claimsSection(claims), ...together, ...sections].join('\n\n')}\n`;
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
    return `${heading} ${dataset}: all measures\n\n${markdownTable(detailHeader(cells[0].metric_name), cells.map(detailCells))}`;
  };

  return [
    ...(model === null ? [] : [`## Model \`${model}\``]),
    grid('Test metric', (dataset) => metricColumn(rows, dataset), starredMetric),
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

const pValue = (p: number) => (p < 0.001 ? '<0.001' : p.toFixed(3));

/** The claims with their verdicts and the rule that gives them; nothing when the suite declares none. */
export function claimsSection(rows: readonly ClaimRow[]): string[] {
  if (rows.length === 0) return [];
  return [`## Claims\n\n${VERDICT_RULE}\n\n${markdownTable(CLAIMS_HEADER, claimLines(rows), CLAIMS_HEADER.indexOf('verdict') + 1)}`];
}

export const CLAIMS_HEADER = ['claim', 'source', 'as worded', 'checked as', 'on', 'verdict', 'measured [95% CI]', 'seeds'];

/**
 * The claims table's lines: a claim on one dataset in one line; a claim on every dataset in a
 * line with its overall verdict, then a line per dataset with that dataset's.
 */
export function claimLines(rows: readonly ClaimRow[]): string[][] {
  return unique(rows.map((row) => row.claim_id)).flatMap((id) => {
    const checks = rows.filter((row) => row.claim_id === id);
    const [first] = checks;
    const claim = [first.claim_id, first.source, first.wording, checkedAs(first)];
    if (first.claim_dataset !== null) return [[...claim, checkedOn(first), first.verdict, measured(first), String(first.n_seeds)]];
    return [
      [...claim, `every dataset · ${first.model}`, first.claim_verdict, '', ''],
      ...checks.map((check) => ['', '', '', '', checkedOn(check), check.verdict, measured(check), String(check.n_seeds)]),
    ];
  });
}

const MEASURE_NAMES: Readonly<Record<string, string>> = {
  avg_weight_bits: 'average weight bits',
  avg_activation_bits: 'average activation bits',
  wall_clock_ratio: 'wall-clock (search + training)',
};

/** The claim as checked: "a better than b (test metric)", "average weight bits of a in [1, 2.4]", "wall-clock (search + training) of a ÷ b in [0.5, 2]". */
function checkedAs(row: ClaimRow): string {
  if (row.kind === 'comparison') return `${row.strategy} better than ${row.versus} (test metric)`;
  const of = row.versus === null ? row.strategy : `${row.strategy} ÷ ${row.versus}`;
  return `${MEASURE_NAMES[row.measure] ?? row.measure} of ${of} in [${row.lo}, ${row.hi}]`;
}

/** "churn (accuracy ↑) · mlp": where a check ran, with the metric a comparison is in. */
function checkedOn(row: ClaimRow): string {
  if (row.dataset === null) return `no dataset in these results · ${row.model}`;
  return `${row.dataset}${row.kind === 'comparison' ? ` (${metricLabel(row.measure)})` : ''} · ${row.model}`;
}

/** "+0.0123 [−0.0030, +0.0276], p = 0.081": a comparison's advantage is signed, positive being better. */
function measured(row: ClaimRow): string {
  if (row.estimate === null) return MISSING;
  const bounds = row.ci_low === null || row.ci_high === null ? [] : [row.ci_low, row.ci_high];
  const digits = decimalsFor(Math.max(...[row.estimate, ...bounds].map(Math.abs)));
  const format = (x: number) => `${row.kind === 'comparison' && x >= 0 ? '+' : ''}${x.toFixed(digits)}`;
  const value = bounds.length === 0 ? `${format(row.estimate)} (1 seed: no CI)` : `${format(row.estimate)} [${bounds.map(format).join(', ')}]`;
  return row.p_value === null ? value : `${value}, p = ${pValue(row.p_value)}`;
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

/** Columns of the per-dataset detail table (markdown and HTML). */
export function detailHeader(metric: string): string[] {
  return ['strategy', 'n', metricLabel(metric), '95% CI', 'W bits', 'A bits', 'budget', 'size (kB)', 'compression', 'BitOPs', 'train s', 'search s'];
}

export function detailCells(row: SummaryRow): string[] {
  return [
    row.strategy,
    seedsCell(row),
    metricCell(row),
    confidenceInterval(row),
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
  const header = ['dataset', 'model', 'strategy', 'n', 'metric', 'test', 'W bits', 'A bits', 'kB', 'search s', 'train s'];
  const rows = summary.map((row) => [
    row.dataset,
    row.model,
    row.strategy,
    seedsCell(row),
    metricLabel(row.metric_name),
    metricCell(row),
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

export function metricLabel(metric: string): string {
  const higherIsBetter: boolean | undefined = HIGHER_IS_BETTER[metric as keyof typeof HIGHER_IS_BETTER];
  return higherIsBetter === undefined ? metric : `${metric} ${higherIsBetter ? '↑' : '↓'}`;
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

/** The mean to 4 significant digits and the std to as many decimals, so they line up: 0.9120 ± 0.0040, 1235 ± 57. */
export function meanStd(mean: number | null, std: number | null): string {
  if (mean === null) return MISSING;
  const digits = decimalsFor(mean);
  return std === null ? mean.toFixed(digits) : `${mean.toFixed(digits)} ± ${std.toFixed(digits)}`;
}

function decimalsFor(value: number): number {
  if (value === 0) return 4;
  // toFixed throws beyond 100 digits, and more than 20 decimals are unreadable anyway.
  return Math.min(20, Math.max(0, 3 - Math.floor(Math.log10(Math.abs(value)))));
}

/** Bits without noise when every seed agrees (fp32 → "32", uniform 4-bit → "4"), else mean ± std to 2 decimals. */
export function bitsCell(mean: number | null, std: number | null): string {
  if (mean === null) return MISSING;
  if (std === null || std === 0) return String(Number(mean.toFixed(2)));
  return `${mean.toFixed(2)} ± ${std.toFixed(2)}`;
}

function kilobytes(row: SummaryRow): string {
  return fixed(row.model_bytes_mean === null ? null : row.model_bytes_mean / 1000, 1);
}

export function fixed(value: number | null, digits: number): string {
  return value === null ? MISSING : value.toFixed(digits);
}

/** The first `textColumns` columns (names, words) are left-aligned, the others (numbers) right-aligned. */
export function markdownTable(header: string[], rows: string[][], textColumns = 1): string {
  const line = (cells: string[]) => `| ${cells.map((cell) => cell.replaceAll('|', '\\|')).join(' | ')} |`;
  const rule = `| ${header.map((_, i) => (i < textColumns ? '---' : '---:')).join(' | ')} |`;
  return [line(header), rule, ...rows.map(line)].join('\n');
}

function unique(values: readonly string[]): string[] {
  return [...new Set(values)];
}
