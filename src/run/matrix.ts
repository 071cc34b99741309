import { getDataset } from '../data/registry.js';
import type { PreparedDataset } from '../data/types.js';
import { contentHash } from '../hash.js';
import { UsageError } from '../errors.js';
import { getModel, resolveModelOptions } from '../model/registry.js';
import { getStrategy } from '../strategy/registry.js';
import { addBudgetSources, resolveStrategy, sourcesFirst } from './budget.js';
import type { ModelEntry, Profile, Protocol, RunSpec, StrategyEntry, SuiteDefinition } from './types.js';

/** Command-line narrowing and overrides of a suite. */
export interface MatrixOverrides {
  datasets?: string[];
  models?: string[];
  strategies?: string[];
  seeds?: number[];
  /** Training settings that replace the profile's (and the suite's). */
  training?: TrainingOverrides;
  maxRows?: number | null;
  /** Budget for every strategy that takes one: average weight bits or match:<strategy>. */
  budget?: string;
  init?: Protocol['init'];
  /** off: models that pretrain (those with a `pretrainEpochs` option) start from their seeded initialisation. */
  pretrain?: 'on' | 'off';
}

export type TrainingOverrides = Partial<Pick<Protocol, 'epochs' | 'patience' | 'batchSize' | 'learningRate' | 'momentum'>>;

/** The option by which a model declares its self-supervised pretraining (ModelFactory.pretraining reads it). */
const PRETRAIN_EPOCHS = 'pretrainEpochs';

/** Suite entries whose label (else registered name) is asked for; a registered name the suite lacks runs with defaults. */
function pick<E extends { label: string }>(
  entries: E[],
  wanted: string[] | undefined,
  nameOf: (e: E) => string,
  fallback: (name: string) => E,
  kind: string,
): E[] {
  if (!wanted) return entries;
  return wanted.flatMap((w) => {
    // A label is the more specific name: "nmp-qat" picks that entry, not every nmp-qat entry.
    const byLabel = entries.filter((e) => e.label === w);
    if (byLabel.length) return byLabel;
    const byName = entries.filter((e) => nameOf(e) === w);
    if (byName.length) return byName;
    try {
      return [fallback(w)];
    } catch {
      const valid = [...new Set(entries.flatMap((e) => [e.label, nameOf(e)]))];
      throw new UsageError(`unknown ${kind} "${w}"; valid: ${valid.join(', ')}`);
    }
  });
}

/** Every name must be registered (getDataset throws the one-line error that lists the valid ones). */
function checkDatasets(names: string[]): string[] {
  names.forEach(getDataset);
  return names;
}

export function buildMatrix(suite: SuiteDefinition, profile: Profile, overrides: MatrixOverrides = {}): RunSpec[] {
  const { seeds, ...protocol }: Protocol = {
    ...profile.protocol,
    ...suite.protocol,
    // A flag not given is undefined and must not replace the profile's value.
    ...Object.fromEntries(Object.entries(overrides.training ?? {}).filter(([, v]) => v !== undefined)),
    ...(overrides.maxRows !== undefined ? { maxRows: overrides.maxRows } : {}),
    ...(overrides.seeds ? { seeds: overrides.seeds } : {}),
    ...(overrides.init ? { init: overrides.init } : {}),
  };
  const datasets = checkDatasets(overrides.datasets ?? suite.datasets);
  const models = pick<ModelEntry>(
    suite.models,
    overrides.models,
    (e) => e.model,
    (n) => ({ label: n, model: getModel(n).name }),
    'model',
  ).map((e) => {
    const factory = getModel(e.model);
    const options = resolveModelOptions(factory, { ...profile.models[e.model], ...e.options });
    if (overrides.pretrain === 'off' && PRETRAIN_EPOCHS in options) options[PRETRAIN_EPOCHS] = 0;
    return { label: e.label, name: e.model, options };
  });
  const resolve = (e: StrategyEntry) => resolveStrategy(e.label, e.strategy, e.options, overrides.budget);
  const strategies = pick<StrategyEntry>(
    suite.strategies,
    overrides.strategies,
    (e) => e.strategy,
    (n) => ({ label: n, strategy: getStrategy(n).name }),
    'strategy',
  ).map(resolve);
  const withSources = addBudgetSources(strategies, suite.strategies.map(resolve));

  const specs = datasets.flatMap((dataset) =>
    models.flatMap((model) =>
      withSources.flatMap((strategy) => seeds.map((seed) => ({ suite: suite.name, profile: profile.name, dataset, model, strategy, seed, protocol }))),
    ),
  );
  return sourcesFirst(specs);
}

/**
 * Identifies what a run computes, apart from its seed: data, model, strategy and protocol. What a
 * definition sets beyond columns and split (data.preparation), and the one-hot groups for a model
 * that makes them tokens, enter only when set, so that runs made before they existed keep their hash.
 */
export function configHash(spec: RunSpec, data: Pick<PreparedDataset, 'sha256' | 'preparation' | 'preprocessing'>): string {
  const { dataset, model, strategy, protocol } = spec;
  const tokens = getModel(model.name).featureTokens ? data.preprocessing.oneHotGroups : undefined;
  const preparation = { ...data.preparation, ...(tokens ? { oneHotGroups: tokens } : {}) };
  return contentHash({
    dataset,
    dataSha256: data.sha256,
    ...(Object.keys(preparation).length > 0 ? { preparation } : {}),
    model: { name: model.name, options: model.options },
    strategy: { name: strategy.name, options: strategy.options },
    protocol,
  });
}

export function runId(spec: RunSpec, hash: string): string {
  return `${spec.dataset}.${spec.model.label}.${spec.strategy.label}.s${spec.seed}.${hash.slice(0, 10)}`;
}

/**
 * A deterministic slice of the matrix for one of n machines (0 <= index < n). Runs of the same
 * dataset, model and seed stay together, so a match:<strategy> budget and an FP32 checkpoint
 * never depend on another shard.
 */
export function shardMatrix(specs: RunSpec[], index: number, count: number): RunSpec[] {
  const groups = new Map<string, number>();
  const groupOf = (s: RunSpec) => {
    const key = JSON.stringify([s.dataset, s.model.label, s.seed]);
    if (!groups.has(key)) groups.set(key, groups.size);
    return groups.get(key)!;
  };
  return specs.filter((s) => groupOf(s) % count === index);
}
