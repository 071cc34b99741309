import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { codeFingerprint, trainingCodeFingerprint } from '../../src/provenance.js';

describe('the training-code part of the checkpoint cache key', () => {
  it('is stable within a process and differs between backends', () => {
    expect(trainingCodeFingerprint('wasm')).toBe(trainingCodeFingerprint('wasm'));
    expect(trainingCodeFingerprint('wasm')).not.toBe(trainingCodeFingerprint('cpu'));
  });

  it('changes with any file content or name under the fingerprinted folders, and only there', () => {
    const root = mkdtempSync(join(tmpdir(), 'qb-fingerprint-'));
    mkdirSync(join(root, 'src/kernels'), { recursive: true });
    mkdirSync(join(root, 'docs'));
    writeFileSync(join(root, 'src/a.ts'), 'export const a = 1;\n');
    writeFileSync(join(root, 'src/kernels/k.wasm'), 'kernel');
    const before = codeFingerprint(root, ['src']);
    expect(codeFingerprint(root, ['src'])).toBe(before);
    writeFileSync(join(root, 'docs/notes.md'), 'not code');
    expect(codeFingerprint(root, ['src'])).toBe(before);
    writeFileSync(join(root, 'src/kernels/k.wasm'), 'kernel, rebuilt');
    const rebuilt = codeFingerprint(root, ['src']);
    expect(rebuilt).not.toBe(before);
    writeFileSync(join(root, 'src/b.ts'), '');
    expect(codeFingerprint(root, ['src'])).not.toBe(rebuilt);
  });
});
