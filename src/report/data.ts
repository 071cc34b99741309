/** What the report shows, per dataset and model: the summary cells and the runs behind them. */
import { HIGHER_IS_BETTER } from '../metrics/task-metrics.js';
import { reportedRuns } from '../results/summary.js';
import type { CurveRow, NeuronRow, RunRow, SummaryRow } from '../results/types.js';

export interface Panel {
  dataset: string;
  model: string;
  /** The headline metric and whether higher is better. */
  metric: string;
  higherIsBetter: boolean;
  /** Summary cells, one per strategy, in summary order. */
  summary: SummaryRow[];
  /** The runs the summary averages: each cell's latest configuration, status ok. */
  runs: RunRow[];
  neurons: NeuronRow[];
  curves: CurveRow[];
}

export function panels(summary: readonly SummaryRow[], runs: readonly RunRow[], neurons: readonly NeuronRow[], curves: readonly CurveRow[]): Panel[] {
  const reported = reportedRuns(runs);
  const keys = [...new Set(summary.map((row) => JSON.stringify([row.dataset, row.model])))];
  return keys.map((key) => {
    const [dataset, model] = JSON.parse(key) as [string, string];
    const cells = summary.filter((row) => row.dataset === dataset && row.model === model);
    const panelRuns = reported.filter((run) => run.dataset === dataset && run.model === model);
    const ids = new Set(panelRuns.map((run) => run.run_id));
    return {
      dataset,
      model,
      metric: cells[0].metric_name,
      higherIsBetter: HIGHER_IS_BETTER[cells[0].metric_name as keyof typeof HIGHER_IS_BETTER] === true,
      summary: cells,
      runs: panelRuns,
      neurons: neurons.filter((row) => ids.has(row.run_id)),
      curves: curves.filter((row) => ids.has(row.run_id)),
    };
  });
}

/** The strategy of each run id of a panel. */
export function strategyOf(panel: Panel): Map<string, string> {
  return new Map(panel.runs.map((run) => [run.run_id, run.strategy]));
}

/** "churn · mlp": what a chart of the panel is about, dataset and model. */
export const panelTitle = (panel: Pick<Panel, 'dataset' | 'model'>): string => `${panel.dataset} · ${panel.model}`;
