import { UsageError } from '../errors.js';
import { mlp } from './mlp.js';
import type { ModelFactory, ModelOptions } from './types.js';

const models = new Map<string, ModelFactory>([[mlp.name, mlp]]);

export function modelNames(): string[] {
  return [...models.keys()];
}

export function getModel(name: string): ModelFactory {
  const found = models.get(name);
  if (!found) throw new UsageError(`unknown model "${name}"; valid: ${modelNames().join(', ')}`);
  return found;
}

export function registerModel(factory: ModelFactory): void {
  if (models.has(factory.name)) throw new Error(`model "${factory.name}" is registered twice`);
  models.set(factory.name, factory);
}

export function resolveModelOptions(factory: ModelFactory, given: ModelOptions = {}): ModelOptions {
  for (const key of Object.keys(given)) {
    if (!(key in factory.defaults)) throw new UsageError(`model "${factory.name}" has no option "${key}"; valid: ${Object.keys(factory.defaults).join(', ')}`);
  }
  return { ...factory.defaults, ...given };
}
