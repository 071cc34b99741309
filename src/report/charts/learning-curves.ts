/** Validation metric per epoch, one line per strategy: mean over seeds with a ± one std band. */
import type { TopLevelSpec } from 'vega-lite';
import { type Panel, strategyOf } from '../data.js';
import { strategyColour } from './scales.js';

export function learningCurvesChart(panel: Panel): TopLevelSpec | null {
  const strategy = strategyOf(panel);
  const values = panel.curves.map((c) => ({ strategy: strategy.get(c.run_id), epoch: c.epoch, value: c.val_metric }));
  if (values.length === 0) return null;
  const strategies = panel.summary.map((row) => row.strategy);
  // The legend would take the band's faint fill: solid line symbols instead.
  const color = { ...strategyColour(strategies), legend: { symbolType: 'stroke', symbolOpacity: 1, symbolStrokeWidth: 3 } } as const;
  // Errors (lower is better) fall by orders of magnitude in the first epochs: a log scale keeps the later ones apart.
  const y = {
    type: 'quantitative',
    title: `validation ${panel.metric}${panel.higherIsBetter ? '' : ' (log scale)'}`,
    scale: panel.higherIsBetter ? { zero: false } : { type: 'log', nice: false },
  } as const;
  const x = { field: 'epoch', type: 'quantitative', title: 'epoch', axis: { tickMinStep: 1, format: 'd' } } as const;
  return {
    $schema: 'https://vega.github.io/schema/vega-lite/v6.json',
    title: {
      text: `${panel.dataset}: validation ${panel.metric} per epoch`,
      subtitle: [
        'mean over seeds, band ± one std',
        `after early stopping, over the seeds still training; ${panel.higherIsBetter ? 'higher' : 'lower'} is better`,
      ],
    },
    width: 520,
    height: 280,
    data: { values },
    // The line first: the shared legend takes its symbols from the first layer.
    layer: [
      { mark: { type: 'line', strokeWidth: 2 }, encoding: { x, y: { ...y, aggregate: 'mean', field: 'value' }, color } },
      { mark: { type: 'errorband', extent: 'stdev', opacity: 0.15 }, encoding: { x, y: { ...y, field: 'value' }, color } },
    ],
  } as TopLevelSpec;
}
