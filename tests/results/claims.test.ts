import { describe, expect, it } from 'vitest';
import { type Claim, type ComparisonClaim, type RangeClaim, evaluateClaims } from '../../src/results/claims.js';
import type { ClaimRow, RunRow } from '../../src/results/types.js';
import { checkClaims, getSuite, suiteNames } from '../../src/run/registry.js';
import { failedRun, runRow } from './rows.js';

/** One run per seed (0, 1, ...) of a strategy on a dataset of the mlp. */
function cell(strategy: string, values: number[], row: (value: number) => Partial<RunRow>, dataset = 'churn'): RunRow[] {
  return values.map((value, seed) => runRow({ run_id: `${dataset}/${strategy}/${seed}`, dataset, strategy, seed, ...row(value) }));
}
const accuracy = (test_metric: number) => ({ test_metric });
const mse = (test_metric: number) => ({ test_metric, task: 'regression', metric_name: 'mse' });
const weightBits = (avg_weight_bits: number) => ({ avg_weight_bits });
const trainSeconds = (train_seconds: number) => ({ train_seconds, search_seconds: 0 });

const base = { source: 'a test', wording: 'as a source would say it', model: 'mlp' };
const better = (dataset?: string): ComparisonClaim => ({ ...base, id: 'a-beats-b', kind: 'comparison', better: 'a', worse: 'b', dataset });
const bitsIn = (lo: number, hi: number, dataset?: string): RangeClaim => ({
  ...base,
  id: 'a-bits',
  kind: 'range',
  strategy: 'a',
  measure: 'avg_weight_bits',
  lo,
  hi,
  dataset,
});

const t2 = 4.302652729911275; // t(0.975, 2)
const only = (rows: ClaimRow[]) => {
  expect(rows).toHaveLength(1);
  return rows[0];
};

describe('comparison claims', () => {
  it('supported: the paired CI of the advantage lies above 0', () => {
    // per-seed advantages 0.05, 0.06, 0.07: mean 0.06, std 0.01
    const runs = [...cell('a', [0.9, 0.92, 0.95], accuracy), ...cell('b', [0.85, 0.86, 0.88], accuracy)];
    const row = only(evaluateClaims([better('churn')], runs, 'telecom'));
    expect(row).toMatchObject({
      claim_id: 'a-beats-b',
      kind: 'comparison',
      dataset: 'churn',
      claim_dataset: 'churn',
      strategy: 'a',
      versus: 'b',
      measure: 'accuracy',
      lo: null,
      hi: null,
      n_seeds: 3,
      verdict: 'supported',
      claim_verdict: 'supported',
    });
    expect(row.estimate).toBeCloseTo(0.06, 12);
    expect(row.ci_low).toBeCloseTo(0.06 - (t2 * 0.01) / Math.sqrt(3), 9);
    expect(row.ci_high).toBeCloseTo(0.06 + (t2 * 0.01) / Math.sqrt(3), 9);
    // t = 0.06 / (0.01 / √3) with df 2: p = 1 − t / √(t² + 2)
    const t = 0.06 / (0.01 / Math.sqrt(3));
    expect(row.p_value).toBeCloseTo(1 - t / Math.sqrt(t * t + 2), 9);
  });

  it('contradicted: the CI lies below 0, the claimed strategy being worse', () => {
    const runs = [...cell('a', [0.85, 0.86, 0.88], accuracy), ...cell('b', [0.9, 0.92, 0.95], accuracy)];
    const row = only(evaluateClaims([better('churn')], runs, 'telecom'));
    expect(row.verdict).toBe('contradicted');
    expect(row.estimate).toBeCloseTo(-0.06, 12);
  });

  it('takes the direction from the metric: a lower MSE is better', () => {
    const runs = [...cell('a', [1.0, 1.1, 1.3], mse, 'vod'), ...cell('b', [1.5, 1.6, 1.7], mse, 'vod')];
    const row = only(evaluateClaims([better('vod')], runs, 'telecom'));
    expect(row).toMatchObject({ measure: 'mse', verdict: 'supported' });
    expect(row.estimate).toBeCloseTo(0.4666666, 6);
  });

  it('inconclusive: the CI straddles 0, or one paired seed gives no CI', () => {
    // advantages 0.05, −0.03, 0.01
    const straddles = [...cell('a', [0.9, 0.85, 0.9], accuracy), ...cell('b', [0.85, 0.88, 0.89], accuracy)];
    expect(only(evaluateClaims([better('churn')], straddles, 'telecom')).verdict).toBe('inconclusive');
    // b finished seed 0 only
    const onePair = [...cell('a', [0.9, 0.92], accuracy), ...cell('b', [0.85], accuracy), failedRun({ run_id: 'b/1', strategy: 'b', seed: 1 })];
    const row = only(evaluateClaims([better('churn')], onePair, 'telecom'));
    expect(row).toMatchObject({ n_seeds: 1, ci_low: null, ci_high: null, p_value: null, verdict: 'inconclusive' });
    expect(row.estimate).toBeCloseTo(0.05, 12);
  });

  it('not run: no seed where both finished ok', () => {
    const runs = [...cell('a', [0.9, 0.92], accuracy), failedRun({ run_id: 'b/0', strategy: 'b', seed: 0 })];
    expect(only(evaluateClaims([better('churn')], runs, 'telecom'))).toMatchObject({
      n_seeds: 0,
      estimate: null,
      verdict: 'not run',
      claim_verdict: 'not run',
    });
    expect(only(evaluateClaims([better('churn')], [], 'telecom'))).toMatchObject({ dataset: 'churn', measure: 'test_metric', verdict: 'not run' });
  });
});

