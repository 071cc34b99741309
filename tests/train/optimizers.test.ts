import * as tf from '@tensorflow/tfjs';
import { describe, expect, it } from 'vitest';
import { getStrategy, resolveStrategyOptions } from '../../src/strategy/registry.js';
import type { LayerSpec } from '../../src/layers/layer.js';
import type { VariableGroup, VariableOptimizer } from '../../src/layers/quantizer-set.js';
import { createOptimization, minimize, type OptimizerSettings } from '../../src/train/optimizers.js';
import { plainContext } from '../helpers.js';

const SGD: OptimizerSettings = { optimizer: 'sgd', learningRate: 0.1, momentum: 0 };

/** How far one step moves a variable whose loss is gradient * v: the step's learning rate times the gradient. */
function firstStep(rule: VariableOptimizer, plannedSteps: number, run: OptimizerSettings = SGD): number {
  const weight = tf.variable(tf.scalar(0));
  const strength = tf.variable(tf.scalar(0));
  const groups: VariableGroup[] = [{ name: 'strength', variables: [strength], optimizer: rule }];
  const optimization = createOptimization(run, [weight], groups, plannedSteps);
  minimize(optimization, () => tf.add(tf.mul(weight, 1), tf.mul(strength, 2)) as tf.Scalar).dispose();
  const moved = -strength.dataSync()[0];
  expect(weight.dataSync()[0]).toBeCloseTo(-run.learningRate, 6); // the model's variables stay on the run's optimiser
  optimization.dispose();
  return moved;
}

describe('optimisers per variable group', () => {
  it('kappa rules step at kappa / T, multipliers at a multiple of the run rate, run rules at a scale of it', () => {
    expect(firstStep({ kind: 'sgd', learningRate: { kappa: 3 } }, 600)).toBeCloseTo((3 / 600) * 2, 7);
    expect(firstStep({ kind: 'sgd', learningRate: { multiplier: 4 } }, 600)).toBeCloseTo(0.4 * 2, 6);
    expect(firstStep({ kind: 'run', lrScale: 0.5 }, 600)).toBeCloseTo(0.05 * 2, 6);
  });

  it("a run rule uses the run's optimiser kind: SGD with momentum accelerates on the second step", () => {
    const v = tf.variable(tf.scalar(0));
    const optimization = createOptimization(
      { optimizer: 'sgd', learningRate: 0.1, momentum: 0.9 },
      [],
      [{ name: 'v', variables: [v], optimizer: { kind: 'run', lrScale: 1 } }],
      10,
    );
    const positions = [0, 1].map(() => {
      minimize(optimization, () => tf.mul(v, 1) as tf.Scalar).dispose();
      return v.dataSync()[0];
    });
    expect(positions[0]).toBeCloseTo(-0.1, 6);
    expect(positions[1]).toBeCloseTo(-0.1 - 0.19, 6); // velocity 0.9 * 1 + 1
    optimization.dispose();
  });

  it('with Adam at kappa / T a variable under a steady gradient travels about kappa in T steps, whatever T', () => {
    for (const steps of [50, 400]) {
      const s = tf.variable(tf.scalar(0));
      const optimization = createOptimization(SGD, [], [{ name: 's', variables: [s], optimizer: { kind: 'adam', learningRate: { kappa: 0.5 } } }], steps);
      for (let i = 0; i < steps; i++) minimize(optimization, () => tf.mul(s, -1e-4) as tf.Scalar).dispose();
      expect(s.dataSync()[0]).toBeCloseTo(0.5, 2);
      optimization.dispose();
    }
  });
});

describe("nmp-qat's strength optimiser options", () => {
  const nmp = getStrategy('nmp-qat');
  const layers: LayerSpec[] = [
    { name: 'fc1', fanIn: 5, fanOut: 4, activation: { width: 4, signed: false }, input: null, rowsPerSample: 1 },
    { name: 'out', fanIn: 4, fanOut: 2, activation: null, input: 0, rowsPerSample: 1 },
  ];
  const groups = (options = {}) =>
    nmp.create(resolveStrategyOptions(nmp, options), plainContext(layers)).trainable.map((g) => [g.name, g.variables.length, g.optimizer]);

  it('defaults: strengths on Adam at kappa 3 / T (weights and activations), clip levels on the run optimiser', () => {
    expect(groups()).toEqual([
      ['weight strengths', 2, { kind: 'adam', learningRate: { kappa: 3 } }],
      ['activation strengths', 1, { kind: 'adam', learningRate: { kappa: 3 } }],
      ['clip levels', 1, { kind: 'run', lrScale: 1 }],
    ]);
  });

  it('shared: the first reconstruction, strengths with the weights; a multiplier; per-kind kappas; a clip scale', () => {
    expect(groups({ strengthOptimizer: 'shared', clipLrScale: 0.1 }).map((g) => g[2])).toEqual([
      { kind: 'run', lrScale: 1 },
      { kind: 'run', lrScale: 1 },
      { kind: 'run', lrScale: 0.1 },
    ]);
    expect(groups({ strengthLrMultiplier: 10 })[0][2]).toEqual({ kind: 'adam', learningRate: { multiplier: 10 } });
    expect(
      groups({ strengthOptimizer: 'sgd', weightStrengthKappa: 1, activationStrengthKappa: 5 })
        .slice(0, 2)
        .map((g) => g[2]),
    ).toEqual([
      { kind: 'sgd', learningRate: { kappa: 1 } },
      { kind: 'sgd', learningRate: { kappa: 5 } },
    ]);
  });

  it('rejects bad values with one line naming the option', () => {
    expect(() => resolveStrategyOptions(nmp, { strengthOptimizer: 'rmsprop' })).toThrow(
      'nmp-qat: strengthOptimizer must be one of adam, sgd, shared, got "rmsprop"',
    );
    expect(() => resolveStrategyOptions(nmp, { weightStrengthKappa: 0 })).toThrow(/weightStrengthKappa and activationStrengthKappa must be positive/);
    expect(() => resolveStrategyOptions(nmp, { weightQuantizer: 'uniform' })).toThrow(
      'nmp-qat: weightQuantizer must be one of mid-rise, symmetric-max, got "uniform"',
    );
    expect(() => resolveStrategyOptions(nmp, { stepRefinements: 0 })).toThrow('nmp-qat: stepRefinements must be an integer >= 1, got 0');
  });
});
