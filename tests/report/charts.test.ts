import { describe, expect, it } from 'vitest';
import { bitDistributionChart, layerShares } from '../../src/report/charts/bit-distribution.js';
import { learningCurvesChart } from '../../src/report/charts/learning-curves.js';
import { STRATEGY_PALETTE, strategyColour, widthClass, widthLabel } from '../../src/report/charts/scales.js';
import { tradeoffChart, tradeoffPoints } from '../../src/report/charts/tradeoff.js';
import { panels } from '../../src/report/data.js';
import { summarize } from '../../src/results/summary.js';
import type { RunRow } from '../../src/results/types.js';
import { curveRows, runRow } from '../results/rows.js';

/** One dataset and model with `n` strategies, the first at 32 bits and the others crowded around 1 bit, 2 seeds each. */
function crowdedPanel(n: number) {
  const strategies = Array.from({ length: n }, (_, i) => (i === 0 ? 'fp32' : `s${i}`));
  const runs: RunRow[] = strategies.flatMap((strategy, i) =>
    [1, 2].map((seed) =>
      runRow({ run_id: `${strategy}/${seed}`, seed, strategy, test_metric: 0.8 + i * 0.001 + seed * 0.002, avg_weight_bits: i === 0 ? 32 : 1 + i * 0.01 }),
    ),
  );
  const curves = runs.flatMap((run) => curveRows(run.run_id, 3));
  const neurons = runs.flatMap((run, i) =>
    [1, 2.31, 2.37, 2.9, 3.06, 4].map((weight_bits, neuron) => ({ run_id: run.run_id, layer: 'fc1', neuron: neuron + i, weight_bits, activation_bits: null })),
  );
  return { strategies, panel: panels(summarize(runs), runs, neurons, curves)[0] };
}

describe('charts at eleven strategies', () => {
  it('give eleven strategies eleven distinct colours, in the order given', () => {
    const strategies = Array.from({ length: 11 }, (_, i) => `s${i}`);
    const colour = strategyColour(strategies);
    expect(colour.scale.domain).toEqual(strategies);
    expect(new Set(colour.scale.range).size).toBe(11);
    expect(STRATEGY_PALETTE.length).toBeGreaterThanOrEqual(11);
  });

  it('name the dataset and the model in every title', () => {
    const { panel } = crowdedPanel(4);
    for (const spec of [tradeoffChart(panel), learningCurvesChart(panel), bitDistributionChart(panel, 'weight')])
      expect((spec as { title: { text: string } }).title.text.startsWith('churn · mlp: ')).toBe(true);
  });

  it('keep the names of points crowded at one width one text line apart, starting at the points', () => {
    const { panel } = crowdedPanel(11);
    const crowded = tradeoffPoints(panel)
      .filter((p) => p.bits < 2)
      .sort((a, b) => b.labelAt - a.labelAt);
    const range = Math.max(...tradeoffPoints(panel).map((p) => p.high)) - Math.min(...tradeoffPoints(panel).map((p) => p.low));
    const gaps = crowded.slice(1).map((p, i) => crowded[i].labelAt - p.labelAt);
    for (const gap of gaps) expect(gap).toBeGreaterThanOrEqual((range * 12) / 300 - 1e-12);
    // The highest name is at its point, and the stack is no taller than one line per name.
    expect(crowded[0].labelAt).toBe(crowded[0].metric);
    expect(crowded[0].labelAt - crowded[crowded.length - 1].labelAt).toBeLessThanOrEqual(
      (range * 12 * 10) / 300 + (crowded[0].metric - crowded.at(-1)!.metric),
    );
  });

  it('draw learning curves as one small panel per strategy, in suite order, each with the first strategy for comparison', () => {
    const { strategies, panel } = crowdedPanel(11);
    const spec = learningCurvesChart(panel) as unknown as { facet: { sort: string[] }; data: { values: { panel: string; strategy: string }[] } };
    expect(spec.facet.sort).toEqual(strategies);
    const inPanel = (name: string) => new Set(spec.data.values.filter((v) => v.panel === name).map((v) => v.strategy));
    expect(inPanel('s5')).toEqual(new Set(['s5', 'fp32']));
    expect(inPanel('fp32')).toEqual(new Set(['fp32']));
  });

  it('group fractional widths by the powers of two they lie between, so the legend stays short', () => {
    expect([1, 2, 4, 8, 32].map(widthClass)).toEqual([1, 2, 4, 8, 32]);
    expect(widthLabel(widthClass(2.31))).toBe('2–4 (fractional)');
    expect(widthClass(2.31)).toBe(widthClass(3.06));
    expect(widthLabel(widthClass(5.5))).toBe('4–8 (fractional)');
    expect(widthLabel(32)).toBe('32 (float)');
    const { panel } = crowdedPanel(3);
    const widths = new Set(layerShares(panel, 'weight').map((s) => s.width));
    expect(widths).toEqual(new Set(['1', '2–4 (fractional)', '4']));
  });

  it('wrap the per-layer panels of many strategies into rows no wider than about 1200 px', () => {
    const { panel } = crowdedPanel(11);
    const layers = Array.from({ length: 14 }, (_, i) => `b${i}`);
    const neurons = panel.runs.flatMap((run) => layers.map((layer, neuron) => ({ run_id: run.run_id, layer, neuron, weight_bits: 2, activation_bits: null })));
    const spec = bitDistributionChart({ ...panel, neurons }, 'weight') as unknown as { columns: number; spec: { width: number } };
    expect(spec.columns).toBeGreaterThanOrEqual(1);
    expect(spec.columns * spec.spec.width).toBeLessThanOrEqual(1200);
    expect(spec.columns).toBeLessThan(10);
  });
});
