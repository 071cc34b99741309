import type { Strategy } from '../src/strategy/types.js';
import { channelWise } from './channel-wise.js';
import { fp32 } from './fp32.js';
import { hawq } from './hawq.js';
import { layerWise } from './layer-wise.js';
import { nmpQat } from './nmp-qat.js';
import { owq } from './owq.js';
import { ppso } from './ppso.js';
import { releq } from './releq.js';
import { uniform } from './uniform.js';

/** The built-in strategies, in the order `list` shows them. A new strategy: one file in baselines/ and one entry here. */
export const STRATEGIES: readonly Strategy[] = [fp32, uniform, layerWise, channelWise, hawq, releq, ppso, owq, nmpQat];
