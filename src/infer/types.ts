import type { QnnModel } from './format.js';

/** The integer-arithmetic forward pass of one model kind (the header's `model`). */
export interface QnnKind {
  name: string;
  /** Raw outputs [n, outputs] (logits, or the standardised regression value) of feature rows x [n, features]. */
  forward(model: QnnModel, x: Float32Array, n: number): Float64Array;
}
