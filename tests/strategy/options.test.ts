import { describe, expect, it } from 'vitest';
import { choice, defaultsOf, flag, number, numbers, positiveInteger, text } from '../../src/strategy/options.js';
import { getStrategy, parseStrategyOption, resolveStrategyOptions, strategyDefaults } from '../../src/strategy/registry.js';
import type { Strategy } from '../../src/strategy/types.js';

const schema = {
  rows: positiveInteger(64),
  rate: number(0.5, (v, key) => (v > 0 ? undefined : `${key} must be positive, got ${v}`)),
  widths: numbers([1, 2, 4]),
  kind: choice(['a', 'b'], 'a', 'or'),
  name: text('x'),
  on: flag(true),
};

const toy: Strategy<typeof schema> = {
  name: 'toy',
  summary: 'a schema to test',
  mixedPrecision: false,
  budget: 'match:other',
  options: schema,
  create: () => {
    throw new Error('not built in this test');
  },
};

describe('option schemas: one declaration gives defaults, types, checks and command-line parsing', () => {
  it('defaults come in the schema order, the budget first for a strategy that declares one', () => {
    expect(defaultsOf(schema)).toEqual({ rows: 64, rate: 0.5, widths: [1, 2, 4], kind: 'a', name: 'x', on: true });
    expect(Object.keys(strategyDefaults(toy))).toEqual(['budget', 'rows', 'rate', 'widths', 'kind', 'name', 'on']);
    expect(strategyDefaults(getStrategy('fp32'))).toEqual({});
    expect(Object.keys(strategyDefaults(getStrategy('uniform')))).not.toContain('budget');
    expect(strategyDefaults(getStrategy('owq')).budget).toBe('4.28');
  });

  it('a defaults object is a fresh copy: changing it leaves the schema alone', () => {
    const first = defaultsOf(schema);
    first.widths.push(8);
    expect(defaultsOf(schema).widths).toEqual([1, 2, 4]);
  });

  it('checks give one line naming the strategy, in schema order', () => {
    expect(() => resolveStrategyOptions(toy, { rows: 0 })).toThrow('toy: rows must be a positive integer, got 0');
    expect(() => resolveStrategyOptions(toy, { rate: -1 })).toThrow('toy: rate must be positive, got -1');
    expect(() => resolveStrategyOptions(toy, { kind: 'c' })).toThrow('toy: kind must be "a" or "b", got "c"');
    expect(() => resolveStrategyOptions(toy, { rows: 0, rate: -1 })).toThrow('toy: rows must be');
    expect(() => resolveStrategyOptions(toy, { on: 1 })).toThrow('strategy "toy" option "on" must be boolean, got 1');
    expect(() => resolveStrategyOptions(toy, { nope: 1 })).toThrow('strategy "toy" has no option "nope"; valid: budget, rows, rate, widths, kind, name, on');
    expect(resolveStrategyOptions(toy, { budget: '2', widths: [2] })).toEqual({
      budget: '2',
      rows: 64,
      rate: 0.5,
      widths: [2],
      kind: 'a',
      name: 'x',
      on: true,
    });
  });

  it('parses command-line text into each option type, then the schema checks it', () => {
    expect(parseStrategyOption(toy, 'rate', '0.1')).toBe(0.1);
    expect(parseStrategyOption(toy, 'widths', '1/2/8')).toEqual([1, 2, 8]);
    expect(parseStrategyOption(toy, 'on', 'false')).toBe(false);
    expect(parseStrategyOption(toy, 'kind', 'b')).toBe('b');
    expect(parseStrategyOption(toy, 'budget', 'match:nmp-qat')).toBe('match:nmp-qat');
    expect(() => parseStrategyOption(toy, 'rate', 'fast')).toThrow('strategy "toy" option "rate" must be a number, got "fast"');
    expect(() => parseStrategyOption(toy, 'widths', '1//2')).toThrow('must be numbers separated by / (e.g. 1/2/4/8), got "1//2"');
    expect(() => parseStrategyOption(toy, 'on', 'yes')).toThrow('must be true or false, got "yes"');
    expect(() => parseStrategyOption(toy, 'nope', '1')).toThrow('has no option "nope"');
    const nmp = getStrategy('nmp-qat');
    expect(resolveStrategyOptions(nmp, { tau: parseStrategyOption(nmp, 'tau', '0.1') as number }).tau).toBe(0.1);
    expect(() => resolveStrategyOptions(nmp, { tau: parseStrategyOption(nmp, 'tau', '0') as number })).toThrow('nmp-qat: tau must be positive');
  });

  it('layer-wise is nmp-qat at the layer grain: the same schema, one default changed, its own name in messages', () => {
    const layerWise = getStrategy('layer-wise');
    const nmp = getStrategy('nmp-qat');
    expect(strategyDefaults(layerWise)).toEqual({ ...strategyDefaults(nmp), grain: 'layer' });
    expect(Object.keys(strategyDefaults(layerWise))).toEqual(Object.keys(strategyDefaults(nmp)));
    expect(() => resolveStrategyOptions(layerWise, { tau: 0 })).toThrow('layer-wise: tau must be positive');
  });
});
