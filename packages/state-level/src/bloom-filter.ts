// A scalable Bloom filter over encoded state keys: "may this key have state on disk?". A key the filter has
// never seen certainly has nothing in LevelDB, so prefetch can mark it known-absent without an (async, ~10 µs
// per key) disk read: brand-new keys, the common case of a growing key space, cost no I/O at all. Deleted keys
// stay in the filter (a false positive only costs one batched read). The filter grows by appending stages of
// doubling capacity, so it needs no size estimate up front; ~10 bits per key give about 1 % false positives.

const BITS_PER_KEY = 10;
const PROBES = 7;

class Stage {
  readonly bits: Uint32Array;
  readonly mask: number;
  count = 0;
  constructor(readonly capacity: number) {
    // A power-of-two bit count lets probes use a mask instead of a modulo.
    let m = 1024;
    while (m < capacity * BITS_PER_KEY) m *= 2;
    this.bits = new Uint32Array(m >>> 5);
    this.mask = m - 1;
  }
}

/**
 * Membership filter for byte strings with no false negatives.
 *
 * @internal
 */
export class KeyBloomFilter {
  private stages: Stage[] = [];
  private readonly initialCapacity: number;

  constructor(initialCapacity: number) {
    this.initialCapacity = Math.max(1024, initialCapacity);
  }

  /** Whether nothing was ever added (then every key is certainly absent). */
  get empty(): boolean {
    return this.stages.length === 0;
  }

  /** Adds the first `length` bytes of `bytes` (default: all). */
  add(bytes: Uint8Array, length: number = bytes.length): void {
    let s = this.stages[this.stages.length - 1];
    if (s === undefined || s.count >= s.capacity) {
      s = new Stage(s === undefined ? this.initialCapacity : s.capacity * 2);
      this.stages.push(s);
    }
    const h1 = hash1(bytes, length);
    const h2 = hash2(bytes, length) | 1;
    const bits = s.bits;
    for (let i = 0; i < PROBES; i++) {
      const b = (h1 + Math.imul(i, h2)) & s.mask;
      bits[b >>> 5]! |= 1 << (b & 31);
    }
    s.count++;
  }

  /** Whether the first `length` bytes of `bytes` (default: all) may have been added. */
  mightContain(bytes: Uint8Array, length: number = bytes.length): boolean {
    const n = this.stages.length;
    if (n === 0) return false;
    const h1 = hash1(bytes, length);
    const h2 = hash2(bytes, length) | 1;
    for (let k = 0; k < n; k++) {
      const s = this.stages[k]!;
      let all = true;
      for (let i = 0; i < PROBES; i++) {
        const b = (h1 + Math.imul(i, h2)) & s.mask;
        if ((s.bits[b >>> 5]! & (1 << (b & 31))) === 0) {
          all = false;
          break;
        }
      }
      if (all) return true;
    }
    return false;
  }

  clear(): void {
    this.stages = [];
  }
}

/** Murmur3-style 32-bit hash of bytes. */
function hash1(b: Uint8Array, n: number): number {
  let h = 0x3c6ef372 ^ n;
  for (let i = 0; i < n; i++) {
    let k = Math.imul(b[i]!, 0xcc9e2d51);
    k = (k << 15) | (k >>> 17);
    h ^= Math.imul(k, 0x1b873593);
    h = (h << 13) | (h >>> 19);
    h = (Math.imul(h, 5) + 0xe6546b64) | 0;
  }
  h ^= h >>> 16;
  h = Math.imul(h, 0x85ebca6b);
  h ^= h >>> 13;
  h = Math.imul(h, 0xc2b2ae35);
  return h ^ (h >>> 16);
}

/** FNV-1a 32-bit hash of bytes (independent of `hash1`, for double hashing). */
function hash2(b: Uint8Array, n: number): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < n; i++) h = Math.imul(h ^ b[i]!, 0x01000193);
  return h ^ (h >>> 15);
}
