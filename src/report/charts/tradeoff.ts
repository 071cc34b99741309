/** Compression against accuracy: one point per strategy (mean over seeds, ± one std each way), the Pareto front marked. */
import type { TopLevelSpec } from 'vega-lite';
import type { Panel } from '../data.js';
import { metricTitle } from '../format.js';
import { panelTitle } from '../data.js';
import { strategyColour } from './scales.js';

interface Point {
  strategy: string;
  bits: number;
  bitsLow: number;
  bitsHigh: number;
  metric: number;
  low: number;
  high: number;
  front: string;
  /** Where the strategy's name is written: at the point, or moved down clear of a neighbour's. */
  labelAt: number;
}

export const ON_FRONT = 'on the Pareto front';

/** Points no other point beats on both axes (fewer or equal bits and an equal or better metric, one of them strictly). */
export function paretoFront<P extends { bits: number; metric: number }>(points: readonly P[], higherIsBetter: boolean): Set<P> {
  const better = (a: number, b: number) => (higherIsBetter ? a > b : a < b);
  return new Set(
    points.filter((p) => !points.some((q) => q !== p && q.bits <= p.bits && !better(p.metric, q.metric) && (q.bits < p.bits || better(q.metric, p.metric)))),
  );
}

export function tradeoffPoints(panel: Panel): Point[] {
  const points = panel.summary
    .filter((row) => row.avg_weight_bits_mean !== null && row.test_metric_mean !== null)
    .map((row) => {
      const bits = row.avg_weight_bits_mean!;
      const metric = row.test_metric_mean!;
      const bitsStd = row.avg_weight_bits_std ?? 0;
      const std = row.test_metric_std ?? 0;
      return {
        strategy: row.strategy,
        bits,
        bitsLow: bits - bitsStd,
        bitsHigh: bits + bitsStd,
        metric,
        low: metric - std,
        high: metric + std,
        front: '',
        labelAt: metric,
      };
    });
  const front = paretoFront(points, panel.higherIsBetter);
  return separateLabels(
    points.map((p) => ({ ...p, front: front.has(p) ? ON_FRONT : 'dominated' })),
    panel.higherIsBetter,
  );
}

/** The plot's height in pixels, and the least a label moves from its neighbour's: one line of 10 px text. */
const HEIGHT = 300;
const LINE_PX = 12;
/** Names within this many doublings of width would overlap (a name is about 60 px, a doubling about 90). */
const NEAR_DOUBLINGS = 0.6;

/**
 * Labels of points at nearly the same width (within NEAR_DOUBLINGS) move apart by one line of
 * text each, away from where the Pareto front runs: down when a higher metric is better (the front
 * rises to the right), up when lower is better. A moved label is joined to its point by a leader
 * line (the chart draws it), so seven strategies at 1 bit stay readable and near their points.
 */
function separateLabels(points: Point[], higherIsBetter: boolean): Point[] {
  const range = Math.max(...points.map((p) => p.high)) - Math.min(...points.map((p) => p.low)) || 1;
  const step = (higherIsBetter ? -1 : 1) * ((range * LINE_PX) / HEIGHT);
  const placed: Point[] = [];
  for (const p of [...points].sort((a, b) => (b.metric - a.metric) * (higherIsBetter ? 1 : -1))) {
    const near = placed.filter((q) => Math.abs(Math.log2(q.bits) - Math.log2(p.bits)) < NEAR_DOUBLINGS).map((q) => q.labelAt + step);
    const labelAt = near.length === 0 ? p.metric : higherIsBetter ? Math.min(p.metric, ...near) : Math.max(p.metric, ...near);
    placed.push({ ...p, labelAt });
  }
  return points.map((p) => placed.find((q) => q.strategy === p.strategy)!);
}

export function tradeoffChart(panel: Panel): TopLevelSpec {
  const values = tradeoffPoints(panel);
  const arrow = panel.higherIsBetter ? '↑' : '↓';
  const bits = Math.max(...values.map((p) => p.bitsHigh), 1);
  const x = {
    field: 'bits',
    type: 'quantitative',
    title: 'average weight bits (log scale)',
    // Log base 2 spreads 1, 2, 4, 8 and 32 bits evenly.
    scale: { type: 'log', base: 2, domain: [Math.min(1, ...values.map((p) => p.bitsLow)) / 1.2, bits * 1.2], nice: false },
    axis: { values: [1, 2, 4, 8, 16, 32].filter((b) => b <= bits * 1.2) },
  } as const;
  const y = { field: 'metric', type: 'quantitative', title: `test ${metricTitle(panel.metric)} ${arrow}`, scale: { zero: false } } as const;
  const color = strategyColour(panel.summary.map((row) => row.strategy));
  return {
    $schema: 'https://vega.github.io/schema/vega-lite/v6.json',
    title: {
      text: `${panelTitle(panel)}: test ${metricTitle(panel.metric)} against average weight bits`,
      subtitle: [
        'mean ± one std over seeds; a name moved clear of its neighbours is joined to its point by a thin line',
        'ringed points, joined by the dashed line: the Pareto front',
      ],
    },
    width: 520,
    height: HEIGHT,
    data: { values },
    layer: [
      {
        transform: [{ filter: `datum.front === '${ON_FRONT}'` }],
        mark: { type: 'line', color: '#888', strokeDash: [4, 3] },
        encoding: { x, y, order: { field: 'bits' } },
      },
      { mark: { type: 'rule', strokeWidth: 1.5 }, encoding: { x, y: { field: 'low', type: 'quantitative' }, y2: { field: 'high' }, color } },
      { mark: { type: 'rule', strokeWidth: 1.5 }, encoding: { x: { field: 'bitsLow', type: 'quantitative' }, x2: { field: 'bitsHigh' }, y, color } },
      {
        transform: [{ filter: `datum.front === '${ON_FRONT}'` }],
        mark: { type: 'point', size: 320, stroke: '#222', strokeWidth: 1.5, filled: false },
        encoding: { x, y },
      },
      { mark: { type: 'point', filled: true, size: 90, opacity: 1 }, encoding: { x, y, color } },
      // Leader lines from a point to its moved name (which starts 12 px to the right).
      {
        transform: [{ filter: 'datum.labelAt !== datum.metric' }],
        mark: { type: 'rule', strokeWidth: 0.75, opacity: 0.7 },
        encoding: { x, y, y2: { field: 'labelAt' }, color },
      },
      {
        transform: [{ filter: 'datum.labelAt !== datum.metric' }],
        mark: { type: 'rule', strokeWidth: 0.75, opacity: 0.7, xOffset: 0, x2Offset: 10 },
        encoding: { x, x2: { field: 'bits' }, y: { ...y, field: 'labelAt' }, color },
      },
      // Names sit on the side away from the front line, which rises to the right when higher is better.
      {
        mark: { type: 'text', align: 'left', baseline: panel.higherIsBetter ? 'top' : 'bottom', dx: 12, dy: panel.higherIsBetter ? 5 : -5, fontSize: 10 },
        encoding: { x, y: { ...y, field: 'labelAt' }, text: { field: 'strategy' }, color },
      },
    ],
  } as TopLevelSpec;
}
