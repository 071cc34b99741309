import type { Strategy, StrategyOptions } from './types.js';
import { UsageError } from '../errors.js';
import { Registry } from '../registry.js';

const strategies = new Registry<Strategy>('strategy');

export function registerStrategy<O extends StrategyOptions>(strategy: Strategy<O>): void {
  strategies.register(strategy as unknown as Strategy);
}

export const strategyNames = (): string[] => strategies.names();
export const getStrategy = (name: string): Strategy => strategies.get(name);

/** Whether a registered strategy learns or searches its widths; undefined for a name this build does not register. */
export const isMixedPrecision = (name: string): boolean | undefined => (strategies.names().includes(name) ? strategies.get(name).mixedPrecision : undefined);

/** Defaults overlaid with the given options; unknown keys and wrong types are errors. */
export function resolveStrategyOptions(strategy: Strategy, given: Partial<StrategyOptions> = {}): StrategyOptions {
  const resolved: StrategyOptions = { ...strategy.defaults };
  for (const [key, value] of Object.entries(given)) {
    if (!(key in strategy.defaults)) {
      throw new UsageError(`strategy "${strategy.name}" has no option "${key}"; valid: ${Object.keys(strategy.defaults).join(', ')}`);
    }
    const expected = strategy.defaults[key];
    if (value === undefined || Array.isArray(expected) !== Array.isArray(value) || typeof expected !== typeof value) {
      throw new UsageError(
        `strategy "${strategy.name}" option "${key}" must be ${Array.isArray(expected) ? 'an array' : typeof expected}, got ${JSON.stringify(value)}`,
      );
    }
    resolved[key] = value;
  }
  strategy.validate?.(resolved);
  return resolved;
}
