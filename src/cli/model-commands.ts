/** `qatbench export` and `qatbench predict`: the discrete model out of a results directory, and scoring with it. */
import { writeFileSync } from 'node:fs';
import { BACKEND_CHOICES, type BackendChoice, initBackend } from '../backend.js';
import { DataError } from '../data/csv.js';
import { UsageError } from '../errors.js';
import { exportRun } from '../export/export-run.js';
import { scoreCsv } from '../infer/predict.js';
import { readQnn } from '../infer/qnn-file.js';

export async function exportCommand(args: { run: string; out: string; results?: string; backend: string }, log: (line: string) => void): Promise<void> {
  if (!BACKEND_CHOICES.includes(args.backend as BackendChoice)) throw new UsageError(`unknown backend "${args.backend}"; valid: ${BACKEND_CHOICES.join(', ')}`);
  await initBackend(args.backend as BackendChoice);
  const { run, payloadBytes, check, file } = await exportRun(args.run, args.out, args.results);
  const agreement = check.maxRelativeDifference === null ? 'the same class' : `max relative difference ${check.maxRelativeDifference.toExponential(1)}`;
  log(`${file}: ${payloadBytes} bytes of model (the run's model_bytes), ${run.avg_weight_bits?.toFixed(2)} average weight bits`);
  log(
    `integer inference = fake-quant model on all ${check.rows} test rows (${agreement}); test ${check.metric.name} ${check.metric.value.toPrecision(6)} (runs.arrow: ${run.test_metric?.toPrecision(6)})`,
  );
}

/** One CSV field, quoted when it holds a comma, quote or line break. */
function csvField(value: string | number): string {
  const text = String(value);
  return /[",\r\n]/.test(text) ? `"${text.replaceAll('"', '""')}"` : text;
}

export async function predictCommand(args: { model: string; input: string; out?: string }, log: (line: string) => void): Promise<void> {
  const model = readQnn(args.model);
  let predictions: string[] | number[];
  try {
    predictions = await scoreCsv(model, args.input);
  } catch (err) {
    // A bad input file is the user's to fix: a usage error (exit 2), naming the row and column.
    if (err instanceof DataError) throw new UsageError(err.message);
    throw err;
  }
  const csv = `${['row,prediction', ...predictions.map((p, i) => `${i + 1},${csvField(p)}`)].join('\n')}\n`;
  if (args.out) {
    writeFileSync(args.out, csv);
    log(`${args.out}: ${predictions.length} predictions of ${model.header.target}`);
  } else process.stdout.write(csv);
}
