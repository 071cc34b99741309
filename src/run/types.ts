import type { ModelOptions } from '../model/types.js';
import type { Claim } from '../results/claims.js';
import type { StrategyOptions } from '../strategy/options.js';
import type { TrainConfig } from '../train/trainer.js';

/** A strategy as a suite uses it: a label unique in the suite, the registered name, and options. */
export interface StrategyEntry {
  label: string;
  strategy: string;
  options?: Partial<StrategyOptions>;
}

export interface ModelEntry {
  label: string;
  model: string;
  options?: ModelOptions;
}

/** Everything about how a run trains and splits its data, except the run seed. */
export interface Protocol extends TrainConfig {
  /** Run seeds: model initialisation and batch order. */
  seeds: number[];
  /** Seed of the train/val/test split (and of --max-rows sampling), separate from run seeds. */
  splitSeed: number;
  /** Cap on rows per dataset; null: all rows. */
  maxRows: number | null;
  /** Start QAT from random weights or from the trained FP32 checkpoint (search strategies always use the checkpoint). */
  init: 'scratch' | 'pretrained';
}

export interface Profile {
  name: string;
  description: string;
  protocol: Protocol;
  /** Model options this profile sets, per model name (e.g. the MLP's depth and width). */
  models: Record<string, ModelOptions>;
}

/** A suite: datasets x models x strategies x seeds under a protocol. */
export interface SuiteDefinition {
  name: string;
  description: string;
  datasets: string[];
  models: ModelEntry[];
  strategies: StrategyEntry[];
  /** Label of the strategy the summary tests every other against (paired over seeds). */
  reference?: string;
  /** Overrides applied on top of the chosen profile (e.g. the smoke suite's few epochs). */
  protocol?: Partial<Protocol>;
  /** What the suite's sources claim, in its labels: the report gives each a verdict on the runs (claims.arrow). */
  claims?: Claim[];
}
