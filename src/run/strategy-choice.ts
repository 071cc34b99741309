/** A strategy named on the command line with options of its own: "nmp-qat:tau=0.1:bitPenalty=0.001". */
import { UsageError } from '../errors.js';
import { getStrategy, parseStrategyOption, strategyNames } from '../strategy/registry.js';
import type { StrategyEntry } from './types.js';

const OPTION_START = /^[A-Za-z]\w*=/;

/**
 * The strategy it refers to and its option texts. Options follow the name, each after a ':'; a
 * value may itself hold ':' (budget=match:nmp-qat), so a part that does not start "key=" continues
 * the value before it.
 */
export function splitChoice(text: string): { ref: string; options: [string, string][] } {
  const [ref, ...parts] = text.split(':');
  const options: [string, string][] = [];
  for (const part of parts) {
    if (OPTION_START.test(part)) {
      const at = part.indexOf('=');
      options.push([part.slice(0, at), part.slice(at + 1)]);
    } else if (options.length > 0) options[options.length - 1][1] += `:${part}`;
    else throw new UsageError(`--strategies "${text}": options follow the name as key=value, e.g. nmp-qat:tau=0.1`);
  }
  return { ref, options };
}

/**
 * The entry a choice with options makes: the suite's entry of that label (else the registered
 * strategy with its defaults) with the options replaced, each read in its type and checked by the
 * strategy's own schema when the matrix resolves it. Its label is the text as given; null when
 * the name before the options is neither a suite label nor a registered strategy.
 */
export function choiceEntry(text: string, suiteEntries: readonly StrategyEntry[]): StrategyEntry | null {
  const { ref, options } = splitChoice(text);
  const base = suiteEntries.find((e) => e.label === ref) ?? (strategyNames().includes(ref) ? { label: ref, strategy: ref } : null);
  if (!base) return null;
  const strategy = getStrategy(base.strategy);
  const given = Object.fromEntries(options.map(([key, value]) => [key, parseStrategyOption(strategy, key, value)]));
  return { label: text, strategy: base.strategy, options: { ...base.options, ...given } };
}

export const hasOptions = (text: string): boolean => text.includes(':');
