import { UsageError } from '../errors.js';
import { getStrategy, resolveStrategyOptions } from '../strategy/registry.js';
import type { BudgetRequest, RunSpec, StrategyEntry } from './types.js';

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

type ResolvedStrategy = RunSpec['strategy'];

/** A strategy entry with every option resolved and its budget (--budget replacing the entry's) parsed, once. */
export function resolveStrategy(label: string, name: string, given: StrategyEntry['options'], budgetOverride?: string): ResolvedStrategy {
  const strategy = getStrategy(name);
  const options = resolveStrategyOptions(strategy, given);
  if (strategy.budget === undefined) return { label, name, options, budget: null };
  if (budgetOverride !== undefined) options.budget = budgetOverride;
  return { label, name, options, budget: parseBudget(options.budget as string, label) };
}

/** The strategy a match:<label> budget names: by label, else by registered name when that is unambiguous. */
function findMatch(label: string, among: ResolvedStrategy[], owner: string): ResolvedStrategy | undefined {
  const byLabel = among.find((s) => s.label === label);
  if (byLabel) return byLabel;
  const byName = among.filter((s) => s.name === label);
  if (byName.length > 1) throw new UsageError(`${owner}: budget match:${label} is ambiguous; name one of ${byName.map((s) => s.label).join(', ')}`);
  return byName[0];
}

/** A budget matched to a strategy the run list lacks brings that strategy in (from the suite, else with its defaults). */
export function addBudgetSources(chosen: ResolvedStrategy[], suiteStrategies: ResolvedStrategy[]): ResolvedStrategy[] {
  const out = [...chosen];
  for (let i = 0; i < out.length; i++) {
    const budget = out[i].budget;
    if (!budget || !('match' in budget) || findMatch(budget.match, out, out[i].label)) continue;
    const source = findMatch(budget.match, suiteStrategies, out[i].label) ?? resolveStrategy(budget.match, budget.match, {});
    out.push(source);
  }
  return out;
}

/** The run whose average weight bits a match:<strategy> budget takes: same dataset, model and seed. */
export function budgetSource(spec: RunSpec, specs: readonly RunSpec[]): RunSpec | undefined {
  const budget = spec.strategy.budget;
  if (!budget || !('match' in budget)) return undefined;
  const peers = specs.filter((s) => s.dataset === spec.dataset && s.model.label === spec.model.label && s.seed === spec.seed);
  const target = findMatch(
    budget.match,
    peers.map((s) => s.strategy),
    spec.strategy.label,
  );
  return peers.find((s) => s.strategy === target);
}

/** Every run after the run its budget matches; otherwise the matrix order is kept. */
export function sourcesFirst(specs: RunSpec[]): RunSpec[] {
  const placed = new Set<RunSpec>();
  const visiting = new Set<RunSpec>();
  const out: RunSpec[] = [];
  const visit = (spec: RunSpec) => {
    if (placed.has(spec)) return;
    if (visiting.has(spec)) throw new UsageError(`budget matches form a cycle through ${spec.strategy.label}`);
    visiting.add(spec);
    const source = budgetSource(spec, specs);
    if (source) visit(source);
    visiting.delete(spec);
    placed.add(spec);
    out.push(spec);
  };
  specs.forEach(visit);
  return out;
}
