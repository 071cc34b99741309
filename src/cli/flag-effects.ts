/** Flags that a run matrix makes pointless: each gets one warning line, so a typo'd experiment is not silently the default one. */
import { declaresPretraining } from '../run/matrix.js';
import type { RunSpec } from '../run/types.js';
import { getStrategy } from '../strategy/registry.js';

export interface EffectFlags {
  budget?: string;
  init?: string;
  pretrain?: string;
}

const labels = (specs: readonly RunSpec[], of: (spec: RunSpec) => string) => [...new Set(specs.map(of))].join(', ');

/** The warnings for `flags` given the matrix they built (empty: every flag given changes some run). */
export function flagWarnings(flags: EffectFlags, specs: readonly RunSpec[]): string[] {
  const strategies = labels(specs, (s) => s.strategy.label);
  const models = labels(specs, (s) => s.model.label);
  const pretraining = specs.some((s) => declaresPretraining(s.model.options));
  const warnings: string[] = [];
  if (flags.budget !== undefined && !specs.some((s) => s.strategy.budget))
    warnings.push(`--budget ${flags.budget} has no effect: none of the strategies run (${strategies}) takes a budget`);
  if (flags.pretrain !== undefined && !pretraining) warnings.push(`--pretrain ${flags.pretrain} has no effect: none of the models run (${models}) pretrains`);
  if (flags.init === 'pretrained' && specs.every((s) => getStrategy(s.strategy.name).requiresPretrained))
    warnings.push(`--init pretrained has no effect: every strategy run (${strategies}) starts from the FP32 checkpoint anyway`);
  if (flags.init === 'pretrained' && flags.pretrain === 'off' && pretraining)
    warnings.push('--init pretrained with --pretrain off: runs start from FP32 checkpoints trained without masked-cell pretraining');
  return warnings;
}
