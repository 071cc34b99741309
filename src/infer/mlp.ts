/** Integer inference of an exported MLP: dense layers, ReLU and activation codes between them. */
import { featureNames } from '../data/preprocess.js';
import { decodeDenseLayers, denseForward, planLayer, reluActivation, type LayerInput } from './dense.js';
import type { QnnKind } from './types.js';

export const mlpInference: QnnKind = {
  name: 'mlp',
  forward(model, x, n) {
    const layers = decodeDenseLayers(model);
    const inputs = featureNames(model.header.preprocessing).length;
    layers.forEach((layer, l) => {
      const expected = l === 0 ? inputs : layers[l - 1].fanOut;
      if (layer.fanIn !== expected)
        throw new Error(`layer ${layer.name} has ${layer.fanIn} inputs, but ${l === 0 ? 'the preprocessing makes' : 'the layer before has'} ${expected}`);
      if ((layer.activation !== null) !== (model.header.layers[l].activations === 'quantized'))
        throw new Error(`layer ${layer.name}: inconsistent activation sections`);
    });
    // The features are float: only layers after a quantized activation get integer inputs.
    const plans = layers.map((layer, l) => planLayer(layer, l === 0 ? null : layers[l - 1].activation));
    const last = layers[layers.length - 1];
    const out = new Float64Array(n * last.fanOut);
    for (let r = 0; r < n; r++) {
      let input: LayerInput = { values: Float64Array.from(x.subarray(r * inputs, (r + 1) * inputs)) };
      layers.forEach((layer, l) => {
        const pre = denseForward(layer, input, plans[l]);
        if (layer === last) out.set(pre, r * last.fanOut);
        else input = reluActivation(layer, pre);
      });
    }
    return out;
  },
};
