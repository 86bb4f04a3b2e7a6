// The result check of the benchmark: every run (DataStream or baseline) reduces its output rows to a digest — the
// number of rows and an order-independent checksum (the sum, mod 2^32, of a 32-bit hash of each row) — and the
// runner compares every DataStream run's digest with the baseline's. Rows are hashed field by field in a fixed order
// by one function per query, used by the DataStream sink and the baseline alike, so both sides compute the digest
// the same way whatever order rows arrive in, whatever their property order, and however many subtasks wrote them.
//
// Numbers are hashed exactly (all 64 bits of the double). Strings are hashed by their length and, by default, at
// most 16 characters: all of a string of up to 16, otherwise 16 at evenly spaced positions, the first and last
// included. Hashing every character of every bid's `url` and `extra` (about 130 characters) cost more than
// generating the bid, which would have turned q0 and q1 into a string-hashing benchmark; the sample still tells
// one generated string from another (different lengths or contents at the sampled positions), and the codec that
// carries strings between threads has its own round-trip tests. RUNNEL_BENCH_CHECK_STRINGS=full hashes every
// character (slower; recorded in the JSON as `checkStrings`).
//
// SQL runs digest a changelog (see `SqlDigestSink` in sql-digest-connector.ts): +I and +U rows add their hash and
// count, -U and -D rows subtract theirs, so the digest is that of the result table once the changelog is applied
// (insert-only results digest as before). Their rows are field arrays in @runnel/sql's representation (BIGINT and
// DECIMAL's unscaled value as bigint, TIMESTAMP as epoch milliseconds); `sqlRowHash` hashes a bigint in the safe
// integer range as the equal number, so a SQL row and a DataStream or baseline row with the same values in the same
// order hash the same.
import type { Sink, SinkWriter, SinkWriterContext } from '@runnel/api';
import type { Bid } from '@runnel/connector-datagen';

/** How strings enter the row hash: a sample of characters (default) or all of them. */
export const CHECK_STRINGS: 'sampled' | 'full' = process.env.RUNNEL_BENCH_CHECK_STRINGS === 'full' ? 'full' : 'sampled';
const FULL = CHECK_STRINGS === 'full';
const SAMPLE = 16;

const f64 = new Float64Array(1);
const words = new Uint32Array(f64.buffer);
const SEED = 0x811c9dc5;

/** One 32-bit word into the running hash (FNV-style: xor, then multiply by an odd constant — a bijection). */
const mix = (h: number, x: number): number => Math.imul(h ^ x, 0x01000193);

function num(h: number, x: number): number {
  if ((x | 0) === x) return mix(mix(h, 1), x);
  f64[0] = x;
  return mix(mix(mix(h, 2), words[0]!), words[1]!);
}

function str(h: number, s: string): number {
  const n = s.length;
  h = mix(mix(h, 3), n);
  if (FULL || n <= SAMPLE) {
    for (let i = 0; i < n; i++) h = mix(h, s.charCodeAt(i));
    return h;
  }
  const step = (n - 1) / (SAMPLE - 1);
  let at = 0;
  for (let j = 0; j < SAMPLE; j++, at += step) h = mix(h, s.charCodeAt(at | 0));
  return h;
}

/**
 * A bigint: as the equal number when it is one exactly (the safe integer range), else its two 32-bit halves (tag 4).
 * The number is read from the bigint's two's complement halves through a BigInt64Array (exact: |x| < 2^53, so
 * hi · 2^32 + lo is computed without rounding) rather than with Number(x), which V8 runs as a runtime call at about
 * three times the cost (20-35 ns against 6-10 ns per value on the reference VM); the hash is the same.
 */
function big(h: number, x: bigint): number {
  if (x <= MAX_SAFE && x >= MIN_SAFE) {
    int64[0] = x;
    return num(h, int32[HI]! * 4294967296 + (int32[LO]! >>> 0));
  }
  return mix(mix(mix(h, 4), Number(BigInt.asUintN(32, x))), Number(BigInt.asUintN(32, x >> 32n)));
}
/**
 * `big` for a bigint known to fit in 64 bits (BIGINT, a DECIMAL of precision up to 18): the same hash, decided from
 * the two's complement halves alone, without `big`'s two bigint comparisons (V8 runs those as runtime calls). Exact:
 * hi · 2^32 + lo is one correctly rounded sum, so it is at most 2^53 - 1 in magnitude exactly when the value is.
 */
