/** tables.md: the summary laid out as the paper's Tables 1-6, then the suite's claims. */
import { bitsCell } from './format.js';
import { claimsSection } from './claims-table.js';
import { metricColumn, secondMetricGrid, starredMetric, strategyGrid } from './markdown.js';
import type { ClaimRow, SummaryRow } from '../results/types.js';
import { FLOAT_BITS } from '../layers/layer.js';
import { generatedBy, type ReportMeta } from './meta.js';

type Quantized = 'weights only' | 'weights + activations';

/**
 * What each strategy quantizes, from its cells that have bits (a cell where every seed failed has none):
 * float activations make it weights-only; the all-float reference belongs to both kinds of table,
 * and so does a strategy known from no cell.
 */
function quantizes(rows: readonly SummaryRow[], strategy: string): Quantized[] {
  const known = rows.filter((row) => row.strategy === strategy && row.avg_activation_bits_mean !== null && row.avg_weight_bits_mean !== null);
  const floatActivations = known.every((row) => row.avg_activation_bits_mean! >= FLOAT_BITS);
  if (floatActivations && known.every((row) => row.avg_weight_bits_mean! >= FLOAT_BITS)) return ['weights only', 'weights + activations'];
  return [floatActivations ? 'weights only' : 'weights + activations'];
}

function metricGrid(rows: SummaryRow[], kind: Quantized): string {
  const kept = rows.filter((row) => quantizes(rows, row.strategy).includes(kind));
  if (kept.length === 0) return 'No strategy of this kind in these results.';
  return [strategyGrid(kept, (dataset) => metricColumn(kept, dataset), starredMetric), ...secondMetricGrid(kept, '####')].join('\n\n');
}

function bitsGrid(rows: SummaryRow[]): string {
  return strategyGrid(
    rows,
    (dataset) => `${dataset} (W / A)`,
    (row) => `${bitsCell(row.avg_weight_bits_mean, row.avg_weight_bits_std)} / ${bitsCell(row.avg_activation_bits_mean, row.avg_activation_bits_std)}`,
  );
}

const wallClockSeconds = (row: SummaryRow) => (row.train_seconds_mean === null ? null : (row.search_seconds_mean ?? 0) + row.train_seconds_mean);

function minutesSeconds(seconds: number): string {
  const whole = Math.round(seconds);
  return `${Math.floor(whole / 60)}:${String(whole % 60).padStart(2, '0')}`;
}

/** Search + training of the mixed-precision strategies, with the ratio to the reference's on the same dataset. */
function wallClockGrid(rows: SummaryRow[]): string {
  const mixed = rows.filter((row) => row.mixed_precision === true);
  if (mixed.length === 0) return 'No mixed-precision strategy in these results.';
  const reference = rows.find((row) => row.reference !== null)?.reference;
  const referenceSeconds = (dataset: string) => {
    const cell = rows.find((row) => row.dataset === dataset && row.strategy === reference);
    return cell === undefined ? null : wallClockSeconds(cell);
  };
  return strategyGrid(
    mixed,
    (dataset) => dataset,
    (row) => {
      const seconds = wallClockSeconds(row);
      if (seconds === null) return '–';
      const base = referenceSeconds(row.dataset);
      return base === null ? minutesSeconds(seconds) : `${minutesSeconds(seconds)} (${(seconds / base).toFixed(2)}×)`;
    },
  );
}

interface PaperTable {
  title: string;
  /** The models it covers, of those in the results (first: the paper's MLP; the others: its transformer). */
  models: (models: string[]) => string[];
  grid: (rows: SummaryRow[]) => string;
}

const FIRST = (models: string[]) => models.slice(0, 1);
const OTHERS = (models: string[]) => models.slice(1);
const EVERY = (models: string[]) => models;
const NO_SECOND_MODEL = "Not run: these results hold one model, and this table is the second model's (the paper's transformer).";

/** In the paper's numbering: Table n is PAPER_TABLES[n - 1], whichever models the results hold. */
const PAPER_TABLES: PaperTable[] = [
  { title: 'weights + activations quantized, first model (test metric)', models: FIRST, grid: (rows) => metricGrid(rows, 'weights + activations') },
  { title: 'average weight / activation bits', models: EVERY, grid: bitsGrid },
  { title: 'weights only, second model (test metric)', models: OTHERS, grid: (rows) => metricGrid(rows, 'weights only') },
  { title: 'weights + activations quantized, second model (test metric)', models: OTHERS, grid: (rows) => metricGrid(rows, 'weights + activations') },
  { title: 'weights only, first model (test metric)', models: FIRST, grid: (rows) => metricGrid(rows, 'weights only') },
  { title: 'wall-clock of the mixed-precision strategies, search + training (min:sec, × the reference)', models: EVERY, grid: wallClockGrid },
];

function renderTable(table: PaperTable, index: number, summary: readonly SummaryRow[], models: string[]): string {
  const covered = table.models(models);
  // Only a second model's table can cover none: the first model is there whenever anything ran.
  const body = covered.length === 0 ? [NO_SECOND_MODEL] : covered.map((model) => `### ${model}\n\n${table.grid(summary.filter((row) => row.model === model))}`);
  return [`## Table ${index + 1}: ${table.title}`, ...body].join('\n\n');
}

export function renderPaperTables(summary: readonly SummaryRow[], meta: ReportMeta, claims: readonly ClaimRow[] = []): string {
  const models = [...new Set(summary.map((row) => row.model))];
  const intro = [
    `${generatedBy(meta)}; do not edit by hand.`,
    "Tables are numbered as the paper's: the first model of the results stands for its MLP (Tables 1 and 5), the second",
    'for its transformer (Tables 3 and 4); Tables 2 and 6 give every model. Cells are mean ± sample standard deviation over',
    'seeds (statistics as in README.md and summary.arrow); ★ marks the best quantized strategy of a dataset and model.',
    'Weights-only tables hold the strategies whose activations stay float; the all-float reference row appears in both kinds.',
    'Table 6 holds the strategies whose registered strategy learns or searches its widths (Strategy.mixedPrecision): the',
    "mean search + training time per run, and its ratio to the reference strategy's on the same dataset (pretraining, shared by",
    'every strategy, is left out).',
  ].join('\n');
  const tables = models.length === 0 ? ['No runs recorded.'] : PAPER_TABLES.map((table, i) => renderTable(table, i, summary, models));
  return `${[`# ${meta.suite}: tables in the paper's layout`, intro, ...tables, ...claimsSection(claims)].join('\n\n')}\n`;
}
