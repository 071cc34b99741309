/** Number and table formats every rendering of the results shares (README.md, tables.md, report.html, the console). */
import { HIGHER_IS_BETTER } from '../metrics/task-metrics.js';
import type { SummaryRow } from '../results/types.js';

/** A cell of something not run or not available. */
export const MISSING = '–';

export const pValue = (p: number): string => (p < 0.001 ? '<0.001' : p.toFixed(3));

/** The recorded F1 is the unweighted mean over classes: said so wherever it is shown. */
const METRIC_TITLE: Readonly<Record<string, string>> = { f1: 'macro-F1' };

export const metricTitle = (metric: string): string => METRIC_TITLE[metric] ?? metric;

/** "accuracy ↑", "mse ↓", "macro-F1 ↑": a metric with its better direction. */
export function metricLabel(metric: string): string {
  const higherIsBetter: boolean | undefined = HIGHER_IS_BETTER[metric as keyof typeof HIGHER_IS_BETTER];
  const title = metricTitle(metric);
  return higherIsBetter === undefined ? title : `${title} ${higherIsBetter ? '↑' : '↓'}`;
}

/** The summary fields of the classification metrics. */
export const CLASSIFICATION_FIELDS = {
  accuracy: ['test_accuracy_mean', 'test_accuracy_std'],
  f1: ['test_f1_mean', 'test_f1_std'],
} as const satisfies Record<string, readonly (keyof SummaryRow)[]>;

/**
 * Classification records accuracy and macro-F1, and an imbalanced task needs both: the one that is
 * not the headline, shown beside it; null for regression.
 */
export function secondMetric(row: Pick<SummaryRow, 'task' | 'metric_name'>): keyof typeof CLASSIFICATION_FIELDS | null {
  if (row.task !== 'classification') return null;
  return row.metric_name === 'f1' ? 'accuracy' : 'f1';
}

/** Mean ± std of a cell's second metric (– for regression). */
export function secondMetricCell(row: SummaryRow): string {
  const metric = secondMetric(row);
  if (metric === null) return MISSING;
  const [mean, std] = CLASSIFICATION_FIELDS[metric];
  return meanStd(row[mean], row[std]);
}

/** The mean to 4 significant digits and the std to as many decimals, so they line up: 0.9120 ± 0.0040, 1235 ± 57. */
export function meanStd(mean: number | null, std: number | null): string {
  if (mean === null) return MISSING;
  const digits = decimalsFor(mean);
  return std === null ? mean.toFixed(digits) : `${mean.toFixed(digits)} ± ${std.toFixed(digits)}`;
}

export function decimalsFor(value: number): number {
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

export function fixed(value: number | null, digits: number): string {
  return value === null ? MISSING : value.toFixed(digits);
}

/** The first `textColumns` columns (names, words) are left-aligned, the others (numbers) right-aligned. */
export function markdownTable(header: string[], rows: string[][], textColumns = 1): string {
  const line = (cells: string[]) => `| ${cells.map((cell) => cell.replaceAll('|', '\\|')).join(' | ')} |`;
  const rule = `| ${header.map((_, i) => (i < textColumns ? '---' : '---:')).join(' | ')} |`;
  return [line(header), rule, ...rows.map(line)].join('\n');
}

export function unique(values: readonly string[]): string[] {
  return [...new Set(values)];
}
