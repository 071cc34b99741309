import { reconstruction } from '../../suites/reconstruction.js';
import { smoke } from '../../suites/smoke.js';
import { tabular } from '../../suites/tabular.js';
import { telecom } from '../../suites/telecom.js';
import { Registry } from '../registry.js';
import type { SuiteDefinition } from './types.js';

const suites = new Registry<SuiteDefinition>('suite', [telecom, tabular, smoke, reconstruction]);

export const suiteNames = (): string[] => suites.names();
export const getSuite = (name: string): SuiteDefinition => suites.get(name);

/** The reference strategy of a registered suite; undefined for a suite this build does not know. */
export const suiteReference = (name: string): string | undefined => (suites.names().includes(name) ? suites.get(name).reference : undefined);
