import { registerStrategy } from '../src/strategy/registry.js';
import { fp32 } from './fp32.js';
import { nmpQat } from './nmp-qat.js';
import { uniform } from './uniform.js';

/** The built-in strategies. A new strategy: one file in baselines/ and one line here. */
registerStrategy(fp32);
registerStrategy(uniform);
registerStrategy(nmpQat);
