import type { Strategy, StrategyOptions } from './types.js';
import { UsageError } from '../errors.js';

const strategies = new Map<string, Strategy>();

export function registerStrategy<O extends StrategyOptions>(strategy: Strategy<O>): void {
  if (strategies.has(strategy.name)) throw new Error(`strategy "${strategy.name}" is registered twice`);
  strategies.set(strategy.name, strategy as unknown as Strategy);
}

export function strategyNames(): string[] {
  return [...strategies.keys()];
}

export function getStrategy(name: string): Strategy {
  const found = strategies.get(name);
  if (!found) throw new UsageError(`unknown strategy "${name}"; valid: ${strategyNames().join(', ')}`);
  return found;
}

/** Defaults overlaid with the given options; unknown keys and wrong types are errors. */
export function resolveStrategyOptions(strategy: Strategy, given: Partial<StrategyOptions> = {}): StrategyOptions {
  const resolved: StrategyOptions = { ...strategy.defaults };
  for (const [key, value] of Object.entries(given)) {
    if (!(key in strategy.defaults)) {
      throw new UsageError(`strategy "${strategy.name}" has no option "${key}"; valid: ${Object.keys(strategy.defaults).join(', ')}`);
    }
    const expected = strategy.defaults[key];
    if (value === undefined || Array.isArray(expected) !== Array.isArray(value) || typeof expected !== typeof value) {
      throw new UsageError(`strategy "${strategy.name}" option "${key}" must be ${Array.isArray(expected) ? 'an array' : typeof expected}, got ${JSON.stringify(value)}`);
    }
    resolved[key] = value;
  }
  strategy.validate?.(resolved);
  return resolved;
}
