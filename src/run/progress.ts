import type { RunRow } from '../results/types.js';
import type { EpochRecord } from '../train/trainer.js';

const fmt = (v: number | null, digits = 4) => (v === null ? '-' : Number(v.toPrecision(digits)).toString());

/** One line per finished run: what ran, how it ended, its metric, bits and time. */
export function runLine(index: number, total: number, run: RunRow): string {
  const head = `[${index}/${total}] ${run.dataset} ${run.model} ${run.strategy} seed ${run.seed}`;
  if (run.status === 'failed') return `${head}: FAILED ${run.error}`;
  const bits = `W ${fmt(run.avg_weight_bits, 3)} b, A ${fmt(run.avg_activation_bits, 3)} b`;
  const status = run.status === 'ok' ? '' : ` ${run.status.toUpperCase()} (${run.error})`;
  return `${head}: ${run.metric_name} ${fmt(run.test_metric)}, ${bits}, ${run.epochs} epochs, ${run.train_seconds.toFixed(1)} s${status}`;
}

/**
 * A per-epoch indicator: rewritten in place on a terminal; in logs (CI) a line at most
 * every `logEverySeconds`, so long runs show life without flooding the log.
 */
export function epochIndicator(
  stream: NodeJS.WriteStream,
  label: string,
  epochs: number,
  logEverySeconds = 30,
): { onEpoch: (r: EpochRecord) => void; clear: () => void } {
  let lastLog = performance.now();
  const text = (r: EpochRecord) => `  ${label} epoch ${r.epoch}/${epochs} loss ${fmt(r.trainLoss)} val ${fmt(r.valMetric)} W ${fmt(r.avgWeightBits, 3)} b`;
  return {
    onEpoch(r) {
      if (stream.isTTY) stream.write(`\r\x1b[K${text(r)}`);
      else if (performance.now() - lastLog > logEverySeconds * 1000) {
        stream.write(`${text(r)}\n`);
        lastLog = performance.now();
      }
    },
    clear() {
      if (stream.isTTY) stream.write('\r\x1b[K');
    },
  };
}