describe('range claims', () => {
  // bits 1.5, 1.6, 1.7: mean 1.6, CI 1.6 ± 0.248
  const a = cell('a', [1.5, 1.6, 1.7], weightBits);

  it('supported: the CI of the mean lies within [lo, hi] (bounds included)', () => {
    const row = only(evaluateClaims([bitsIn(1, 2.4, 'churn')], a, 'telecom'));
    expect(row).toMatchObject({
      kind: 'range',
      strategy: 'a',
      versus: null,
      measure: 'avg_weight_bits',
      lo: 1,
      hi: 2.4,
      n_seeds: 3,
      p_value: null,
      verdict: 'supported',
    });
    expect(row.estimate).toBeCloseTo(1.6, 12);
    expect(row.ci_low).toBeCloseTo(1.6 - (t2 * 0.1) / Math.sqrt(3), 9);
    // no spread: the CI is the mean itself, on the bound
    expect(only(evaluateClaims([bitsIn(1, 2.4, 'churn')], cell('a', [1, 1, 1], weightBits), 'telecom')).verdict).toBe('supported');
  });

  it('contradicted: the CI lies wholly above or below the range', () => {
    expect(only(evaluateClaims([bitsIn(1, 1.2, 'churn')], a, 'telecom')).verdict).toBe('contradicted');
    expect(only(evaluateClaims([bitsIn(2, 4, 'churn')], a, 'telecom')).verdict).toBe('contradicted');
  });

  it('inconclusive: the CI straddles a bound, or there is one seed', () => {
    expect(only(evaluateClaims([bitsIn(1.5, 2.4, 'churn')], a, 'telecom')).verdict).toBe('inconclusive');
    expect(only(evaluateClaims([bitsIn(1, 2.4, 'churn')], a.slice(0, 1), 'telecom'))).toMatchObject({
      n_seeds: 1,
      estimate: 1.5,
      ci_low: null,
      verdict: 'inconclusive',
    });
  });

  it('not run: the strategy has no ok run there', () => {
    const runs = [...cell('b', [1.5], weightBits), failedRun({ run_id: 'a/0', strategy: 'a' })];
    expect(only(evaluateClaims([bitsIn(1, 2.4, 'churn')], runs, 'telecom'))).toMatchObject({ n_seeds: 0, verdict: 'not run' });
  });

  it('a wall-clock ratio is search + training of one strategy over another, per seed, paired', () => {
    const ratio: Claim = {
      ...base,
      id: 'slower',
      kind: 'range',
      strategy: 'a',
      measure: 'wall_clock_ratio',
      relativeTo: 'b',
      lo: 1.5,
      hi: 3,
      dataset: 'churn',
    };
    // a: 20, 22, 24 s (search 5 s in the first); b: 10 s each, and a seed a lacks; ratios 2.0, 2.2, 2.4
    const runs = [
      ...cell('a', [15, 22, 24], trainSeconds).map((run, seed) => (seed === 0 ? { ...run, search_seconds: 5 } : run)),
      ...cell('b', [10, 10, 10, 10], trainSeconds),
    ];
    const row = only(evaluateClaims([ratio], runs, 'telecom'));
    expect(row).toMatchObject({ versus: 'b', measure: 'wall_clock_ratio', n_seeds: 3, verdict: 'supported' });
    expect(row.estimate).toBeCloseTo(2.2, 12);
    expect(only(evaluateClaims([{ ...ratio, lo: 0.5, hi: 1 }], runs, 'telecom')).verdict).toBe('contradicted');
  });
});