function big64(h: number, x: bigint): number {
  int64[0] = x;
  const hi = int32[HI]!;
  const lo = int32[LO]! >>> 0;
  const n = hi * 4294967296 + lo;
  if (n <= Number.MAX_SAFE_INTEGER && n >= -Number.MAX_SAFE_INTEGER) return num(h, n);
  return mix(mix(mix(h, 4), lo), hi >>> 0);
}
const MAX_SAFE = BigInt(Number.MAX_SAFE_INTEGER);
const MIN_SAFE = -MAX_SAFE;
const int64 = new BigInt64Array(1);
const int32 = new Int32Array(int64.buffer);
/** The indexes of the low and high 32 bits in `int32` (the platform's byte order). */
const LO = new Uint8Array(new Uint32Array([1]).buffer)[0] === 1 ? 0 : 1;
const HI = 1 - LO;

/** Murmur3's finalizer: spreads every bit of the state over the result. */
function fin(h: number): number {
  h ^= h >>> 16;
  h = Math.imul(h, 0x85ebca6b);
  h ^= h >>> 13;
  h = Math.imul(h, 0xc2b2ae35);
  h ^= h >>> 16;
  return h >>> 0;
}

/** Output rows of the queries (see queries.ts). */
export interface Q1Row { auction: number; bidder: number; price: number; dateTime: number; extra: string }
export interface Q2Row { auction: number; price: number }
export interface Q3Row { name: string; city: string; state: string; id: number }
export interface Q5Row { auction: number; num: number; end: number }
export interface Q8Row { id: number; name: string; starttime: number }
export interface Q11Row { bidder: number; bidCount: number; start: number; end: number }

const hashBid = (b: Bid): number =>
  fin(str(num(str(str(num(num(num(SEED, b.auction), b.bidder), b.price), b.channel), b.url), b.dateTime), b.extra));

/** The row hash of each query's output. */
export const rowHash = {
  q0: hashBid,
  q1: (r: Q1Row): number => fin(str(num(num(num(num(SEED, r.auction), r.bidder), r.price), r.dateTime), r.extra)),
  q2: (r: Q2Row): number => fin(num(num(SEED, r.auction), r.price)),
  q3: (r: Q3Row): number => fin(num(str(str(str(SEED, r.name), r.city), r.state), r.id)),
  q5: (r: Q5Row): number => fin(num(num(num(SEED, r.auction), r.num), r.end)),
  q7: hashBid,
  q8: (r: Q8Row): number => fin(num(str(num(SEED, r.id), r.name), r.starttime)),
  q11: (r: Q11Row): number => fin(num(num(num(num(SEED, r.bidder), r.bidCount), r.start), r.end)),
  keyedcount: (key: number): number => fin(num(SEED, key)),
} as const;

/**
 * The pieces of `sqlRowHash`, for baselines that hash their rows field by field without building an array: start
 * with `HASH_SEED`, add each field in column order (numbers, strings, NULL), end with `hashEnd`.
 */
export const HASH_SEED = SEED;
export const hashNum = num;
export const hashStr = str;
export const hashNull = (h: number): number => mix(h, 0);
export const hashEnd = fin;

/**
 * The hash of a SQL row's fields (and of a baseline's row of the same values), by the type of each value: numbers,
 * bigints (BIGINT, DECIMAL's unscaled value), strings, booleans and NULL. Other values (arrays, bytes) do not occur
 * in the benchmark's results and fail. `fits64[i]`: field i's bigints fit in 64 bits (its type says so: BIGINT, a
 * DECIMAL of precision up to 18), so they are hashed without range checks; without it every bigint is range-checked.
 */
export function sqlRowHash(fields: readonly unknown[], fits64?: readonly boolean[]): number {
  let h = SEED;
  for (let i = 0; i < fields.length; i++) {
    const v = fields[i];
    if (typeof v === 'number') h = num(h, v);
    else if (typeof v === 'string') h = str(h, v);
    else if (typeof v === 'bigint') h = fits64 !== undefined && fits64[i] === true ? big64(h, v) : big(h, v);
    else if (v === null || v === undefined) h = mix(h, 0);
    else if (typeof v === 'boolean') h = mix(mix(h, 5), v ? 1 : 0);
    else throw new Error(`sqlRowHash: unexpected field value ${String(v)}`);
  }
  return fin(h);
}

