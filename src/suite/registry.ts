import { smoke } from '../../suites/smoke.js';
import { tabular } from '../../suites/tabular.js';
import { telecom } from '../../suites/telecom.js';
import { UsageError } from '../errors.js';
import type { SuiteDefinition } from './types.js';

const suites = new Map<string, SuiteDefinition>([telecom, tabular, smoke].map((s) => [s.name, s]));

export function suiteNames(): string[] {
  return [...suites.keys()];
}

export function getSuite(name: string): SuiteDefinition {
  const found = suites.get(name);
  if (!found) throw new UsageError(`unknown suite "${name}"; valid: ${suiteNames().join(', ')}`);
  return found;
}
