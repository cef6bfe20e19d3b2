import { ChipSimArgumentError } from '../errors.js';

// Seeded random numbers for the analog model (architecture.md, "Fixed-pattern variation", "Determinism"):
// platform-neutral, no `Math.random`, no `crypto`. Every circuit draws from its own stream, keyed by
// (chip seed, circuit kind, circuit index), so a circuit's values never depend on which other circuits were
// drawn before it, or whether they were drawn at all (large arrays are drawn lazily).

const UINT32_RANGE = 2 ** 32;

function rotl(x: number, k: number): number {
  return (x << k) | (x >>> (32 - k));
}

/** The murmur3 32-bit finaliser: a bijection on 32-bit words with full avalanche. */
export function fmix32(h: number): number {
  h ^= h >>> 16;
  h = Math.imul(h, 0x85ebca6b);
  h ^= h >>> 13;
  h = Math.imul(h, 0xc2b2ae35);
  h ^= h >>> 16;
  return h >>> 0;
}

/** murmur3_32 (seed 0) of a sequence of 32-bit words. */
export function hashWords(words: readonly number[]): number {
  let h = 0;
  for (const word of words) {
    let k = Math.imul(word >>> 0, 0xcc9e2d51);
    k = rotl(k, 15);
    k = Math.imul(k, 0x1b873593);
    h ^= k;
    h = rotl(h, 13);
    h = (Math.imul(h, 5) + 0xe6546b64) | 0;
  }
  return fmix32(h ^ (4 * words.length));
}

/** FNV-1a over the UTF-16 code units of `text`: turns a circuit-kind name into a 32-bit key. */
export function hashString(text: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < text.length; i++) {
    h ^= text.charCodeAt(i);
    h = Math.imul(h, 0x01000193);
  }
  return h >>> 0;
}

/** Checks a chip seed: an integer 0..2^32 − 1, as `SimulatedChip` takes it. */
export function checkChipSeed(seed: number, argument = 'seed'): number {
  if (!(Number.isInteger(seed) && seed >= 0 && seed < UINT32_RANGE)) {
    throw new ChipSimArgumentError(argument, seed, 'an integer in 0..4294967295');
  }
  return seed;
}

/**
 * The 32-bit seed of the stream of one circuit: murmur3_32 of (chip seed, FNV-1a(kind), index). `kind` names
 * what is drawn (`neuron.vLeak`, `synapse.weight`, …), `index` the circuit (its enum value).
 */
export function streamSeed(chipSeed: number, kind: string, index: number): number {
  return hashWords([chipSeed, hashString(kind), index]);
}

/**
 * xoshiro128** (Blackman & Vigna 2018), 128-bit state seeded from one 32-bit word by splitmix32. Period
 * 2^128 − 1; the same seed yields the same sequence on every platform (only 32-bit integer arithmetic).
 */
export class Random {
  private s0: number;
  private s1: number;
  private s2: number;
  private s3: number;

  constructor(seed: number) {
    let state = seed >>> 0;
    const next = (): number => {
      // splitmix32 (constants of Hash Prospector's "lowbias32" mixer).
      state = (state + 0x9e3779b9) | 0;
      let z = state;
      z = Math.imul(z ^ (z >>> 16), 0x21f0aaad);
      z = Math.imul(z ^ (z >>> 15), 0x735a2d97);
      return (z ^ (z >>> 15)) | 0;
    };
    this.s0 = next();
    this.s1 = next();
    this.s2 = next();
    this.s3 = next();
    if ((this.s0 | this.s1 | this.s2 | this.s3) === 0) this.s0 = 1;
  }

  /** The stream of circuit `index` of `kind` on the chip `chipSeed` (see `streamSeed`). */
  static forCircuit(chipSeed: number, kind: string, index: number): Random {
    return new Random(streamSeed(chipSeed, kind, index));
  }

  /** The next 32-bit output, 0..2^32 − 1. */
  nextUint32(): number {
    const result = Math.imul(rotl(Math.imul(this.s1, 5), 7), 9);
    const t = this.s1 << 9;
    this.s2 ^= this.s0;
    this.s3 ^= this.s1;
    this.s1 ^= this.s2;
    this.s0 ^= this.s3;
    this.s2 ^= t;
    this.s3 = rotl(this.s3, 11);
    return result >>> 0;
  }

  /** Uniform in (0, 1]: never 0, so that it can be fed to a logarithm. */
  uniformPositive(): number {
    return (this.nextUint32() + 1) / UINT32_RANGE;
  }

  /** Uniform in [0, 1). */
  uniform(): number {
    return this.nextUint32() / UINT32_RANGE;
  }

  /** One normal draw N(mean, sd²) by Box–Muller (cosine branch; two uniforms per draw, none cached). */
  normal(mean = 0, sd = 1): number {
    const u1 = this.uniformPositive();
    const u2 = this.uniform();
    return mean + sd * Math.sqrt(-2 * Math.log(u1)) * Math.cos(2 * Math.PI * u2);
  }

  /** A log-normal gain with median 1: exp(N(0, sigma²)). */
  logNormal(sigma: number): number {
    return Math.exp(this.normal(0, sigma));
  }
}
