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

/** One run of a matrix: what it computes (its config hash covers all of it but the seed and the labels). */
export interface RunSpec {
  suite: string;
  profile: string;
  dataset: string;
  model: { label: string; name: string; options: ModelOptions };
  /** The suite's label, the registered name, every option resolved, and the budget parsed from them (null: none). */
  strategy: { label: string; name: string; options: StrategyOptions; budget: BudgetRequest | null };
  seed: number;
  protocol: Omit<Protocol, 'seeds'>;
}

/**
 * A run's budget as requested (Strategy.budget, its "budget" option or --budget), parsed once when
 * the matrix is built: a target average weight width, or the width another strategy reached on
 * the same dataset, model and seed. `text` is what was asked, as recorded in budget_requested.
 */
export type BudgetRequest = { text: string; bits: number } | { text: string; match: string };

/** What the runner resolved a run's budget to, handed to the run: the target bits (null: none), or why it has none (the run fails with it). */
export type ResolvedBudget = { bits: number | null } | { error: string };
