import { createHash } from 'node:crypto';
import { mkdirSync, readFileSync } from 'node:fs';
import { dirname } from 'node:path';
import * as tf from '@tensorflow/tfjs';
import { writeFileAtomic } from '../files.js';
import type { Model } from './types.js';

/** The values of a model's variables, in `model.variables` order, as plain host data. */
export interface WeightSnapshot {
  shapes: number[][];
  values: Float32Array[];
}

export function snapshotWeights(model: Model): WeightSnapshot {
  return {
    shapes: model.variables.map((v) => [...v.shape]),
    values: model.variables.map((v) => Float32Array.from(v.dataSync() as Float32Array)),
  };
}

/** Assigns a snapshot taken from a model of the same architecture; a mismatch is an error, never a silent partial load. */
export function restoreWeights(model: Model, snapshot: WeightSnapshot): void {
  const shapes = model.variables.map((v) => v.shape.join('x')).join(',');
  const saved = snapshot.shapes.map((s) => s.join('x')).join(',');
  if (shapes !== saved) throw new Error(`weight snapshot does not fit the model: saved [${saved}], model [${shapes}]`);
  tf.tidy(() => model.variables.forEach((v, i) => v.assign(tf.tensor(snapshot.values[i], snapshot.shapes[i]))));
}

/**
 * File layout: one JSON header line (caller metadata, shapes, and the sha256 of the header without it
 * followed by the values), then the float32 values back to back. Files written before the checksum read unchecked.
 */
export function writeWeights(file: string, snapshot: WeightSnapshot, meta: Record<string, unknown>): void {
  const header = JSON.stringify({ ...meta, shapes: snapshot.shapes });
  const body = snapshot.values.map((v) => Buffer.from(v.buffer, v.byteOffset, v.byteLength));
  const signed = JSON.stringify({ ...meta, shapes: snapshot.shapes, sha256: checksum(header, body) });
  mkdirSync(dirname(file), { recursive: true });
  writeFileAtomic(file, Buffer.concat([Buffer.from(`${signed}\n`), ...body]));
}

const checksum = (header: string, body: readonly Uint8Array[]) => {
  const hash = createHash('sha256').update(header);
  for (const part of body) hash.update(part);
  return hash.digest('hex');
};

export function readWeights(file: string): { snapshot: WeightSnapshot; meta: Record<string, unknown> } {
  const bytes = readFileSync(file);
  const newline = bytes.indexOf(10);
  if (newline < 0) throw new Error(`${file}: not a weight file (no header line)`);
  let header: { shapes: number[][]; sha256?: string } & Record<string, unknown>;
  try {
    header = JSON.parse(bytes.subarray(0, newline).toString('utf8'));
  } catch {
    throw new Error(`${file}: corrupt weight file (its header line is not JSON)`);
  }
  const { shapes, sha256, ...meta } = header;
  if (!Array.isArray(shapes)) throw new Error(`${file}: corrupt weight file (its header has no shapes)`);
  if (sha256 !== undefined) {
    const { sha256: _, ...unsigned } = header;
    if (checksum(JSON.stringify(unsigned), [bytes.subarray(newline + 1)]) !== sha256) throw new Error(`${file}: corrupt weight file (checksum mismatch)`);
  }
  let offset = newline + 1;
  const values = shapes.map((shape) => {
    const count = shape.reduce((a, b) => a * b, 1);
    const end = offset + count * 4;
    if (end > bytes.length) throw new Error(`${file}: truncated weight file`);
    // Copy: the Buffer's offset need not be 4-byte aligned for a Float32Array view.
    const v = new Float32Array(new Uint8Array(bytes.subarray(offset, end)).buffer);
    offset = end;
    return v;
  });
  if (offset !== bytes.length) throw new Error(`${file}: ${bytes.length - offset} unexpected trailing bytes`);
  return { snapshot: { shapes, values }, meta };
}
