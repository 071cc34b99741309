import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import type { BenchRow } from '../src/bench/schema.js';

/** One case of scripts/pytorch-peer.py --json. */
interface PeerCase {
  case: string;
  version: string;
  samples: number;
  median: number;
  p25: number;
  p75: number;
}

/** The peer's cases under the labels of the bench table: its fake-quant step is per-neuron W4 + A8 with STE. */
const PEER_LABELS: Record<string, string> = { fp32: 'fp32', w4a8: 'fake-quant w4a8' };

const PEER_SCRIPT = fileURLToPath(new URL('./pytorch-peer.py', import.meta.url));

/**
 * Runs the PyTorch peer (scripts/pytorch-peer.py) on the same model and token count, one BLAS
 * thread, and returns its steps as bench rows; fields that only qatbench measures are null.
 */
export function peerRows(python: string, model: string, tokens: number, batch: number, common: RunContext): Omit<BenchRow, 'load_end'>[] {
  const args = [PEER_SCRIPT, '--json', '--model', model, '--tokens', String(tokens), '--batch', String(batch)];
  const run = spawnSync(python, args, { encoding: 'utf8' });
  if (run.error || run.status !== 0) {
    const why = run.error?.message ?? run.stderr.trim().split('\n').at(-1);
    throw new Error(`the PyTorch peer (${python} ${PEER_SCRIPT}) failed: ${why}`);
  }
  const cases = run.stdout
    .trim()
    .split('\n')
    .map((line) => JSON.parse(line) as PeerCase);
  const fp32 = cases.find((c) => c.case === 'fp32')?.median ?? Number.NaN;
  return cases.map((c) => ({
    ...common,
    kind: 'step',
    backend: `pytorch ${c.version}`,
    case: PEER_LABELS[c.case] ?? c.case,
    strategy_config: null,
    samples: c.samples,
    ms_median: c.median,
    ms_p25: c.p25,
    ms_p75: c.p75,
    gflops: null,
    ratio_to_fp32: c.median / fp32,
    batches_per_second: null,
    leak_steps: null,
    tensors_before: null,
    tensors_after: null,
    peak_rss_mb: null,
    tensor_mb_after: null,
  }));
}

/** What every row of one bench run shares: the model, batch, machine and versions. */
type RunContext = Pick<
  BenchRow,
  'model' | 'batch_size' | 'machine' | 'load_start' | 'node_version' | 'tfjs_version' | 'qatbench_version' | 'git_commit' | 'started_at'
>;
