// The value generators of the `datagen` table source, one class per kind of value. A generator is stateless: the
// value of row `r` is computed from `r` (sequences) or drawn from a counter-based random stream that the caller has
// positioned at row `r` (random values), so a row is the same whoever generates it and a restored reader continues
// exactly where the checkpoint left off. Nested types (ARRAY, MAP, MULTISET, ROW) draw their parts from the same
// stream, in order. Values follow `@runnel/api/table`'s representation: BIGINT and DECIMAL as bigint (DECIMAL
// unscaled), timestamps as milliseconds, DATE as days, BYTES as Uint8Array, ROW as an array of its fields.
import type { CounterRng } from '../internal/counter-rng.js';

const MS_PER_DAY = 86_400_000;
const TWO_POW_53 = 2n ** 53n;

/**
 * Produces the value of one field for one row.
 *
 * @internal
 */
export interface ValueGenerator {
  /** The value for row `r`; `rng` is positioned at the row's stream and is advanced by random draws. */
  next(rng: CounterRng, r: number): unknown;
}

/** A wall clock in epoch milliseconds. @internal */
export type Now = () => number;

/** Null with probability `rate`, else the inner generator's value (one draw for the decision). @internal */
export class NullOr implements ValueGenerator {
  constructor(
    private readonly rate: number,
    private readonly inner: ValueGenerator,
  ) {}

  next(rng: CounterRng, r: number): unknown {
    return rng.nextDouble() < this.rate ? null : this.inner.next(rng, r);
  }
}

/** A uniform integer (number) in `[min, max]`, for spans up to 2^53. @internal */
export class RandomInteger implements ValueGenerator {
  private readonly span: number;

  constructor(
    private readonly min: number,
    max: number,
  ) {
    this.span = max - min + 1;
  }

  next(rng: CounterRng): unknown {
    return this.min + rng.nextLong(this.span);
  }
}

/** A uniform bigint in `[min, max]`: exact over any span (BIGINT's whole range, DECIMAL(38, s)). @internal */
export class RandomBigInt implements ValueGenerator {
  private readonly span: bigint;
  private readonly words: number;
  private readonly mask: bigint;

  constructor(
    private readonly min: bigint,
    max: bigint,
  ) {
    this.span = max - min + 1n;
    const bits = (this.span - 1n).toString(2).length;
    this.words = Math.ceil(bits / 32);
    this.mask = (1n << BigInt(bits)) - 1n;
  }

  next(rng: CounterRng): unknown {
    return this.min + uniformBigInt(rng, this.span, this.words, this.mask);
  }
}

/** Uniform in `[0, span)`: 53 random bits when they cover the span, else rejection sampling of masked words. */
function uniformBigInt(rng: CounterRng, span: bigint, words: number, mask: bigint): bigint {
  if (span <= TWO_POW_53) return BigInt(rng.nextLong(Number(span)));
  for (;;) {
    let v = 0n;
    for (let i = 0; i < words; i++) v = (v << 32n) | BigInt(rng.nextU32());
    v &= mask;
    if (v < span) return v;
  }
}

/** A uniform floating-point number in `[min, max)`; FLOAT values are rounded to 32 bits. @internal */
export class RandomFloating implements ValueGenerator {
  constructor(
    private readonly min: number,
    private readonly max: number,
    private readonly float32: boolean,
  ) {}

  next(rng: CounterRng): unknown {
    const u = rng.nextDouble();
    const span = this.max - this.min;
    // Beyond the double range (e.g. -MAX_VALUE to MAX_VALUE) the span overflows; interpolate instead.
    const v = Number.isFinite(span) ? this.min + u * span : this.min * (1 - u) + this.max * u;
    return this.float32 ? Math.fround(v) : v;
  }
}

/** true or false with equal probability. @internal */
export class RandomBoolean implements ValueGenerator {
  next(rng: CounterRng): unknown {
    return rng.nextInt(2) === 1;
  }
}

/**
 * Random hexadecimal text (Flink's datagen draws hex strings too), cut from a pool drawn once per seed: a string is
 * a slice at a random offset, so generating one costs one draw and no character loop.
 *
 * @internal
 */
export class HexPool {
  private readonly text: string;
  private readonly half: number;

  constructor(rng: CounterRng, longest: number) {
    const size = Math.max(1 << 16, Math.min(longest, 1 << 20) * 2);
    const chars: string[] = new Array<string>(size);
    rng.reset(2 ** 52 + 11);
    for (let i = 0; i < size; i++) chars[i] = '0123456789abcdef'[rng.nextInt(16)]!;
    this.text = chars.join('');
    this.half = size >>> 1;
  }

  take(rng: CounterRng, length: number): string {
    if (length <= this.half) {
      const offset = rng.nextInt(this.text.length - length + 1);
      return this.text.slice(offset, offset + length);
    }
    let out = '';
    while (out.length < length) out += this.take(rng, Math.min(this.half, length - out.length));
    return out;
  }
}

/** A random hex string of `length` characters, or of a random length in `[1, length]` with `var-len`. @internal */
export class RandomString implements ValueGenerator {
  constructor(
    private readonly pool: HexPool,
    private readonly length: number,
    private readonly varLen: boolean,
  ) {}

  next(rng: CounterRng): unknown {
    const len = this.varLen && this.length > 0 ? 1 + rng.nextInt(this.length) : this.length;
    return this.pool.take(rng, len);
  }
}

