import { UsageError } from '../errors.js';
import type { StrategyOptions } from '../strategy/types.js';

/** A target average weight width, or the width another strategy reached on the same dataset, model and seed. */
export type BudgetRequest = { bits: number } | { match: string };

const MATCH = 'match:';

/** A strategy takes a budget when it has a string option named "budget"; "" means none. */
export function hasBudgetOption(options: StrategyOptions): boolean {
  return typeof options.budget === 'string';
}

export function parseBudget(text: string, owner: string): BudgetRequest | null {
  if (text === '') return null;
  if (text.startsWith(MATCH)) {
    const match = text.slice(MATCH.length);
    if (match === '') throw new UsageError(`${owner}: budget "match:" needs a strategy label, e.g. match:nmp-qat`);
    return { match };
  }
  const bits = Number(text);
  if (!(Number.isFinite(bits) && bits > 0)) throw new UsageError(`${owner}: budget must be average weight bits (e.g. 2.5) or match:<strategy>, got "${text}"`);
  return { bits };
}

export function budgetOf(options: StrategyOptions, owner: string): BudgetRequest | null {
  return hasBudgetOption(options) ? parseBudget(options.budget as string, owner) : null;
}
