import type { Strategy } from '../src/strategy/types.js';
import { nmpQat } from './nmp-qat.js';

/** The NMP-QAT surrogate with one learned strength per layer (weights and activations): the same code at a coarser grain. */
export const layerWise: Strategy<typeof nmpQat.options> = {
  ...nmpQat,
  name: 'layer-wise',
  summary: 'layer-level learned mixed precision: the NMP-QAT surrogate with one strength per layer',
  options: { ...nmpQat.options, grain: { ...nmpQat.options.grain, default: 'layer' } },
};
