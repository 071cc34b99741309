import seedrandom from 'seedrandom';

/** A seeded uniform [0, 1) generator; the same seed gives the same stream on every machine. */
export type Rng = () => number;

export function makeRng(seed: number | string): Rng {
  const prng = seedrandom(String(seed));
  return () => prng.quick();
}

/** Fisher-Yates shuffle in place. */
export function shuffleInPlace<T>(items: T[] | Int32Array | Uint32Array, rng: Rng): void {
  for (let i = items.length - 1; i > 0; i--) {
    const j = Math.floor(rng() * (i + 1));
    const tmp = items[i];
    items[i] = items[j];
    items[j] = tmp;
  }
}

/** Standard normal draw (Box-Muller). */
export function normal(rng: Rng): number {
  let u = 0;
  while (u === 0) u = rng();
  return Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * rng());
}