/**
 * What a run's output reduces to. `checksum` is 8 hex digits. SQL runs and their baselines also count the changelog
 * messages (`changes`: +I, -U, +U and -D rows); `rows` is then the result table's size once they are applied.
 */
export interface ResultDigest {
  readonly rows: number;
  readonly checksum: string;
  readonly changes?: number;
}

/** Accumulates a digest: add each row's hash (and remove retracted ones), in any order. */
export class DigestBuilder {
  rows = 0;
  sum = 0;
  changes = 0;
  add(rowHash: number): void {
    this.rows++;
    this.changes++;
    this.sum = (this.sum + rowHash) >>> 0;
  }
  /** A retraction (-U, -D) of a row added before. */
  remove(rowHash: number): void {
    this.rows--;
    this.changes++;
    this.sum = (this.sum - rowHash) >>> 0;
  }
  digest(): ResultDigest {
    return { rows: this.rows, checksum: checksumHex(this.sum) };
  }
  /** The digest with the number of changelog messages (SQL baselines). */
  changelogDigest(): ResultDigest {
    return { rows: this.rows, checksum: checksumHex(this.sum), changes: this.changes };
  }
}

export const checksumHex = (sum: number): string => (sum >>> 0).toString(16).padStart(8, '0');

/** The channel the digest sink reports on (`JobExecutionResult.collected`). */
export const DIGEST_CHANNEL = 'nexmark-result-digest';

/** What each subtask of a {@link DigestSink} sends to the client at end of input. */
export interface SubtaskDigest {
  readonly subtask: number;
  readonly parallelism: number;
  readonly rows: number;
  readonly sum: number;
  /** SQL sinks: changelog messages received. */
  readonly changes?: number;
}

/**
 * The benchmark's sink: discards records like Flink's `blackhole`, after adding each one's hash to its subtask's
 * digest, which it sends to the client at end of input.
 */
export class DigestSink<T> implements Sink<T> {
  constructor(private readonly hash: (row: T) => number) {}

  createWriter(ctx: SinkWriterContext): SinkWriter<T> {
    const hash = this.hash;
    let rows = 0;
    let sum = 0;
    return {
      write(row: T): void {
        rows++;
        sum = (sum + hash(row)) >>> 0;
      },
      flush(endOfInput: boolean): void {
        if (!endOfInput) return;
        const d: SubtaskDigest = { subtask: ctx.subtaskIndex, parallelism: ctx.parallelism, rows, sum };
        ctx.sendToClient(DIGEST_CHANNEL, [d]);
      },
      close(): void {},
    };
  }
}

/**
 * Combines the subtasks' digests of a job into the job's; throws unless every subtask reported exactly once (a
 * subtask that never reached end of input, or one that reported twice after a restart, makes the digest wrong).
 */
export function combineDigests(parts: readonly SubtaskDigest[]): ResultDigest {
  if (parts.length === 0) throw new Error('no subtask of the sink reported a result digest');
  const p = parts[0]!.parallelism;
  const seen = new Set(parts.map((d) => d.subtask));
  if (parts.length !== p || seen.size !== p || parts.some((d) => d.parallelism !== p)) {
    throw new Error(`expected one result digest from each of the sink's ${p} subtasks, got ${parts.length} (subtasks ${parts.map((d) => d.subtask).join(', ')})`);
  }
  let rows = 0;
  let sum = 0;
  let changes = 0;
  for (const d of parts) {
    rows += d.rows;
    sum = (sum + d.sum) >>> 0;
    changes += d.changes ?? 0;
  }
  return parts[0]!.changes === undefined ? { rows, checksum: checksumHex(sum) } : { rows, checksum: checksumHex(sum), changes };
}

/** Whether a run's digest equals its baseline's (rows, checksum, and the changelog messages when both count them). */
export function digestsEqual(run: ResultDigest, baseline: ResultDigest): boolean {
  return run.rows === baseline.rows && run.checksum === baseline.checksum && (run.changes === undefined || baseline.changes === undefined || run.changes === baseline.changes);
}
