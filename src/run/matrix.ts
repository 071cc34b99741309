import { getDataset } from '../data/registry.js';
import type { PreparedDataset } from '../data/types.js';
import { datasetMetric, type MetricName } from '../metrics/task-metrics.js';
import { contentHash } from '../hash.js';
import { UsageError } from '../errors.js';
import { getModel, modelNames, resolveModelOptions } from '../model/registry.js';
import type { ModelOptions } from '../model/types.js';
import { strategyNames } from '../strategy/registry.js';
import { addBudgetSources, resolveStrategy, sourcesFirst } from './budget.js';
import { CUSTOM } from './registry.js';
import { choiceEntry, hasOptions } from './strategy-choice.js';
import type { ModelEntry, Profile, Protocol, RunSpec, StrategyEntry, SuiteDefinition } from './types.js';

/** Command-line narrowing and overrides of a suite. */
export interface MatrixOverrides {
  datasets?: string[];
  models?: string[];
  /** Labels or registered names; "name:key=value:..." adds an entry with those options. */
  strategies?: string[];
  /** The headline and early-stopping metric of the datasets whose task has it. */
  metric?: MetricName;
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

/** Whether a model's options declare self-supervised pretraining (which --pretrain switches). */
export const declaresPretraining = (options: ModelOptions): boolean => PRETRAIN_EPOCHS in options;

/**
 * Suite entries whose label (else registered name) is asked for; a registered name the suite lacks
 * runs with defaults. An unknown name lists the suite's labels and names, then every registered name.
 */
function pick<E extends { label: string }>(
  entries: E[],
  wanted: string[] | undefined,
  nameOf: (e: E) => string,
  fallback: (name: string) => E | null,
  kind: string,
  registered: string[],
): E[] {
  if (!wanted) return entries;
  return wanted.flatMap((w) => {
    // A label is the more specific name: "nmp-qat" picks that entry, not every nmp-qat entry.
    const byLabel = entries.filter((e) => e.label === w);
    if (byLabel.length) return byLabel;
    const byName = entries.filter((e) => nameOf(e) === w);
    if (byName.length) return byName;
    const made = fallback(w);
    if (made) return [made];
    const valid = [...new Set([...entries.flatMap((e) => [e.label, nameOf(e)]), ...registered])];
    throw new UsageError(`unknown ${kind} "${w}"; valid: ${valid.join(', ')}`);
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
    ...(overrides.metric ? { metric: overrides.metric } : {}),
  };
  const datasets = checkDatasets(overrides.datasets ?? suite.datasets);
  const models = pick<ModelEntry>(
    suite.models,
    overrides.models,
    (e) => e.model,
    (n) => (modelNames().includes(n) ? { label: n, model: n } : null),
    'model',
    modelNames(),
  ).map((e) => {
    const factory = getModel(e.model);
    const options = resolveModelOptions(factory, { ...profile.models[e.model], ...e.options });
    if (overrides.pretrain === 'off' && declaresPretraining(options)) options[PRETRAIN_EPOCHS] = 0;
    return { label: e.label, name: e.model, options };
  });
  // A budget given with a command-line entry is that entry's own: --budget does not replace it.
  const ownBudget = new Set((overrides.strategies ?? []).filter((w) => hasOptions(w) && /:budget=/.test(w)));
  const resolve = (e: StrategyEntry) => resolveStrategy(e.label, e.strategy, e.options, ownBudget.has(e.label) ? undefined : overrides.budget);
  const strategies = pick<StrategyEntry>(
    suite.strategies,
    overrides.strategies,
    (e) => e.strategy,
    (n) => (hasOptions(n) ? choiceEntry(n, suite.strategies) : strategyNames().includes(n) ? { label: n, strategy: n } : null),
    'strategy',
    strategyNames(),
  ).map(resolve);
  const withSources = addBudgetSources(strategies, suite.strategies.map(resolve));
  const label = suiteLabel(suite, datasets, models, withSources);

  const specs = datasets.flatMap((dataset) => {
    const { metric: _asked, ...shared } = protocol;
    const metric = datasetMetric(getDataset(dataset).task, protocol.metric);
    // Only a metric other than the task's default is written, so that runs before --metric keep their hash.
    const datasetProtocol = metric ? { ...shared, metric } : shared;
    return models.flatMap((model) =>
      withSources.flatMap((strategy) =>
        seeds.map((seed) => ({ suite: label, profile: profile.name, dataset, model, strategy, seed, protocol: datasetProtocol })),
      ),
    );
  });
  return sourcesFirst(specs);
}

/**
 * The suite's name, or "<suite>-custom-<hash>" for a matrix with datasets, models or strategies the
 * suite lacks: its rows are not the suite's, and its default results directory is not the suite's.
 * The hash covers only what was added, so the same additions find the same directory.
 */
function suiteLabel(suite: SuiteDefinition, datasets: string[], models: RunSpec['model'][], strategies: RunSpec['strategy'][]): string {
  const added = {
    datasets: datasets.filter((d) => !suite.datasets.includes(d)),
    models: models.filter((m) => !suite.models.some((e) => e.label === m.label)).map((m) => m.label),
    strategies: strategies.filter((s) => !suite.strategies.some((e) => e.label === s.label)).map((s) => ({ label: s.label, options: s.options })),
  };
  if (added.datasets.length + added.models.length + added.strategies.length === 0) return suite.name;
  return `${suite.name}${CUSTOM}${contentHash(added).slice(0, 8)}`;
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
