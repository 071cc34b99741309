import type { SuiteDefinition } from '../src/run/types.js';
import { paper } from './paper.js';
import { reconstruction } from './reconstruction.js';
import { smoke } from './smoke.js';
import { tabular } from './tabular.js';
import { telecom } from './telecom.js';

/** The built-in suites, in the order `list` and the usage messages show them. A new suite: one file here and one entry. */
export const SUITES: readonly SuiteDefinition[] = [telecom, tabular, smoke, paper, reconstruction];
