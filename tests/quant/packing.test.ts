import { describe, expect, it } from 'vitest';
import { BitReader, BitWriter, bitCode, bitsOfCode, packedBits, readColumn, readFloatColumn, writeColumn, writeFloatColumn } from '../../src/quant/packing.js';
import { TERNARY_BITS, WEIGHT_QUANTIZER_FAMILIES, type WeightQuantizerFamily } from '../../src/quant/quantizers.js';

function pack(bits: number, family: WeightQuantizerFamily, codes: number[]): Uint8Array {
  const w = new BitWriter();
  writeColumn(w, bits, family, codes);
  expect(w.bitLength).toBe(packedBits(bits, codes.length));
  return w.finish();
}

describe('weight stream packing', () => {
  it('lays out bits least significant first, worked by hand', () => {
    // 1 bit and ternary are stored alike in both families
    for (const family of WEIGHT_QUANTIZER_FAMILIES) {
      expect([...pack(1, family, [1, -1, -1, 1, 1])]).toEqual([0b11001]);
      // trits (-1, 0, 1, 1, -1) -> digits 0, 1, 2, 2, 0 -> 0 + 1*3 + 2*9 + 2*27 + 0*81 = 75
      expect([...pack(TERNARY_BITS, family, [-1, 0, 1, 1, -1])]).toEqual([75]);
    }
    // symmetric-max, 4-bit two's complement of the code: 3 -> 0011, -7 -> 1001; first code in the low nibble
    expect([...pack(4, 'symmetric-max', [3, -7])]).toEqual([0x93]);
    const w = new BitWriter();
    writeFloatColumn(w, [1]);
    expect([...w.finish()]).toEqual([0, 0, 0x80, 0x3f]);
  });

  it("stores a mid-rise code c = 2k + 1 as k in b-bit two's complement, worked by hand", () => {
    // 2 bits: c -3, -1, 1, 3 -> k -2, -1, 0, 1 -> 10, 11, 00, 01 -> 0b01_00_11_10
    expect([...pack(2, 'mid-rise', [-3, -1, 1, 3])]).toEqual([0b01001110]);
    // 3 bits: c 7, -7, 1, -1 -> k 3, -4, 0, -1 -> 011, 100, 000, 111 -> 3 + 4 * 2^3 + 0 * 2^6 + 7 * 2^9 = 0x0e23
    expect([...pack(3, 'mid-rise', [7, -7, 1, -1])]).toEqual([0x23, 0x0e]);
    // 4 bits: c 15, -15, 5, -9 -> k 7, -8, 2, -5 -> 0111, 1000, 0010, 1011
    expect([...pack(4, 'mid-rise', [15, -15, 5, -9])]).toEqual([0x87, 0xb2]);
    // 8 bits: c 255, -255, -1, 1 -> k 127, -128, -1, 0
    expect([...pack(8, 'mid-rise', [255, -255, -1, 1])]).toEqual([0x7f, 0x80, 0xff, 0x00]);
  });

  it('stores ternary at 1.6 bits a weight, a short last group in the fewest bits', () => {
    expect([0, 1, 2, 3, 4, 5, 6, 10, 512].map((n) => packedBits(TERNARY_BITS, n))).toEqual([0, 2, 4, 5, 7, 8, 10, 16, 102 * 8 + 4]);
    expect(packedBits(4, 10)).toBe(40);
  });

  it('round-trips every width of both families back to back in one stream, unaligned', () => {
    const columns: [number, WeightQuantizerFamily, number[]][] = [
      [1, 'mid-rise', [1, -1, 1]],
      [TERNARY_BITS, 'mid-rise', [1, 0, -1, -1, 0, 1, 1]],
      [2, 'symmetric-max', [-1, 0, 1]],
      [2, 'mid-rise', [-3, -1, 1, 3]],
      [3, 'symmetric-max', [-3, 3, 0, -1]],
      [3, 'mid-rise', [-7, 7, 5, -1, 1]],
      [8, 'symmetric-max', [-127, 127, 5]],
      [8, 'mid-rise', [-255, 255, 37]],
      [16, 'symmetric-max', [-32767, 32767, -1]],
      [16, 'mid-rise', [-65535, 65535, -1, 1]],
      [1, 'symmetric-max', [-1, -1]],
      [TERNARY_BITS, 'symmetric-max', [0, 1]],
    ];
    const floats = [0.1, -2.5e-8, 3e38, -0];
    const w = new BitWriter();
    for (const [bits, family, codes] of columns) writeColumn(w, bits, family, codes);
    writeFloatColumn(w, floats);
    const r = new BitReader(w.finish());
    for (const [bits, family, codes] of columns) expect([...readColumn(r, bits, family, codes.length)]).toEqual(codes);
    expect([...readFloatColumn(r, floats.length)]).toEqual(floats.map(Math.fround));
    expect(() => r.read(8)).toThrow(/weight stream too short/);
  });

  it('refuses codes that would be stored as another number', () => {
    expect(() => pack(4, 'symmetric-max', [8])).toThrow('weight code 8 does not fit ±7');
    expect(() => pack(4, 'symmetric-max', [0.5])).toThrow(/does not fit/);
    expect(() => pack(1, 'mid-rise', [0])).toThrow('1-bit weight code 0 is not ±1');
    expect(() => pack(TERNARY_BITS, 'mid-rise', [2])).toThrow(/does not fit ±1/);
    // mid-rise has no even codes (no zero level) and reaches ±(2^b - 1)
    expect(() => pack(4, 'mid-rise', [1, 4])).toThrow('mid-rise weight code 4 is not an odd integer within ±15');
    expect(() => pack(4, 'mid-rise', [0])).toThrow('mid-rise weight code 0 is not an odd integer within ±15');
    expect(() => pack(4, 'mid-rise', [-17])).toThrow('mid-rise weight code -17 is not an odd integer within ±15');
    expect(() => pack(4, 'mid-rise', [2.5])).toThrow(/mid-rise weight code 2.5 is not an odd integer/);
  });

  it("refuses a stored pattern that is no code of the column's family", () => {
    // mid-rise -15 is k = -8, pattern 1000: -8, outside symmetric-max's ±7
    const stream = pack(4, 'mid-rise', [-15, 1]);
    expect(() => readColumn(new BitReader(stream), 4, 'symmetric-max', 2)).toThrow('corrupt weight stream: symmetric-max 4-bit code -8 is outside ±7');
  });

  it('bit codes: the width, 0 for ternary', () => {
    expect([1, TERNARY_BITS, 2, 16].map(bitCode)).toEqual([1, 0, 2, 16]);
    expect([1, 0, 2, 16].map(bitsOfCode)).toEqual([1, TERNARY_BITS, 2, 16]);
  });
});
