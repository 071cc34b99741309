import { QNN_FORMAT, QNN_VERSION, type QnnModel } from '../infer/format.js';
import type { Model } from '../model/types.js';
import { Registry } from '../registry.js';
import { mlpExporter } from './mlp.js';
import type { RunModelMeta } from './run-model.js';
import type { ModelExporter } from './types.js';

/** One exporter per model kind; a new model registers its own. */
const exporters = new Registry<ModelExporter>('exporter for model', [mlpExporter]);

export const registerExporter = (exporter: ModelExporter): void => exporters.register(exporter);

/** The discrete model of a run, ready to write: trained weights at their final widths, plus how to read raw rows. */
export function toQnn(meta: RunModelMeta, model: Model): QnnModel {
  const { layers, sections } = exporters.get(meta.model.name).export(model, meta.bits);
  const { runId, task, target, classes, targetScale, preprocessing } = meta;
  return {
    header: { format: QNN_FORMAT, version: QNN_VERSION, model: meta.model.name, runId, task, target, classes, targetScale, preprocessing, layers },
    sections,
  };
}
