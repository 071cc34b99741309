import { UsageError } from '../errors.js';

/** Option values are plain JSON scalars or arrays of numbers, so configs hash and print stably. */
export type OptionValue = number | string | boolean | number[];

/** Resolved options as they are recorded (strategy_config) and hashed: the budget first, then the schema's keys in order. */
export type StrategyOptions = Record<string, OptionValue>;

/**
 * One option of a strategy: its default (which gives its type) and what makes a value wrong.
 * `check` returns the rest of the one-line message "<strategy>: <message>", or undefined when the
 * value is allowed; it sees the other options too, for the few checks that relate two of them.
 */
export interface OptionSpec<T extends OptionValue = OptionValue> {
  readonly default: T;
  check?(value: T, key: string, options: Readonly<StrategyOptions>): string | undefined;
}

/** A strategy's options: name -> spec, in the order they are recorded and listed. */
export type OptionSchema = { readonly [key: string]: OptionSpec };

/** The options object a schema describes: every key, typed by its default. */
export type OptionsOf<S extends OptionSchema> = { -readonly [K in keyof S]: S[K] extends OptionSpec<infer T> ? T : never };

type Check<T extends OptionValue> = OptionSpec<T>['check'];

const spec = <T extends OptionValue>(value: T, check?: Check<T>): OptionSpec<T> => (check ? { default: value, check } : { default: value });

export const number = (value: number, check?: Check<number>): OptionSpec<number> => spec(value, check);
export const numbers = (value: number[], check?: Check<number[]>): OptionSpec<number[]> => spec(value, check);
export const text = (value: string, check?: Check<string>): OptionSpec<string> => spec(value, check);
export const flag = (value: boolean): OptionSpec<boolean> => spec(value);

/**
 * One of a few strings. The message lists them: `"a" or "b"` (style 'or') or `one of a, b, c`
 * (style 'list').
 */
export function choice<C extends string>(choices: readonly C[], value: C, style: 'or' | 'list' = 'list'): OptionSpec<C> {
  const valid = style === 'or' ? choices.map((c) => `"${c}"`).join(' or ') : `one of ${choices.join(', ')}`;
  return { default: value, check: (v, key) => (choices.includes(v) ? undefined : `${key} must be ${valid}, got "${v}"`) };
}

export const isPositiveInteger = (v: number): boolean => Number.isInteger(v) && v >= 1;

/** An integer >= 1. */
export const positiveInteger = (value: number): OptionSpec<number> =>
  number(value, (v, key) => (isPositiveInteger(v) ? undefined : `${key} must be a positive integer, got ${v}`));

/** The defaults of a schema, in its order. */
export function defaultsOf<S extends OptionSchema>(schema: S): OptionsOf<S> {
  return Object.fromEntries(Object.entries(schema).map(([key, s]) => [key, structuredClone(s.default)])) as OptionsOf<S>;
}

/** The first message of the schema's checks on resolved options (in schema order), or undefined when every value is allowed. */
export function firstProblem(schema: OptionSchema, options: Readonly<StrategyOptions>): string | undefined {
  for (const [key, s] of Object.entries(schema)) {
    const message = s.check?.(options[key], key, options);
    if (message !== undefined) return message;
  }
  return undefined;
}

/**
 * A command-line value in an option's type, by its default: a number, true/false, widths as
 * "1/2/4/8", or the text. Checked afterwards like any given option.
 */
export function parseOptionText(owner: string, key: string, value: OptionValue, given: string): OptionValue {
  const bad = (what: string) => new UsageError(`${owner} option "${key}" must be ${what}, got "${given}"`);
  const toNumber = (part: string) => {
    const n = Number(part);
    if (part.trim() === '' || !Number.isFinite(n)) throw bad(Array.isArray(value) ? 'numbers separated by / (e.g. 1/2/4/8)' : 'a number');
    return n;
  };
  if (Array.isArray(value)) return given.split('/').map(toNumber);
  if (typeof value === 'number') return toNumber(given);
  if (typeof value === 'boolean') {
    if (given !== 'true' && given !== 'false') throw bad('true or false');
    return given === 'true';
  }
  return given;
}
