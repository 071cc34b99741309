import type { QnnLayer } from '../infer/format.js';
import type { Model } from '../model/types.js';
import type { LayerBits } from '../layers/layer.js';

/** Turns one kind of trained model (a model registry name) into the discrete export format. */
export interface ModelExporter {
  name: string;
  /** The layers and binary sections of the model at its final widths; throws a one-line Error for what the format cannot hold. */
  export(model: Model, bits: LayerBits[]): { layers: QnnLayer[]; sections: Record<string, Uint8Array> };
}
