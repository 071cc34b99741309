import * as tf from '@tensorflow/tfjs';
import type { VariableGroup, VariableOptimizer } from '../layers/quantizer-set.js';

/** The run's optimiser: Adam, or SGD (with momentum when `momentum` > 0). */
export interface OptimizerSettings {
  optimizer: 'sgd' | 'adam';
  learningRate: number;
  /** SGD only: heavy-ball momentum; 0 is plain SGD. */
  momentum: number;
}

export function makeOptimizer(cfg: OptimizerSettings): tf.Optimizer {
  if (cfg.optimizer === 'adam') return tf.train.adam(cfg.learningRate);
  return cfg.momentum > 0 ? tf.train.momentum(cfg.learningRate, cfg.momentum) : tf.train.sgd(cfg.learningRate);
}

/** The learning rate and optimiser a strategy's group asks for, given the run's settings and planned steps. */
function groupOptimizer(rule: VariableOptimizer, run: OptimizerSettings, plannedSteps: number): tf.Optimizer {
  if (rule.kind === 'run') return makeOptimizer({ ...run, learningRate: run.learningRate * rule.lrScale });
  const lr = 'kappa' in rule.learningRate ? rule.learningRate.kappa / plannedSteps : rule.learningRate.multiplier * run.learningRate;
  return rule.kind === 'adam' ? tf.train.adam(lr) : tf.train.sgd(lr);
}

/** Every trainable variable of a run, each group with its own optimiser. */
export interface Optimization {
  groups: { optimizer: tf.Optimizer; variables: tf.Variable[] }[];
  /** All of them: the model's, then the strategy's groups' in order. */
  variables: tf.Variable[];
  dispose(): void;
}

/**
 * The model's weights on the run's optimiser; each of the strategy's groups on the optimiser it
 * asks for. `plannedSteps` (epochs x batches per epoch) sets the learning rate of kappa rules.
 */
export function createOptimization(run: OptimizerSettings, modelVariables: tf.Variable[], strategyGroups: VariableGroup[], plannedSteps: number): Optimization {
  const groups = [
    { optimizer: makeOptimizer(run), variables: modelVariables },
    ...strategyGroups.map((g) => ({ optimizer: groupOptimizer(g.optimizer, run, Math.max(1, plannedSteps)), variables: g.variables })),
  ];
  return {
    groups,
    variables: groups.flatMap((g) => g.variables),
    dispose: () => groups.forEach((g) => g.optimizer.dispose()),
  };
}

/** One step: the gradients of `loss` for every variable, each group updated by its own optimiser. Returns the loss. */
export function minimize(optimization: Optimization, loss: () => tf.Scalar): tf.Scalar {
  const { value, grads } = tf.variableGrads(loss, optimization.variables);
  for (const { optimizer, variables } of optimization.groups) optimizer.applyGradients(Object.fromEntries(variables.map((v) => [v.name, grads[v.name]])));
  tf.dispose(grads);
  return value;
}
