import { packedBits } from '../quant/packing.js';
import { rowLayout } from '../precision/row-layout.js';
import { FLOAT_BITS, type LayerBits, type LayerSpec } from '../layers/layer.js';

/** One bit-budget definition for every strategy (README, "Bit budget"). */
export interface BitBudget {
  /** sum b_j d_in / sum d_in over all quantizable layers. */
  avgWeightBits: number;
  /** Mean over activation-site columns of their bits (float counts as 32); null without any site. */
  avgActivationBits: number | null;
  /** Bytes of the exported payload: the packed weight stream (quant/packing.ts), per-neuron (or per-row) metadata and biases. */
  modelBytes: number;
  fp32Bytes: number;
  compressionRatio: number;
  /**
   * Per sample: over layers, rows per sample x (sum_i input bits) x (sum_j weight bits), plus
   * products of two float activations (a transformer's attention) at 32 x 32 bits.
   */
  bitops: number;
}

const CODE_BYTES = 1;
const FLOAT_BYTES = 4;
/** Per quantized neuron (or input row): an fp32 scale (or clip level) and a one-byte bit code. */
const NEURON_METADATA_BYTES = CODE_BYTES + FLOAT_BYTES;

const sum = (xs: number[]) => xs.reduce((a, b) => a + b, 0);

/** The bits of each input column of a layer: its input site's, or float. */
function inputBitsOf(layers: LayerSpec[], bits: LayerBits[], l: number): number[] {
  const { input, fanIn, name } = layers[l];
  const site = input === null ? null : bits[input].activation;
  if (!site) return new Array(fanIn).fill(FLOAT_BITS);
  if (site.length !== fanIn) throw new Error(`${name}: its input site has ${site.length} columns for ${fanIn} inputs`);
  return site;
}

/** `floatMacs`: multiply-accumulates per sample between two float activations (Model.floatMacs). */
export function bitBudget(layers: LayerSpec[], bits: LayerBits[], floatMacs = 0): BitBudget {
  let weightBits = 0;
  // Differs from weightBits only for ternary, stored at 1.6 bits a weight (quant/packing.ts).
  let storedBits = 0;
  let weightCount = 0;
  let metadataBytes = 0;
  let bitops = floatMacs * FLOAT_BITS * FLOAT_BITS;
  const activationBits: number[] = [];

  layers.forEach((layer, l) => {
    const { weight, weightRows, activation } = bits[l];
    const inputBits = inputBitsOf(layers, bits, l);
    weightCount += layer.fanIn * layer.fanOut;
    const rows = rowLayout(bits[l]);
    if (weightRows && rows) {
      // Per input row: each row's width covers fanOut weights. A quantized row has a width code;
      // a row with its own scale is stored row by row, with its scale; the rows sharing
      // per-neuron scales are stored neuron by neuron, with a width code and scale per neuron.
      weightBits += sum(weightRows) * layer.fanOut;
      storedBits += sum(rows.ownBits.map((b) => packedBits(b, layer.fanOut)));
      metadataBytes += weightRows.filter((b) => b < FLOAT_BITS).length * CODE_BYTES;
      metadataBytes += rows.ownBits.filter((b) => b < FLOAT_BITS).length * FLOAT_BYTES;
      if (rows.neuronBits !== null) storedBits += layer.fanOut * packedBits(rows.neuronBits, rows.neuronRows.length);
      if (rows.neuronBits !== null && rows.neuronBits < FLOAT_BITS) metadataBytes += layer.fanOut * NEURON_METADATA_BYTES;
      bitops += layer.rowsPerSample * sum(weightRows.map((b, i) => inputBits[i] * b)) * layer.fanOut;
    } else {
      weightBits += sum(weight) * layer.fanIn;
      storedBits += sum(weight.map((b) => packedBits(b, layer.fanIn)));
      metadataBytes += weight.filter((b) => b < FLOAT_BITS).length * NEURON_METADATA_BYTES;
      bitops += layer.rowsPerSample * sum(inputBits) * sum(weight);
    }
    metadataBytes += (activation ?? []).filter((b) => b < FLOAT_BITS).length * NEURON_METADATA_BYTES;
    if (activation) activationBits.push(...activation);
  });

  const biasBytes = sum(layers.map((l) => l.fanOut)) * FLOAT_BYTES;
  const modelBytes = Math.ceil(storedBits / 8) + metadataBytes + biasBytes;
  const fp32Bytes = weightCount * FLOAT_BYTES + biasBytes;
  return {
    avgWeightBits: weightBits / weightCount,
    avgActivationBits: activationBits.length ? sum(activationBits) / activationBits.length : null,
    modelBytes,
    fp32Bytes,
    compressionRatio: fp32Bytes / modelBytes,
    bitops,
  };
}
