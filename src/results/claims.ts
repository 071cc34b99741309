/** Claims a suite declares (e.g. the paper's), each given a verdict on the runs: the rows of claims.arrow. */
import { HIGHER_IS_BETTER, type MetricName } from '../metrics/task-metrics.js';
import { describe, pairedTTest } from './stats.js';
import { reportedRuns } from './summary.js';
import type { ClaimRow, RunRow } from './types.js';

interface ClaimBase {
  /** Short name, unique in the suite. */
  id: string;
  /** Where the claim comes from, e.g. "paper abstract" or "secondary summary of the paper's Table 1". */
  source: string;
  /** The claim as its source words it. */
  wording: string;
  /** Model label in the suite. */
  model: string;
  /** Dataset the claim is about; omitted: every dataset of the results, each checked on its own. */
  dataset?: string;
}

/** Strategy `better` has a better test metric than `worse` (the headline metric's direction). */
export interface ComparisonClaim extends ClaimBase {
  kind: 'comparison';
  better: string;
  worse: string;
}

/** A measure of `strategy` lies within [lo, hi]. */
export type RangeClaim = ClaimBase & {
  kind: 'range';
  strategy: string;
  lo: number;
  hi: number;
} & (
    | { measure: 'avg_weight_bits' | 'avg_activation_bits' }
    /** Wall-clock (search + training) of `strategy` divided by that of `relativeTo`, per seed. */
    | { measure: 'wall_clock_ratio'; relativeTo: string }
  );

export type Claim = ComparisonClaim | RangeClaim;

/** The strategy labels a claim names. */
export function strategiesOf(claim: Claim): string[] {
  if (claim.kind === 'comparison') return [claim.better, claim.worse];
  return claim.measure === 'wall_clock_ratio' ? [claim.strategy, claim.relativeTo] : [claim.strategy];
}

export type Verdict = 'supported' | 'contradicted' | 'inconclusive' | 'not run';

/** The rule `verdict` and `claimVerdict` implement, as the report states it. */
export const VERDICT_RULE = [
  "Each claim is checked on the runs summary.arrow uses (each cell's latest configuration, status ok). The measured",
  'effect is a mean over seeds with its 95% confidence interval (mean ± t(0.975, n−1)·std/√n): for a comparison, the',
  "per-seed advantage of the first strategy over the second in the test metric (positive: better, by the metric's",
  'direction), paired over the seeds both finished, with the two-sided paired t-test p-value; for a range, the mean of',
  'the measure over seeds (a wall-clock ratio, search + training, is taken per seed, paired). A check is **supported**',
  'when the whole CI lies in the claimed direction (above 0) or range, **contradicted** when the whole CI lies outside it',
  '(at or below 0, or wholly below or above the range), **inconclusive** when the CI straddles a bound or a single seed',
  'gives no CI, and **not run** when no seed has every run the check needs finished ok. For a comparison whose advantages',
  'vary, supported is the same as p < 0.05 with a positive advantage. A claim on every dataset is checked on each dataset',
  'of the results: contradicted if one contradicts it, supported if all support it, not run if none ran it, inconclusive',
  'otherwise.',
].join('\n');

/** The values a claim allows its estimate: every advantage above 0 (0 itself is no advantage), or [lo, hi]. */
interface Claimed {
  lo: number;
  hi: number;
  loIncluded: boolean;
}

function claimed(claim: Claim): Claimed {
  return claim.kind === 'comparison' ? { lo: 0, hi: Infinity, loIncluded: false } : { lo: claim.lo, hi: claim.hi, loIncluded: true };
}

function verdict(n: number, ci: readonly [number, number] | null, allowed: Claimed): Verdict {
  if (n === 0) return 'not run';
  if (ci === null) return 'inconclusive';
  const below = (x: number) => (allowed.loIncluded ? x < allowed.lo : x <= allowed.lo);
  const above = (x: number) => x > allowed.hi;
  const [low, high] = ci;
  if (!below(low) && !above(high)) return 'supported';
  if (below(high) || above(low)) return 'contradicted';
  return 'inconclusive';
}

