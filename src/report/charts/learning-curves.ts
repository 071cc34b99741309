/**
 * Validation metric per epoch: a small panel per strategy (mean over seeds, ± one std band), each
 * with the first strategy of the suite (the float reference) as a grey line to compare against.
 * Eleven lines in one plot were unreadable.
 */
import type { TopLevelSpec } from 'vega-lite';
import { type Panel, panelTitle, strategyOf } from '../data.js';
import { metricTitle } from '../format.js';
import { strategyColour } from './scales.js';

/** Small multiples per row of the chart. */
const COLUMNS = 4;

export function learningCurvesChart(panel: Panel): TopLevelSpec | null {
  const strategy = strategyOf(panel);
  const points = panel.curves.map((c) => ({ strategy: strategy.get(c.run_id)!, epoch: c.epoch, value: c.val_metric }));
  if (points.length === 0) return null;
  const strategies = panel.summary.map((row) => row.strategy);
  const reference = strategies[0];
  // Each panel gets its own strategy's points and the reference's, told apart by `strategy`.
  const values = strategies.flatMap((panelOf) =>
    points.filter((p) => p.strategy === panelOf || (p.strategy === reference && panelOf !== reference)).map((p) => ({ ...p, panel: panelOf })),
  );
  const own = 'datum.strategy === datum.panel';
  // Errors (lower is better) fall by orders of magnitude in the first epochs: a log scale keeps the later ones apart.
  const y = {
    type: 'quantitative',
    title: `validation ${metricTitle(panel.metric)}${panel.higherIsBetter ? '' : ' (log)'}`,
    scale: panel.higherIsBetter ? { zero: false } : { type: 'log', nice: false },
  } as const;
  const x = { field: 'epoch', type: 'quantitative', title: 'epoch', axis: { tickMinStep: 1, format: 'd' } } as const;
  const color = { ...strategyColour(strategies), legend: null } as const;
  return {
    $schema: 'https://vega.github.io/schema/vega-lite/v6.json',
    title: {
      text: `${panelTitle(panel)}: validation ${metricTitle(panel.metric)} per epoch`,
      subtitle: [
        `one panel per strategy: mean over seeds, band ± one std; grey: ${reference}, for comparison`,
        `after early stopping, over the seeds still training; ${panel.higherIsBetter ? 'higher' : 'lower'} is better`,
      ],
    },
    data: { values },
    facet: { field: 'panel', type: 'nominal', title: null, sort: strategies },
    columns: COLUMNS,
    spec: {
      width: 150,
      height: 100,
      layer: [
        {
          transform: [{ filter: `!(${own})` }],
          mark: { type: 'line', strokeWidth: 1.5, color: '#aaaaaa', strokeDash: [4, 2] },
          encoding: { x, y: { ...y, aggregate: 'mean', field: 'value' } },
        },
        { transform: [{ filter: own }], mark: { type: 'errorband', extent: 'stdev', opacity: 0.2 }, encoding: { x, y: { ...y, field: 'value' }, color } },
        { transform: [{ filter: own }], mark: { type: 'line', strokeWidth: 2 }, encoding: { x, y: { ...y, aggregate: 'mean', field: 'value' }, color } },
      ],
    },
  } as TopLevelSpec;
}
