/** Compression against accuracy: one point per strategy (mean over seeds, ± one std each way), the Pareto front marked. */
import type { TopLevelSpec } from 'vega-lite';
import type { Panel } from '../data.js';

interface Point {
  strategy: string;
  bits: number;
  bitsLow: number;
  bitsHigh: number;
  metric: number;
  low: number;
  high: number;
  front: string;
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
      return { strategy: row.strategy, bits, bitsLow: bits - bitsStd, bitsHigh: bits + bitsStd, metric, low: metric - std, high: metric + std, front: '' };
    });
  const front = paretoFront(points, panel.higherIsBetter);
  return points.map((p) => ({ ...p, front: front.has(p) ? ON_FRONT : 'dominated' }));
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
  const y = { field: 'metric', type: 'quantitative', title: `test ${panel.metric} ${arrow}`, scale: { zero: false } } as const;
  const color = { field: 'strategy', type: 'nominal', title: 'strategy', sort: values.map((p) => p.strategy) } as const;
  return {
    $schema: 'https://vega.github.io/schema/vega-lite/v6.json',
    title: {
      text: `${panel.dataset}: test ${panel.metric} against average weight bits`,
      subtitle: ['mean ± one std over seeds', 'ringed points, joined by the dashed line: the Pareto front'],
    },
    width: 520,
    height: 300,
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
      { mark: { type: 'text', align: 'left', dx: 11, dy: -8, fontSize: 10 }, encoding: { x, y, text: { field: 'strategy' }, color } },
    ],
  } as TopLevelSpec;
}
