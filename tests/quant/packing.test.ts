import { describe, expect, it } from 'vitest';
import { BitReader, BitWriter, bitCode, bitsOfCode, packedBits, readColumn, writeColumn } from '../../src/quant/packing.js';
import { TERNARY_BITS } from '../../src/quant/quantizers.js';

function pack(bits: number, values: number[]): Uint8Array {
  const w = new BitWriter();
  writeColumn(w, bits, values);
  expect(w.bitLength).toBe(packedBits(bits, values.length));
  return w.finish();
}

describe('weight stream packing', () => {
  it('lays out bits least significant first, worked by hand', () => {
    expect([...pack(1, [1, -1, -1, 1, 1])]).toEqual([0b11001]);
    // 4-bit two's complement: 3 -> 0011, -7 -> 1001; first code in the low nibble
    expect([...pack(4, [3, -7])]).toEqual([0x93]);
    // trits (-1, 0, 1, 1, -1) -> digits 0, 1, 2, 2, 0 -> 0 + 1*3 + 2*9 + 2*27 + 0*81 = 75
    expect([...pack(TERNARY_BITS, [-1, 0, 1, 1, -1])]).toEqual([75]);
    expect([...pack(32, [1])]).toEqual([0, 0, 0x80, 0x3f]);
  });

  it('stores ternary at 1.6 bits a weight, a short last group in the fewest bits', () => {
    expect([0, 1, 2, 3, 4, 5, 6, 10, 512].map((n) => packedBits(TERNARY_BITS, n))).toEqual([0, 2, 4, 5, 7, 8, 10, 16, 102 * 8 + 4]);
    expect(packedBits(4, 10)).toBe(40);
  });

  it('round-trips every width back to back in one stream, unaligned', () => {
    const columns: [number, number[]][] = [
      [1, [1, -1, 1]],
      [TERNARY_BITS, [1, 0, -1, -1, 0, 1, 1]],
      [2, [-1, 0, 1]],
      [3, [-3, 3, 0, -1]],
      [8, [-127, 127, 5]],
      [16, [-32767, 32767, -1]],
      [32, [0.1, -2.5e-8, 3e38, -0]],
    ];
    const w = new BitWriter();
    for (const [bits, values] of columns) writeColumn(w, bits, values);
    const r = new BitReader(w.finish());
    for (const [bits, values] of columns) expect([...readColumn(r, bits, values.length)]).toEqual(values.map(Math.fround));
    expect(() => r.read(8)).toThrow(/weight stream too short/);
  });

  it('refuses codes that would be stored as another number', () => {
    expect(() => pack(4, [8])).toThrow('weight code 8 does not fit ±7');
    expect(() => pack(4, [0.5])).toThrow(/does not fit/);
    expect(() => pack(1, [0])).toThrow('1-bit weight code 0 is not ±1');
    expect(() => pack(TERNARY_BITS, [2])).toThrow(/does not fit ±1/);
  });

  it('bit codes: the width, 0 for ternary', () => {
    expect([1, TERNARY_BITS, 2, 16].map(bitCode)).toEqual([1, 0, 2, 16]);
    expect([1, 0, 2, 16].map(bitsOfCode)).toEqual([1, TERNARY_BITS, 2, 16]);
  });
});
