import { UsageError } from '../errors.js';
import { Registry } from '../registry.js';
import { defaultsOf, firstProblem, type OptionSchema, type OptionValue, parseOptionText, type StrategyOptions } from './options.js';
import type { Strategy } from './types.js';

const strategies = new Registry<Strategy>('strategy');

export function registerStrategy<S extends OptionSchema>(strategy: Strategy<S>): void {
  strategies.register(strategy as unknown as Strategy);
}

export const strategyNames = (): string[] => strategies.names();
export const getStrategy = (name: string): Strategy => strategies.get(name);

/** Whether a registered strategy learns or searches its widths; undefined for a name this build does not register. */
export const isMixedPrecision = (name: string): boolean | undefined => (strategies.names().includes(name) ? strategies.get(name).mixedPrecision : undefined);

/** Every option with its default, as recorded and listed: the budget first (for a strategy that takes one), then the schema's. */
export function strategyDefaults(strategy: Strategy): StrategyOptions {
  return { ...(strategy.budget !== undefined ? { budget: strategy.budget } : {}), ...defaultsOf(strategy.options) };
}

const unknownOption = (strategy: Strategy, key: string, defaults: StrategyOptions) =>
  new UsageError(`strategy "${strategy.name}" has no option "${key}"; valid: ${Object.keys(defaults).join(', ')}`);

/** A value given as text (a command line's "tau=0.1") in the option's type; resolveStrategyOptions checks it like any other. */
export function parseStrategyOption(strategy: Strategy, key: string, given: string): OptionValue {
  const defaults = strategyDefaults(strategy);
  if (!(key in defaults)) throw unknownOption(strategy, key, defaults);
  return parseOptionText(`strategy "${strategy.name}"`, key, defaults[key], given);
}

/** Defaults overlaid with the given options; unknown keys, wrong types and values the schema refuses are one-line usage errors. */
export function resolveStrategyOptions(strategy: Strategy, given: Partial<StrategyOptions> = {}): StrategyOptions {
  const defaults = strategyDefaults(strategy);
  const resolved: StrategyOptions = { ...defaults };
  for (const [key, value] of Object.entries(given)) {
    if (!(key in defaults)) throw unknownOption(strategy, key, defaults);
    const expected = defaults[key];
    if (value === undefined || Array.isArray(expected) !== Array.isArray(value) || typeof expected !== typeof value) {
      throw new UsageError(
        `strategy "${strategy.name}" option "${key}" must be ${Array.isArray(expected) ? 'an array' : typeof expected}, got ${JSON.stringify(value)}`,
      );
    }
    resolved[key] = value;
  }
  const problem = firstProblem(strategy.options, resolved);
  if (problem !== undefined) throw new UsageError(`${strategy.name}: ${problem}`);
  return resolved;
}
