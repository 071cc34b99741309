import { DataError } from './csv.js';
import type { DatasetDefinition } from './types.js';

/** The targetMap entry that labels every raw value the map does not list. */
export const ANY_VALUE = '*';

/** A raw target cell's class label: the cell itself, or its targetMap entry (e.g. attack names -> "attack"). */
export function targetLabeler(def: Pick<DatasetDefinition, 'name' | 'targetMap'>): (cell: string) => string {
  const map = def.targetMap;
  if (!map) return (cell) => cell;
  return (cell) => {
    const label = map[cell] ?? map[ANY_VALUE];
    if (label === undefined)
      throw new DataError(`dataset "${def.name}": field "targetMap" has no entry for the target value "${cell}" (add it, or "${ANY_VALUE}")`);
    return label;
  };
}
