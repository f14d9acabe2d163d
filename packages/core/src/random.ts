/**
 * Seeded randomness. Trust Bench never uses `Math.random`: every draw comes from a generator built
 * from an explicit seed, so runs are identical across runs and machines.
 */

/** A source of uniform numbers in [0, 1). */
export interface Random {
  /** Uniform in [0, 1). */
  next(): number;
  /** Uniform integer in [0, n). */
  int(n: number): number;
  /** Standard normal draw (Box-Muller). */
  normal(): number;
}

/**
 * A fast, seeded generator (SplitMix32 for the state, then Mulberry32's output mix). Two generators
 * with the same seed produce the same sequence on every platform.
 *
 * @example
 * const rng = createRandom(42); rng.next(); rng.int(10);
 */
export function createRandom(seed: number): Random {
  let state = (hash32(seed >>> 0) ^ 0x9e3779b9) >>> 0;
  const next = (): number => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
  let spare: number | null = null;
  return {
    next,
    int: (n) => Math.floor(next() * n),
    normal: () => {
      if (spare !== null) {
        const s = spare;
        spare = null;
        return s;
      }
      let u = 0;
      while (u === 0) u = next();
      const v = next();
      const r = Math.sqrt(-2 * Math.log(u));
      spare = r * Math.sin(2 * Math.PI * v);
      return r * Math.cos(2 * Math.PI * v);
    },
  };
}

/** A 32-bit integer mix (murmur3 finaliser). */
export function hash32(x: number): number {
  let h = x >>> 0;
  h = Math.imul(h ^ (h >>> 16), 0x85ebca6b);
  h = Math.imul(h ^ (h >>> 13), 0xc2b2ae35);
  return (h ^ (h >>> 16)) >>> 0;
}

/**
 * A stable 32-bit hash of a string (FNV-1a then a final mix): for seeding per-item generators from ids.
 *
 * @example
 * createRandom(hashString(`${seed}:${itemId}`))
 */
export function hashString(text: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < text.length; i++) {
    h ^= text.charCodeAt(i);
    h = Math.imul(h, 0x01000193);
  }
  return hash32(h);
}
