import { UsageError } from '../errors.js';

/**
 * A run's budget as requested (Strategy.budget, its "budget" option or --budget), parsed once when
 * the matrix is built: a target average weight width, or the width another strategy reached on
 * the same dataset, model and seed. `text` is what was asked, as recorded in budget_requested.
 */
export type BudgetRequest = { text: string; bits: number } | { text: string; match: string };

/** What the runner resolved a run's budget to, handed to the run: the target bits (null: none), or why it has none (the run fails with it). */
export type ResolvedBudget = { bits: number | null } | { error: string };

const MATCH = 'match:';

/** "" (no budget), "2.5" or "match:<strategy>"; anything else is a usage error naming its owner. */
export function parseBudget(text: string, owner: string): BudgetRequest | null {
  if (text === '') return null;
  if (text.startsWith(MATCH)) {
    const match = text.slice(MATCH.length);
    if (match === '') throw new UsageError(`${owner}: budget "match:" needs a strategy label, e.g. match:nmp-qat`);
    return { text, match };
  }
  const bits = Number(text);
  if (!(Number.isFinite(bits) && bits > 0)) throw new UsageError(`${owner}: budget must be average weight bits (e.g. 2.5) or match:<strategy>, got "${text}"`);
  return { text, bits };
}
