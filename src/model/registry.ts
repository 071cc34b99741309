import { UsageError } from '../errors.js';
import { Registry } from '../registry.js';
import { mlp } from './mlp.js';
import { tabformer } from './tabformer.js';
import type { ModelFactory, ModelOptions } from './types.js';

const models = new Registry<ModelFactory>('model', [mlp, tabformer]);

export const modelNames = (): string[] => models.names();
export const getModel = (name: string): ModelFactory => models.get(name);
export const registerModel = (factory: ModelFactory): void => models.register(factory);

export function resolveModelOptions(factory: ModelFactory, given: ModelOptions = {}): ModelOptions {
  for (const key of Object.keys(given)) {
    if (!(key in factory.defaults)) throw new UsageError(`model "${factory.name}" has no option "${key}"; valid: ${Object.keys(factory.defaults).join(', ')}`);
  }
  return { ...factory.defaults, ...given };
}
