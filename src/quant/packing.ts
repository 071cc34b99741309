/**
 * How quantized weights are stored: one little-endian bit stream, each neuron's column of
 * codes at its own width. The bit budget (metrics/budget.ts) counts exactly these bits, so
 * an exported model's size equals the model_bytes its run reported.
 *
 * - b = 1: one bit per weight, 1 for +1 and 0 for -1.
 * - ternary: log2(3) bits cannot be stored per weight, so trits go five to a byte
 *   (3^5 = 243 <= 256, 1.6 bits a weight); a last group of r < 5 trits takes the fewest
 *   bits that hold 3^r values.
 * - b = 2..16: b-bit two's complement of an integer s. Symmetric-max stores its code
 *   (s = c, |c| <= 2^(b-1) - 1). Mid-rise codes are the odd c = 2k + 1, |c| <= 2^b - 1: it
 *   stores k = (c - 1) / 2, so its 2^b codes fill the b bits exactly and the budget's b bits a
 *   weight hold for both families (1 bit and ternary are the same in both).
 * - float (FLOAT_BITS): the IEEE float32 bits of the weight.
 */
import { TERNARY_BITS, type WeightQuantizerFamily } from './quantizers.js';

const TRITS_PER_GROUP = 5;
/** Bits of a group of r trits: ceil(r log2 3) for r = 0..5. */
const TRIT_GROUP_BITS = [0, 2, 4, 5, 7, 8];

/** Bits a column of `count` weights at width `bits` takes in the stream. */
export function packedBits(bits: number, count: number): number {
  if (bits !== TERNARY_BITS) return bits * count;
  const full = Math.floor(count / TRITS_PER_GROUP);
  return full * TRIT_GROUP_BITS[TRITS_PER_GROUP] + TRIT_GROUP_BITS[count % TRITS_PER_GROUP];
}

/** The one-byte code of a quantized width: the width itself, and 0 for ternary (it has no integer width). */
export function bitCode(bits: number): number {
  return bits === TERNARY_BITS ? 0 : bits;
}

export function bitsOfCode(code: number): number {
  return code === 0 ? TERNARY_BITS : code;
}

/** Appends unsigned values of up to 32 bits, least significant bit first. */
export class BitWriter {
  private readonly bytes: number[] = [];
  private used = 0;

  write(value: number, width: number): void {
    for (let k = 0; k < width; k++) {
      const byte = this.used >> 3;
      if (byte === this.bytes.length) this.bytes.push(0);
      // Division, not >>, so bit 31 of a float32 pattern reads right.
      if (Math.floor(value / 2 ** k) % 2 === 1) this.bytes[byte] |= 1 << (this.used & 7);
      this.used++;
    }
  }

  get bitLength(): number {
    return this.used;
  }

  finish(): Uint8Array {
    return Uint8Array.from(this.bytes);
  }
}

export class BitReader {
  private at = 0;

  constructor(private readonly bytes: Uint8Array) {}

  read(width: number): number {
    if (this.at + width > this.bytes.length * 8) throw new Error(`weight stream too short: ${width} bits wanted at bit ${this.at} of ${this.bytes.length * 8}`);
    let value = 0;
    for (let k = 0; k < width; k++, this.at++) {
      if ((this.bytes[this.at >> 3] >> (this.at & 7)) & 1) value += 2 ** k;
    }
    return value;
  }

  get bitPosition(): number {
    return this.at;
  }
}

const float32Bits = (v: number) => new Uint32Array(Float32Array.of(v).buffer)[0];
const bitsToFloat32 = (u: number) => new Float32Array(Uint32Array.of(u).buffer)[0];

/** Writes one float neuron's column: the float32 bits of each weight. */
export function writeFloatColumn(out: BitWriter, values: ArrayLike<number>): void {
  for (let i = 0; i < values.length; i++) out.write(float32Bits(values[i]), 32);
}

export function readFloatColumn(from: BitReader, count: number): Float32Array {
  return Float32Array.from({ length: count }, () => bitsToFloat32(from.read(32)));
}

/** Writes one quantized neuron's column of integer codes at its width, as its quantizer family stores them. */
export function writeColumn(out: BitWriter, bits: number, family: WeightQuantizerFamily, codes: ArrayLike<number>): void {
  if (bits === TERNARY_BITS) {
    for (let start = 0; start < codes.length; start += TRITS_PER_GROUP) {
      const r = Math.min(TRITS_PER_GROUP, codes.length - start);
      let group = 0;
      for (let k = r - 1; k >= 0; k--) group = group * 3 + checkedCode(codes[start + k], 1) + 1;
      out.write(group, TRIT_GROUP_BITS[r]);
    }
  } else if (bits === 1) {
    for (let i = 0; i < codes.length; i++) {
      if (codes[i] !== 1 && codes[i] !== -1) throw new Error(`1-bit weight code ${codes[i]} is not ±1`);
      out.write(codes[i] === 1 ? 1 : 0, 1);
    }
  } else {
    for (let i = 0; i < codes.length; i++) {
      const s = storedInteger(codes[i], bits, family);
      out.write(s < 0 ? s + 2 ** bits : s, bits);
    }
  }
}

/** Reads one quantized neuron's column written by writeColumn: its integer codes. */
export function readColumn(from: BitReader, bits: number, family: WeightQuantizerFamily, count: number): Int32Array {
  const codes = new Int32Array(count);
  if (bits === TERNARY_BITS) {
    for (let start = 0; start < count; start += TRITS_PER_GROUP) {
      const r = Math.min(TRITS_PER_GROUP, count - start);
      let group = from.read(TRIT_GROUP_BITS[r]);
      for (let k = 0; k < r; k++, group = Math.floor(group / 3)) codes[start + k] = (group % 3) - 1;
      if (group !== 0) throw new Error('corrupt ternary group in the weight stream');
    }
  } else if (bits === 1) {
    for (let i = 0; i < count; i++) codes[i] = from.read(1) === 1 ? 1 : -1;
  } else {
    for (let i = 0; i < count; i++) {
      const raw = from.read(bits);
      codes[i] = codeOfStored(raw >= 2 ** (bits - 1) ? raw - 2 ** bits : raw, bits, family);
    }
  }
  return codes;
}

/** A code must be an integer within ±limit; anything else would be stored as a different number. */
function checkedCode(value: number, limit: number): number {
  if (!Number.isInteger(value) || Math.abs(value) > limit) throw new Error(`weight code ${value} does not fit ±${limit}`);
  return value;
}

/** The integer a code at b >= 2 bits is stored as (in b-bit two's complement). */
function storedInteger(code: number, bits: number, family: WeightQuantizerFamily): number {
  if (family === 'symmetric-max') return checkedCode(code, 2 ** (bits - 1) - 1);
  const limit = 2 ** bits - 1;
  if (!(Number.isInteger(code) && Math.abs(code % 2) === 1 && Math.abs(code) <= limit))
    throw new Error(`mid-rise weight code ${code} is not an odd integer within ±${limit}`);
  return (code - 1) / 2;
}

/** The code of a stored b-bit integer; every pattern is a mid-rise code, all but -2^(b-1) a symmetric-max one. */
function codeOfStored(stored: number, bits: number, family: WeightQuantizerFamily): number {
  if (family === 'mid-rise') return 2 * stored + 1;
  const limit = 2 ** (bits - 1) - 1;
  if (stored < -limit) throw new Error(`corrupt weight stream: symmetric-max ${bits}-bit code ${stored} is outside ±${limit}`);
  return stored;
}
