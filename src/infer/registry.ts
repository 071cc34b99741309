import { Registry } from '../registry.js';
import { mlpInference } from './mlp.js';
import type { QnnKind } from './types.js';

/** One integer forward pass per exported model kind; a new model registers its own beside its exporter. */
const kinds = new Registry<QnnKind>('exported model kind', [mlpInference]);

export const registerQnnKind = (kind: QnnKind): void => kinds.register(kind);
export const getQnnKind = (name: string): QnnKind => kinds.get(name);
