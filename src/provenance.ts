import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import * as tf from '@tensorflow/tfjs';

/** Which code and libraries produced a result; read once per suite. */
export interface Provenance {
  gitCommit: string;
  qatbenchVersion: string;
  tfjsVersion: string;
  nodeVersion: string;
}

const root = new URL('../', import.meta.url);

function git(args: string[]): string | null {
  try {
    return execFileSync('git', args, { cwd: root, encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] }).trim();
  } catch {
    return null;
  }
}

/** HEAD, marked "-dirty" when tracked code differs from it (result files do not count). */
export function gitCommit(): string {
  const head = git(['rev-parse', 'HEAD']);
  if (!head) return 'unknown';
  const changes = git(['status', '--porcelain', '--untracked-files=no', '--', '.', ':(exclude)results']);
  return changes ? `${head}-dirty` : head;
}

export function provenance(): Provenance {
  const pkg = JSON.parse(readFileSync(new URL('package.json', root), 'utf8')) as { version: string };
  return { gitCommit: gitCommit(), qatbenchVersion: pkg.version, tfjsVersion: tf.version.tfjs, nodeVersion: process.version };
}
