/**
 * mulberry32: a tiny, fast 32-bit PRNG. Good enough for shaking ratings and
 * random restarts, and — unlike Math.random — reproducible from a seed, which
 * is what makes a run repeatable.
 */
export type Random = () => number;

export function mulberry32(seed: number): Random {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** Independent streams per stage, so adding draws to one stage never changes another's numbers. */
export function streamFor(seed: number, salt: number): Random {
  return mulberry32((seed ^ Math.imul(salt, 0x9e3779b1)) >>> 0);
}

export const STREAM_SCENARIOS = 1;
export const STREAM_SEARCH = 2;

/** Uniform in [low, high). */
export function uniform(random: Random, low: number, high: number): number {
  return low + (high - low) * random();
}

/** A fresh seed for a new run, as the run panel's default. */
export function randomSeed(): number {
  return Math.floor(Math.random() * 2 ** 31);
}
