/** Types at the seam between the data stage and the training core. */

export type Task = 'classification' | 'regression';

/** How rows are divided into train / validation / test. */
export type SplitSpec =
  | { kind: 'stratified' } // classification: per-class shuffle with the split seed
  | { kind: 'random' } // regression: plain shuffle with the split seed
  | { kind: 'time-blocks'; orderBy: string; blockRows: number } // contiguous blocks, assigned at random
  | { kind: 'grouped'; groupBy: string }; // whole groups go to one split

/** One dataset, declared once. Everything the loader needs, nothing it must guess. */
export interface DatasetDefinition {
  name: string;
  description: string;
  /** The data file (.csv or .csv.gz): an absolute path, or relative to the data directory (LoadOptions.dataDir). */
  file: string;
  task: Task;
  target: string;
  numeric: string[];
  categorical: string[];
  /** Columns that must never be features (ids, outcomes, timestamps). Checked against numeric/categorical. */
  never: string[];
  /** Cell values that mean "missing" besides the empty string. */
  missing: string[];
  /** Rows whose target equals one of these values (after trimming) are dropped. */
  dropTargetValues?: string[];
  /** Classification: raw target value -> class label; "*" labels every value not listed. */
  targetMap?: Record<string, string>;
  /** Name -> consecutive numeric 0/1 columns that form one categorical feature (one token for a transformer). */
  oneHotGroups?: Record<string, string[]>;
  /** How a row cap samples; default stratified for classification, random for regression. */
  sampling?: Sampling;
  split: SplitSpec;
}

/** Row caps: per class, so that a rare class keeps its rows, or uniformly at random. */
export type Sampling = 'stratified' | 'random';

/** A feature matrix (row-major, n x nFeatures) and targets for one split. */
export interface SplitData {
  n: number;
  x: Float32Array;
  /** Class index (classification) or standardised target (regression). */
  y: Float32Array;
}

/** How one raw column becomes features, fitted on the training split. Plain JSON: an exported model carries it. */
export type FeatureTransform =
  /** z-score with the training mean and population std; a missing cell gets the training median (and, with an indicator, a 1). */
  | { kind: 'numeric'; column: string; mean: number; std: number; median: number; missingIndicator: boolean }
  /** One-hot over the training categories in this order; an unseen category is all zeros. */
  | { kind: 'categorical'; column: string; categories: string[] };

/** The feature columns one raw column became: 1 (numeric), 2 (numeric with a missing indicator) or one per category. */
export interface FeatureGroup {
  name: string;
  kind: FeatureTransform['kind'];
  columns: number;
}

/** Everything that turns a raw row into model features, in feature order. */
export interface FittedPreprocessing {
  /** Cell values that mean "missing" besides the empty string. */
  missing: string[];
  transforms: FeatureTransform[];
  /** Consecutive numeric transforms that are one categorical feature (absent when a dataset declares none). */
  oneHotGroups?: { name: string; columns: string[] }[];
}

export interface PreparedDataset {
  name: string;
  task: Task;
  target: string;
  /** Feature names after preprocessing (one-hot and missing-indicator columns expanded). */
  featureNames: string[];
  /** Classification: label strings in class-index order. */
  classes: string[];
  /** Regression: y_standardised = (y - mean) / std, fitted on the training split. */
  targetScale: { mean: number; std: number } | null;
  /** The fitted feature preprocessing, to score raw rows the same way. */
  preprocessing: FittedPreprocessing;
  train: SplitData;
  val: SplitData;
  test: SplitData;
  /** sha256 of the data file's bytes, as stored. */
  sha256: string;
  /** The data file's name (without its directory). */
  file: string;
  /** What the definition asks beyond columns and split, for the config hash: only what is set, so older hashes hold. */
  preparation: Record<string, unknown>;
  /** Things a user should know about the rows in use (e.g. a class too rare to reach every split). */
  warnings: string[];
  /** Rows used (after dropping and --max-rows) and rows in the file. */
  rowsUsed: number;
  rowsInFile: number;
}

export interface LoadOptions {
  /** Cap on rows, sampled with the split seed before splitting. */
  maxRows?: number;
  splitSeed: number;
  /** Fractions for train / val / test; default 0.7 / 0.15 / 0.15. */
  fractions?: [number, number, number];
  /** Directory holding the data files; default: the project's data/ folder. */
  dataDir?: string;
}
