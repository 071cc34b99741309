import { cpSync, existsSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { exportRun } from '../../src/export/export-run.js';
import { runModelPath } from '../../src/export/run-model.js';

/** The committed smoke results: runs.arrow and a saved model of each run. */
const SMOKE = 'results/smoke';

describe('export checks the saved model against its run', () => {
  it("refuses a model file that holds another run's model: the recomputed test metric differs from runs.arrow", async () => {
    const dir = mkdtempSync(join(tmpdir(), 'qb-swapped-'));
    const [own, other] = ['churn.mlp.fp32.s1.e05af66075', 'churn.mlp.fp32.s2.e05af66075'];
    cpSync(join(SMOKE, 'runs.arrow'), join(dir, 'runs.arrow'));
    cpSync(runModelPath(SMOKE, other), runModelPath(dir, own));
    const model = runModelPath(dir, own);
    await expect(exportRun(own, join(dir, 'm.qnn.json'), dir)).rejects.toThrow(
      new Error(
        `${model}: test accuracy 0.590000 from the saved model, but runs.arrow recorded 0.770000: the model file does not hold that run's model; not written`,
      ),
    );
    expect(existsSync(join(dir, 'm.qnn.json'))).toBe(false);
  });
});
