import { execFileSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { readdirSync, readFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
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

/** sha256 of every file under `dirs` of `base` (paths and contents, in path order) and the tfjs version. */
export function codeFingerprint(base: string, dirs: readonly string[]): string {
  const hash = createHash('sha256');
  for (const dir of dirs)
    for (const file of readdirSync(join(base, dir), { recursive: true, withFileTypes: true })
      .filter((e) => e.isFile())
      .map((e) => join(e.parentPath, e.name))
      .sort()) {
      hash.update(relative(base, file)).update('\0').update(readFileSync(file)).update('\0');
    }
  return hash.update(tf.version.tfjs).digest('hex');
}

let fingerprint: string | undefined;

/**
 * The code that trains (every file under src/ and baselines/, and the tfjs version) with the active
 * backend: part of every cache key, so a checkpoint is reused only by the code and backend that
 * would have trained it bit for bit (a kernel's float rounding changes its weights).
 */
export function trainingCodeFingerprint(backend: string): string {
  fingerprint ??= codeFingerprint(fileURLToPath(root), ['src', 'baselines']);
  return `${fingerprint}:${backend}`;
}
