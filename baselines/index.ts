import { registerStrategy } from '../src/strategy/registry.js';
import { channelWise } from './channel-wise.js';
import { fp32 } from './fp32.js';
import { hawq } from './hawq.js';
import { layerWise } from './layer-wise.js';
import { nmpQat } from './nmp-qat.js';
import { ppso } from './ppso.js';
import { owq } from './owq.js';
import { releq } from './releq.js';
import { uniform } from './uniform.js';

/** The built-in strategies. A new strategy: one file in baselines/ and one line here. */
registerStrategy(fp32);
registerStrategy(uniform);
registerStrategy(layerWise);
registerStrategy(channelWise);
registerStrategy(hawq);
registerStrategy(releq);
registerStrategy(ppso);
registerStrategy(owq);
registerStrategy(nmpQat);
