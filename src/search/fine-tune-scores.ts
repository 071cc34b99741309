import type { ModelProbe } from '../strategy/types.js';
import { type OptionsOf, positiveInteger } from '../strategy/options.js';
import type { SearchedWidthOptions } from '../strategy/shared-options.js';
import { layerWidthQuantizers } from './layer-widths.js';

/** Quality relative to FP32: accuracy / FP32 accuracy, or FP32 error / error. */
export function qualityRatio(metric: number, reference: { metric: number; higherIsBetter: boolean }): number {
  return reference.higherIsBetter ? metric / reference.metric : reference.metric / metric;
}

/** The size of the short QAT fine-tune that scores a configuration (releq, ppso). */
export const FINE_TUNE_OPTIONS = {
  /** Each candidate configuration is scored by a QAT fine-tune of this many epochs... */
  fineTuneEpochs: positiveInteger(2),
  /** ...on this many training rows. */
  fineTuneRows: positiveInteger(2048),
};

export type FineTuneSize = OptionsOf<typeof FINE_TUNE_OPTIONS>;

/**
 * Scores per-layer width configurations by the quality ratio of a short QAT fine-tune (NaN: it
 * diverged). A fine-tune is deterministic, so a configuration seen before is not fine-tuned again.
 */
export function fineTuneScorer(probe: ModelProbe, o: SearchedWidthOptions & FineTuneSize) {
  const scores = new Map<string, number>();
  return {
    score(bits: number[]): number {
      const key = bits.join(',');
      if (!scores.has(key)) {
        const metric = probe.fineTune((layers) => layerWidthQuantizers(layers, bits, o), { epochs: o.fineTuneEpochs, rows: o.fineTuneRows });
        scores.set(key, qualityRatio(metric, probe.reference));
      }
      return scores.get(key)!;
    },
    /** Distinct configurations fine-tuned so far. */
    get fineTunes(): number {
      return scores.size;
    },
  };
}
