import { DataError } from './csv.js';
import { Registry } from '../registry.js';
import type { DatasetDefinition } from './types.js';

/** A one-hot group is a run of numeric columns, in feature order, so that it is one span of the feature matrix. */
function oneHotProblem(def: DatasetDefinition): string | undefined {
  const grouped = new Set<string>();
  for (const [name, columns] of Object.entries(def.oneHotGroups ?? {})) {
    const start = def.numeric.indexOf(columns[0]);
    const twice = columns.find((col) => grouped.has(col));
    if (twice !== undefined) return `column "${twice}" is in two one-hot groups`;
    columns.forEach((col) => grouped.add(col));
    const notNumeric = columns.find((col) => !def.numeric.includes(col));
    if (notNumeric !== undefined) return `one-hot group "${name}": column "${notNumeric}" is not among the numeric columns`;
    if (columns.some((col, i) => def.numeric[start + i] !== col))
      return `one-hot group "${name}": its columns must follow one another in "numeric", in this order`;
  }
  return undefined;
}

/** Checks a definition on its own (no file access); a mistake here would silently leak or drop a feature. */
export function validateDefinition(def: DatasetDefinition): void {
  const fail = (problem: string): never => {
    throw new DataError(`dataset "${def.name}": ${problem}`);
  };
  const features = [...def.numeric, ...def.categorical];
  if (features.length === 0) fail('has no feature columns');
  const seen = new Set<string>();
  for (const col of features) {
    if (seen.has(col)) fail(`column "${col}" is listed twice among the features`);
    seen.add(col);
  }
  if (seen.has(def.target)) fail(`target "${def.target}" is also a feature`);
  if (def.never.includes(def.target)) fail(`target "${def.target}" is listed in never`);
  const forbidden = def.never.filter((col) => seen.has(col));
  if (forbidden.length > 0) fail(`never-column(s) used as features: ${forbidden.join(', ')}`);
  if (def.split.kind === 'stratified' && def.task !== 'classification') fail('a stratified split needs a classification task');
  if (def.split.kind === 'time-blocks' && !(Number.isInteger(def.split.blockRows) && def.split.blockRows > 0)) {
    fail(`blockRows must be a positive integer, got ${def.split.blockRows}`);
  }
  if (def.targetMap && def.task !== 'classification') fail('field "targetMap" needs a classification task');
  if (def.sampling === 'stratified' && def.task !== 'classification') fail('field "sampling": stratified needs a classification task');
  const oneHot = oneHotProblem(def);
  if (oneHot) fail(`field "oneHotGroups": ${oneHot}`);
}

/** Filled by the entry points' catalog from data/ and by --dataset files. */
const datasets = new Registry<DatasetDefinition>('dataset', [], validateDefinition);

export const registerDataset = (def: DatasetDefinition): void => datasets.register(def);
export const datasetNames = (): string[] => datasets.names();
export const getDataset = (name: string): DatasetDefinition => datasets.get(name);
