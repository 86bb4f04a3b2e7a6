// Counter-based pseudo-random numbers: the stream for record n is a pure function of (seed, n). That is what
// makes generated data independent of how record numbers are split across subtasks, and lets a restored split
// regenerate exactly the records it had not emitted yet. The stream is splitmix32 (golden-ratio increment +
// murmur3-style finalizer) started from a hash of (seed, n); 32-bit `Math.imul` arithmetic keeps it on V8's fast
// integer paths and allocation-free.

const TWO_POW_32 = 4294967296;
const TWO_POW_21 = 2097152;
const TWO_POW_53 = 9007199254740992;

/** murmur3 fmix32: a bijective avalanche mix of a 32-bit integer. @internal */
export function mix32(x: number): number {
  x ^= x >>> 16;
  x = Math.imul(x, 0x85ebca6b);
  x ^= x >>> 13;
  x = Math.imul(x, 0xc2b2ae35);
  x ^= x >>> 16;
  return x >>> 0;
}

/** Reduces any finite number (an integer seed, possibly beyond 32 bits) to a well-mixed 32-bit seed. @internal */
export function hashSeed(seed: number): number {
  const lo = seed >>> 0;
  const hi = Math.floor(seed / TWO_POW_32) >>> 0;
  return mix32(mix32(lo ^ 0x6a09e667) ^ Math.imul(hi + 0x3c6ef372, 0x9e3779b9));
}

/**
 * A pseudo-random stream positioned per record: `reset(n)` starts the stream of record `n`.
 *
 * @internal
 */
export class CounterRng {
  private readonly seedHash: number;
  private state = 0;

  constructor(seed: number) {
    this.seedHash = hashSeed(seed);
  }

  /** Starts the stream of record `n` (a non-negative integer below 2^53). */
  reset(n: number): void {
    const lo = n >>> 0;
    const hi = (n / TWO_POW_32) >>> 0;
    // Hash the counter so that neighbouring records start far apart in the splitmix sequence.
    this.state = mix32(mix32(lo ^ this.seedHash) + Math.imul(hi ^ 0x5bd1e995, 0x9e3779b9)) | 0;
  }

  /** The next 32 random bits as an unsigned integer. */
  nextU32(): number {
    const s = (this.state = (this.state + 0x9e3779b9) | 0);
    let z = Math.imul(s ^ (s >>> 16), 0x21f0aaad);
    z = Math.imul(z ^ (z >>> 15), 0x735a2d97);
    return (z ^ (z >>> 15)) >>> 0;
  }

  /** Uniform integer in `[0, bound)` for `0 < bound <= 2^31` (multiply-shift; bias below 2^-32 · bound). */
  nextInt(bound: number): number {
    return Math.floor((this.nextU32() * bound) / TWO_POW_32);
  }

  /** Uniform double in `[0, 1)` with 32 random bits (one draw; enough where 2^-32 resolution does). */
  nextFloat(): number {
    return this.nextU32() / TWO_POW_32;
  }

  /** Uniform double in `[0, 1)` with 53 random bits. */
  nextDouble(): number {
    const hi = this.nextU32();
    const lo = this.nextU32() >>> 11;
    return (hi * TWO_POW_21 + lo) / TWO_POW_53;
  }

  /** Uniform integer in `[0, bound)` for any bound up to 2^53 (uses 53 random bits above 2^31). */
  nextLong(bound: number): number {
    return bound <= 0x80000000 ? this.nextInt(bound) : Math.floor(this.nextDouble() * bound);
  }
}
