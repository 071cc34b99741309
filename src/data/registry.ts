import { DataError } from './csv.js';
import { builtinDatasets } from './definitions.js';
import { Registry } from '../registry.js';
import type { DatasetDefinition } from './types.js';

/** Checks a definition on its own (no file access); a mistake here would silently leak or drop a feature. */
function validateDefinition(def: DatasetDefinition): void {
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
}

const datasets = new Registry<DatasetDefinition>('dataset', builtinDatasets, validateDefinition);

export const registerDataset = (def: DatasetDefinition): void => datasets.register(def);
export const datasetNames = (): string[] => datasets.names();
export const getDataset = (name: string): DatasetDefinition => datasets.get(name);