function claimVerdict(verdicts: readonly Verdict[]): Verdict {
  if (verdicts.includes('contradicted')) return 'contradicted';
  if (verdicts.every((v) => v === 'supported')) return 'supported';
  if (verdicts.every((v) => v === 'not run')) return 'not run';
  return 'inconclusive';
}

type PerSeed = Map<number, number>;

function perSeed(runs: readonly RunRow[], strategy: string, pick: (run: RunRow) => number | null): PerSeed {
  return new Map(
    runs
      .filter((run) => run.strategy === strategy)
      .map((run) => [run.seed, pick(run)] as const)
      .filter((entry): entry is [number, number] => entry[1] !== null && !Number.isNaN(entry[1])),
  );
}

function paired(a: PerSeed, b: PerSeed, combine: (x: number, y: number) => number): number[] {
  return [...a].filter(([seed]) => b.has(seed)).map(([seed, x]) => combine(x, b.get(seed)!));
}

const wallClock = (run: RunRow) => run.search_seconds + run.train_seconds;

/** The per-seed values a claim's estimate is the mean of, from the reported runs of one dataset and model. */
function samples(claim: Claim, runs: readonly RunRow[]): number[] {
  if (claim.kind === 'comparison') {
    const sign = runs.length > 0 && !HIGHER_IS_BETTER[runs[0].metric_name as MetricName] ? -1 : 1;
    const metric = (run: RunRow) => run.test_metric;
    return paired(perSeed(runs, claim.better, metric), perSeed(runs, claim.worse, metric), (a, b) => sign * (a - b));
  }
  if (claim.measure === 'wall_clock_ratio')
    return paired(perSeed(runs, claim.strategy, wallClock), perSeed(runs, claim.relativeTo, wallClock), (a, b) => a / b);
  const measure = claim.measure;
  return [...perSeed(runs, claim.strategy, (run) => run[measure]).values()];
}

type Check = Omit<ClaimRow, 'verdict' | 'claim_verdict'> & { verdict: Verdict };

function check(claim: Claim, dataset: string | null, runs: readonly RunRow[], allRuns: readonly RunRow[], suite: string): Check {
  const values = samples(claim, runs);
  const { n, mean, ci95 } = describe(values);
  const ci = mean === null || ci95 === null ? null : ([mean - ci95, mean + ci95] as const);
  const comparison = claim.kind === 'comparison';
  return {
    suite,
    claim_id: claim.id,
    kind: claim.kind,
    source: claim.source,
    wording: claim.wording,
    model: claim.model,
    claim_dataset: claim.dataset ?? null,
    dataset,
    strategy: strategiesOf(claim)[0],
    versus: strategiesOf(claim)[1] ?? null,
    measure: comparison ? (allRuns.find((run) => run.dataset === dataset)?.metric_name ?? 'test_metric') : claim.measure,
    lo: comparison ? null : claim.lo,
    hi: comparison ? null : claim.hi,
    n_seeds: n,
    estimate: mean,
    ci_low: ci?.[0] ?? null,
    ci_high: ci?.[1] ?? null,
    p_value: comparison ? pairedTTest(values).p : null,
    verdict: verdict(n, ci, claimed(claim)),
  };
}

/** One row per claim and dataset checked, in the order the claims are declared. */
export function evaluateClaims(claims: readonly Claim[], runs: readonly RunRow[], suite: string): ClaimRow[] {
  const reported = reportedRuns(runs);
  const datasets = [...new Set(runs.map((run) => run.dataset))];
  return claims.flatMap((claim) => {
    const scope = claim.dataset !== undefined ? [claim.dataset] : datasets.length > 0 ? datasets : [null];
    const checks = scope.map((dataset) =>
      check(
        claim,
        dataset,
        reported.filter((run) => run.dataset === dataset && run.model === claim.model),
        runs,
        suite,
      ),
    );
    const overall = claimVerdict(checks.map((c) => c.verdict));
    return checks.map((c) => ({ ...c, claim_verdict: overall }));
  });
}
