import { describe, expect, it } from 'vitest';
import { loadDataset } from '../../src/data/load.js';
import { datasetNames, getDataset } from '../../src/data/registry.js';

// Every row of each file: the big gz files take seconds each, so this is an integration test.
const CAP = 2000;

describe.each(datasetNames())('dataset %s in full against its row cap', (name) => {
  it('the cap takes min(cap, rows) rows, and a stratified cap keeps every class of the file', async () => {
    const def = getDataset(name);
    const capped = await loadDataset(name, { splitSeed: 7, maxRows: CAP });
    const all = await loadDataset(name, { splitSeed: 7 });
    expect(capped.rowsUsed).toBe(Math.min(CAP, all.rowsUsed));
    // A random cap (the built-ins' pinned sampling) may lose a rare class; a stratified one may not.
    if (all.task === 'classification' && def.sampling !== 'random') expect(capped.classes).toEqual(all.classes);
  });
});
