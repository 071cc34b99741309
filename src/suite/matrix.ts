import { createHash } from 'node:crypto';
import { getDataset } from '../data/registry.js';
import { UsageError } from '../errors.js';
import { getModel, resolveModelOptions } from '../model/registry.js';
import type { ModelOptions } from '../model/types.js';
import { getStrategy, resolveStrategyOptions } from '../strategy/registry.js';
import type { StrategyOptions } from '../strategy/types.js';
import type { ModelEntry, Profile, Protocol, StrategyEntry, SuiteDefinition } from './types.js';

/** Command-line narrowing and overrides of a suite. */
export interface MatrixOverrides {
  datasets?: string[];
  models?: string[];
  strategies?: string[];
  seeds?: number[];
  epochs?: number;
  maxRows?: number | null;
}

export interface RunSpec {
  suite: string;
  profile: string;
  dataset: string;
  model: { label: string; name: string; options: ModelOptions };
  strategy: { label: string; name: string; options: StrategyOptions };
  seed: number;
  protocol: Omit<Protocol, 'seeds'>;
}

/** Suite entries whose label or registered name is asked for; a registered name the suite lacks runs with defaults. */
function pick<E extends { label: string }>(entries: E[], wanted: string[] | undefined, nameOf: (e: E) => string, fallback: (name: string) => E, kind: string): E[] {
  if (!wanted) return entries;
  return wanted.flatMap((w) => {
    const matches = entries.filter((e) => e.label === w || nameOf(e) === w);
    if (matches.length) return matches;
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
    ...(overrides.epochs !== undefined ? { epochs: overrides.epochs } : {}),
    ...(overrides.maxRows !== undefined ? { maxRows: overrides.maxRows } : {}),
    ...(overrides.seeds ? { seeds: overrides.seeds } : {}),
  };
  const datasets = checkDatasets(overrides.datasets ?? suite.datasets);
  const models = pick<ModelEntry>(suite.models, overrides.models, (e) => e.model, (n) => (getModel(n), { label: n, model: n }), 'model').map((e) => {
    const factory = getModel(e.model);
    return { label: e.label, name: e.model, options: resolveModelOptions(factory, { ...profile.models[e.model], ...e.options }) };
  });
  const strategies = pick<StrategyEntry>(suite.strategies, overrides.strategies, (e) => e.strategy, (n) => (getStrategy(n), { label: n, strategy: n }), 'strategy').map((e) => ({
    label: e.label,
    name: e.strategy,
    options: resolveStrategyOptions(getStrategy(e.strategy), e.options),
  }));

  return datasets.flatMap((dataset) =>
    models.flatMap((model) =>
      strategies.flatMap((strategy) => seeds.map((seed) => ({ suite: suite.name, profile: profile.name, dataset, model, strategy, seed, protocol }))),
    ),
  );
}

/** JSON with sorted keys, so that equal configs hash equally whatever their key order. */
function canonical(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(canonical).join(',')}]`;
  if (value && typeof value === 'object') {
    return `{${Object.keys(value)
      .sort()
      .map((k) => `${JSON.stringify(k)}:${canonical((value as Record<string, unknown>)[k])}`)
      .join(',')}}`;
  }
  return JSON.stringify(value);
}

/** Identifies what a run computes, apart from its seed: data, model, strategy and protocol. */
export function configHash(spec: RunSpec, dataSha256: string): string {
  const { dataset, model, strategy, protocol } = spec;
  return createHash('sha256').update(canonical({ dataset, dataSha256, model: { name: model.name, options: model.options }, strategy: { name: strategy.name, options: strategy.options }, protocol })).digest('hex');
}

export function runId(spec: RunSpec, hash: string): string {
  return `${spec.dataset}.${spec.model.label}.${spec.strategy.label}.s${spec.seed}.${hash.slice(0, 10)}`;
}