/** Random bytes: `length` of them, or a random length in `[1, length]` with `var-len`. @internal */
export class RandomBytes implements ValueGenerator {
  constructor(
    private readonly length: number,
    private readonly varLen: boolean,
  ) {}

  next(rng: CounterRng): unknown {
    const len = this.varLen && this.length > 0 ? 1 + rng.nextInt(this.length) : this.length;
    const bytes = new Uint8Array(len);
    for (let i = 0; i < len; i += 4) {
      let word = rng.nextU32();
      for (let j = i; j < i + 4 && j < len; j++, word >>>= 8) bytes[j] = word & 0xff;
    }
    return bytes;
  }
}

/** Now minus a random duration in `[0, max-past]` (TIMESTAMP and TIMESTAMP_LTZ: epoch milliseconds). @internal */
export class PastTimestamp implements ValueGenerator {
  constructor(
    private readonly maxPastMs: number,
    private readonly now: Now,
  ) {}

  next(rng: CounterRng): unknown {
    return this.now() - (this.maxPastMs > 0 ? rng.nextLong(this.maxPastMs + 1) : 0);
  }
}

/** The local machine's offset from UTC at `ms`, in milliseconds (DATE and TIME are local, as in Flink). */
function localOffsetMs(ms: number): number {
  return -new Date(ms).getTimezoneOffset() * 60_000;
}

/** Today in the local time zone, in days since 1970-01-01 (Flink: `LocalDate.now()`). @internal */
export class CurrentDate implements ValueGenerator {
  constructor(private readonly now: Now) {}

  next(): unknown {
    const ms = this.now();
    return Math.floor((ms + localOffsetMs(ms)) / MS_PER_DAY);
  }
}

/** The local time of day in milliseconds (Flink: `LocalTime.now()`). @internal */
export class CurrentTime implements ValueGenerator {
  constructor(private readonly now: Now) {}

  next(): unknown {
    const ms = this.now();
    const local = ms + localOffsetMs(ms);
    return ((local % MS_PER_DAY) + MS_PER_DAY) % MS_PER_DAY;
  }
}

/** An array of `length` elements. @internal */
export class RandomArray implements ValueGenerator {
  constructor(
    private readonly element: ValueGenerator,
    private readonly length: number,
  ) {}

  next(rng: CounterRng, r: number): unknown {
    const out = new Array<unknown>(this.length);
    for (let i = 0; i < this.length; i++) out[i] = this.element.next(rng, r);
    return out;
  }
}

/**
 * A map of `length` drawn entries (a key drawn twice keeps its last value, so a map may have fewer entries, as in
 * Flink). A MULTISET is a map from element to a count in `[0, 10]`, as Flink generates it.
 *
 * @internal
 */
export class RandomMap implements ValueGenerator {
  constructor(
    private readonly key: ValueGenerator,
    private readonly value: ValueGenerator,
    private readonly length: number,
  ) {}

  next(rng: CounterRng, r: number): unknown {
    const out = new Map<unknown, unknown>();
    for (let i = 0; i < this.length; i++) {
      const k = this.key.next(rng, r);
      out.set(k, this.value.next(rng, r));
    }
    return out;
  }
}

/** A ROW value: its fields, in order. @internal */
export class RandomRow implements ValueGenerator {
  constructor(private readonly fields: readonly ValueGenerator[]) {}

  next(rng: CounterRng, r: number): unknown {
    const out = new Array<unknown>(this.fields.length);
    for (let i = 0; i < this.fields.length; i++) out[i] = this.fields[i]!.next(rng, r);
    return out;
  }
}

/** `start + r` as a number (TINYINT to INT, FLOAT, DOUBLE). @internal */
export class SequenceNumber implements ValueGenerator {
  constructor(
    private readonly start: number,
    private readonly float32: boolean,
  ) {}

  next(_rng: CounterRng, r: number): unknown {
    const v = this.start + r;
    return this.float32 ? Math.fround(v) : v;
  }
}

/** `(start + r) × factor` as a bigint: BIGINT (factor 1) and DECIMAL (factor 10^scale, the unscaled value). @internal */
export class SequenceBigInt implements ValueGenerator {
  constructor(
    private readonly start: bigint,
    private readonly factor: bigint = 1n,
  ) {}

  next(_rng: CounterRng, r: number): unknown {
    return (this.start + BigInt(r)) * this.factor;
  }
}

/** `start + r` in decimal digits (CHAR, VARCHAR, STRING). @internal */
export class SequenceString implements ValueGenerator {
  private readonly small: number | undefined;

  constructor(private readonly start: bigint) {
    // Number arithmetic while the whole sequence stays exact in a double (the common case).
    this.small = start >= -TWO_POW_53 / 2n && start <= TWO_POW_53 / 2n ? Number(start) : undefined;
  }

  next(_rng: CounterRng, r: number): unknown {
    return this.small !== undefined && r < 2 ** 52 ? String(this.small + r) : (this.start + BigInt(r)).toString();
  }
}

/** `start + r` as 8 big-endian bytes (BINARY, VARBINARY, BYTES; Flink's `Longs.toByteArray`). @internal */
export class SequenceBytes implements ValueGenerator {
  constructor(private readonly start: bigint) {}

  next(_rng: CounterRng, r: number): unknown {
    const bytes = new Uint8Array(8);
    new DataView(bytes.buffer).setBigInt64(0, BigInt.asIntN(64, this.start + BigInt(r)));
    return bytes;
  }
}
