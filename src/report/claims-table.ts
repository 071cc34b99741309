/** The claims table (README.md, tables.md, report.html): each claim with its verdict, per dataset where it covers every one. */
import { VERDICT_RULE } from '../results/claims.js';
import type { ClaimRow } from '../results/types.js';
import { decimalsFor, MISSING, markdownTable, metricLabel, pValue, unique } from './format.js';

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
