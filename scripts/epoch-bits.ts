/**
 * Average weight and activation bits at each run's last epoch (curves.arrow), beside the
 * restored best epoch's (runs.arrow): how far the strengths travelled in the whole run.
 * Usage: npx tsx scripts/epoch-bits.ts results/reconstruction-epochs-30 [more dirs...]
 */
import { join } from 'node:path';
import { readTable } from '../src/results/arrow-io.js';
import { CURVES_SCHEMA, RUNS_SCHEMA } from '../src/results/schema.js';

const dirs = process.argv.slice(2);
if (dirs.length === 0) {
  process.stderr.write('usage: npx tsx scripts/epoch-bits.ts <results dir>...\n');
  process.exit(2);
}
process.stdout.write(
  '| results | dataset | strategy | seed | epochs | W bits, last epoch | A bits, last epoch | W bits, best epoch |\n|---|---|---|---:|---:|---:|---:|---:|\n',
);
for (const dir of dirs) {
  const curves = readTable(join(dir, 'curves.arrow'), CURVES_SCHEMA);
  for (const run of readTable(join(dir, 'runs.arrow'), RUNS_SCHEMA).filter((r) => r.status === 'ok')) {
    const last = curves.filter((c) => c.run_id === run.run_id).reduce((a, b) => (b.epoch > a.epoch ? b : a));
    const a = last.avg_activation_bits === null ? '-' : last.avg_activation_bits.toFixed(2);
    process.stdout.write(
      `| ${dir} | ${run.dataset} | ${run.strategy} | ${run.seed} | ${last.epoch} | ${last.avg_weight_bits.toFixed(2)} | ${a} | ${run.avg_weight_bits?.toFixed(2)} |\n`,
    );
  }
}
