import { UsageError } from '../errors.js';
import { METRIC_NAMES, type MetricName } from '../metrics/task-metrics.js';
import type { Protocol } from '../run/types.js';
import { parseBudget } from '../run/budget.js';

/** "a,b , c" -> ['a', 'b', 'c']; undefined stays undefined (the flag was not given). */
export function parseList(flag: string, value: string | undefined): string[] | undefined {
  if (value === undefined) return undefined;
  const items = value
    .split(',')
    .map((s) => s.trim())
    .filter(Boolean);
  if (items.length === 0) throw new UsageError(`--${flag} needs at least one name`);
  return items;
}

/** --seeds 3 means seeds 1..3; --seeds 4,7 means exactly those. */
export function parseSeeds(value: string | undefined): number[] | undefined {
  if (value === undefined) return undefined;
  const parts = value.split(',').map((s) => s.trim());
  const numbers = parts.map(Number);
  if (parts.some((p) => p === '') || numbers.some((n) => !Number.isInteger(n) || n < 0)) {
    throw new UsageError(`--seeds takes a count (3) or a list of non-negative integers (1,2,5), got "${value}"`);
  }
  if (numbers.length === 1) {
    if (numbers[0] < 1) throw new UsageError('--seeds count must be at least 1');
    return Array.from({ length: numbers[0] }, (_, i) => i + 1);
  }
  return numbers;
}

export function parsePositiveInt(flag: string, value: number | undefined): number | undefined {
  if (value === undefined) return undefined;
  if (!Number.isInteger(value) || value < 1) throw new UsageError(`--${flag} must be a positive integer, got ${value}`);
  return value;
}

/** A number > 0 (and below `below`, when given). */
export function parsePositiveNumber(flag: string, value: number | undefined, below?: number): number | undefined {
  if (value === undefined) return undefined;
  if (!(value > 0) || (below !== undefined && !(value < below)))
    throw new UsageError(`--${flag} must be a number > 0${below !== undefined ? ` and < ${below}` : ''}, got ${value}`);
  return value;
}

/** --momentum m: 0 (plain SGD) or a heavy-ball factor below 1. */
export function parseMomentum(value: number | undefined): number | undefined {
  if (value === undefined || value === 0) return value;
  return parsePositiveNumber('momentum', value, 1);
}

/** Below this, validation and test splits of 15% hold a dozen rows: their metrics would mean nothing. */
const MIN_MAX_ROWS = 100;

/** --max-rows N, or "all" for no cap. */
export function parseMaxRows(value: string | undefined): number | null | undefined {
  if (value === undefined) return undefined;
  if (value === 'all') return null;
  const n = Number(value);
  if (!Number.isInteger(n) || n < MIN_MAX_ROWS) throw new UsageError(`--max-rows must be an integer >= ${MIN_MAX_ROWS} or "all", got "${value}"`);
  return n;
}

export function parseBudgetFlag(value: string | undefined): string | undefined {
  if (value === undefined) return undefined;
  parseBudget(value, '--budget');
  return value;
}

export function parseInit(value: string | undefined): Protocol['init'] | undefined {
  if (value === undefined || value === 'scratch' || value === 'pretrained') return value;
  throw new UsageError(`--init must be scratch or pretrained, got "${value}"`);
}

export function parsePretrain(value: string | undefined): 'on' | 'off' | undefined {
  if (value === undefined || value === 'on' || value === 'off') return value;
  throw new UsageError(`--pretrain must be on or off, got "${value}"`);
}

/** --shard i/n: the i-th of n slices (0-based, as Kubernetes indexed jobs and Slurm arrays number them). */
export function parseShard(value: string | undefined): { index: number; count: number } | undefined {
  if (value === undefined) return undefined;
  const match = /^(\d+)\/(\d+)$/.exec(value.trim());
  const [index, count] = match ? [Number(match[1]), Number(match[2])] : [Number.NaN, Number.NaN];
  if (!(count >= 1 && index >= 0 && index < count)) throw new UsageError(`--shard takes i/n with 0 <= i < n (e.g. 0/4), got "${value}"`);
  return { index, count };
}

export function parseMetric(value: string | undefined): MetricName | undefined {
  if (value === undefined) return undefined;
  if (!(METRIC_NAMES as readonly string[]).includes(value)) throw new UsageError(`--metric must be one of ${METRIC_NAMES.join(', ')}, got "${value}"`);
  return value as MetricName;
}