describe('a claim on every dataset', () => {
  const churn = cell('a', [1.5, 1.6, 1.7], weightBits);
  const vod = cell('a', [3, 3.1, 3.2], weightBits, 'vod');
  const verdicts = (rows: ClaimRow[]) => rows.map((row) => [row.dataset, row.verdict, row.claim_verdict]);

  it('is checked on each dataset of the results; contradicted where one dataset contradicts it', () => {
    const rows = evaluateClaims([bitsIn(1, 2.4)], [...churn, ...vod], 'telecom');
    expect(rows.every((row) => row.claim_dataset === null)).toBe(true);
    expect(verdicts(rows)).toEqual([
      ['churn', 'supported', 'contradicted'],
      ['vod', 'contradicted', 'contradicted'],
    ]);
  });

  it('supported only where every dataset supports it; not run only where none ran it; else inconclusive', () => {
    expect(verdicts(evaluateClaims([bitsIn(1, 4)], [...churn, ...vod], 'telecom')).map((v) => v[2])).toEqual(['supported', 'supported']);
    // vod ran, but not strategy a
    const withoutA = [...churn, ...cell('b', [2], weightBits, 'vod')];
    expect(verdicts(evaluateClaims([bitsIn(1, 2.4)], withoutA, 'telecom'))).toEqual([
      ['churn', 'supported', 'inconclusive'],
      ['vod', 'not run', 'inconclusive'],
    ]);
    expect(verdicts(evaluateClaims([bitsIn(1, 2.4)], cell('b', [2], weightBits), 'telecom'))).toEqual([['churn', 'not run', 'not run']]);
    expect(verdicts(evaluateClaims([bitsIn(1, 2.4)], [], 'telecom'))).toEqual([[null, 'not run', 'not run']]);
  });
});

describe('claims of the registered suites', () => {
  it('name strategies, models and datasets of their suite', () => {
    for (const name of suiteNames()) expect(() => checkClaims(getSuite(name))).not.toThrow();
    expect(getSuite('telecom').claims?.length).toBeGreaterThan(0);
  });

  it('a claim naming what its suite lacks is refused with one line', () => {
    const smoke = getSuite('smoke');
    const known: Claim = { ...better(), better: 'fp32', worse: 'nmp-qat' };
    expect(() => checkClaims({ ...smoke, claims: [better()] })).toThrow('suite smoke, claim a-beats-b: no strategy "a"; no strategy "b"');
    expect(() => checkClaims({ ...smoke, claims: [{ ...bitsIn(3, 2, 'mnist'), strategy: 'nmp-qat' }] })).toThrow(
      'suite smoke, claim a-bits: no dataset "mnist"; its range [3, 2] is empty',
    );
    expect(() => checkClaims({ ...smoke, claims: [known, known] })).toThrow('suite smoke, claim a-beats-b: its id is used twice');
  });
});
