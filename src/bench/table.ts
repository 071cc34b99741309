import type { BenchRow } from './schema.js';

const fixed = (v: number | null, digits: number) => (v === null ? '' : v.toFixed(digits));

const isPeer = (r: BenchRow) => r.backend.startsWith('pytorch');

/**
 * A step's time over the PyTorch peer's in the same run: fp32 against its fp32 step, every
 * quantizing case against its fake-quant step. Null without a peer row.
 */
function peerRatio(r: BenchRow, steps: BenchRow[]): number | null {
  if (isPeer(r)) return null;
  const peer = steps.find((p) => isPeer(p) && (p.case === 'fp32') === (r.case === 'fp32'));
  return peer ? r.ms_median / peer.ms_median : null;
}

/** The benchmark as markdown: one table of training steps, one line per backend for the data pipeline. */
export function renderBenchTable(rows: BenchRow[]): string {
  const steps = rows.filter((r) => r.kind === 'step');
  const pipeline = rows.filter((r) => r.kind === 'pipeline');
  const lines = [
    '| backend | strategy | ms/step (median) | p25-p75 | GFLOP/s | x fp32 | x PyTorch | tensors before -> after (steps) | peak RSS MB |',
    '|---|---|---:|---:|---:|---:|---:|---|---:|',
    ...steps.map(
      (r) =>
        `| ${r.backend} | ${r.case} | ${fixed(r.ms_median, 1)} | ${fixed(r.ms_p25, 1)}-${fixed(r.ms_p75, 1)} | ${fixed(r.gflops, 1)} | ${fixed(r.ratio_to_fp32, 2)} | ${fixed(peerRatio(r, steps), 2)} | ` +
        `${r.leak_steps === null ? '' : `${r.tensors_before} -> ${r.tensors_after} (${r.leak_steps})`} | ${fixed(r.peak_rss_mb, 0)} |`,
    ),
    '',
    '| backend | data pipeline | ms/batch (median) | batches/s |',
    '|---|---|---:|---:|',
    ...pipeline.map((r) => `| ${r.backend} | BatchSource, ${r.batch_size} rows | ${fixed(r.ms_median, 3)} | ${fixed(r.batches_per_second, 0)} |`),
  ];
  return lines.join('\n');
}
