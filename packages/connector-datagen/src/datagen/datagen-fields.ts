// Field generators of the `datagen` source, compiled from field specs into flat arrays that the row loop walks
// (no per-field closures). Values are a pure function of (seed, row number, field position), so rows do not
// depend on how row numbers are split across subtasks. The one exception, as in Flink, is a random timestamp
// without explicit bounds: it is "now minus up to max-past".
import { CounterRng } from '../internal/counter-rng.js';

/**
 * Value types of generated fields (`bigint` values are JavaScript numbers, safe-integer range).
 *
 * @public
 */
export type DataGenFieldType = 'int' | 'bigint' | 'double' | 'boolean' | 'string' | 'timestamp';

/**
 * A generated value.
 *
 * @public
 */
export type DataGenValue = number | string | boolean | null;

/**
 * A generated row, keyed by field name, fields in declaration order.
 *
 * @public
 */
export type DataGenRow = Record<string, DataGenValue>;

/**
 * How one field is generated.
 *
 * @public
 */
export interface DataGenFieldSpec {
  readonly type: DataGenFieldType;
  /** `fields.<name>.kind`: `random` (default) or `sequence`. */
  readonly kind?: 'random' | 'sequence';
  /** `fields.<name>.min` / `.max`: inclusive bounds of random numbers (and timestamps, epoch ms). */
  readonly min?: number;
  readonly max?: number;
  /** `fields.<name>.start` / `.end`: inclusive bounds of a sequence. */
  readonly start?: number;
  readonly end?: number;
  /** `fields.<name>.length`: length of random strings (default 100). */
  readonly length?: number;
  /** `fields.<name>.var-len`: random strings of random length in [1, length]. */
  readonly varLen?: boolean;
  /** `fields.<name>.max-past`: random timestamps without min/max are now minus up to this many ms (default 0). */
  readonly maxPastMs?: number;
  /** `fields.<name>.null-rate`: probability of null (default 0). */
  readonly nullRate?: number;
}

const RANGE_DEFAULTS: Readonly<Record<string, readonly [number, number]>> = {
  int: [-2147483648, 2147483647],
  bigint: [Number.MIN_SAFE_INTEGER, Number.MAX_SAFE_INTEGER],
  double: [Number.MIN_VALUE, Number.MAX_VALUE],
};

const T_INT = 0;
const T_DOUBLE = 1;
const T_BOOLEAN = 2;
const T_STRING = 3;
const T_TIMESTAMP_NOW = 4;
const SEQ_NUMBER = 5;
const SEQ_STRING = 6;

const POOL_CHARS = 'abcdefghijklmnopqrstuvwxyz0123456789';

/**
 * Compiled field generators of one row type.
 *
 * @internal
 */
export class DataGenRowGenerator {
  readonly names: readonly string[];
  /** Rows the sequence fields allow (Infinity without sequence fields). */
  readonly sequenceRows: number;
  private readonly codes: Int32Array;
  private readonly lo: Float64Array;
  private readonly span: Float64Array;
  private readonly nullRate: Float64Array;
  private readonly varLen: Uint8Array;
  private readonly rng: CounterRng;
  private readonly pool: string;
  private readonly poolRange: number;

  constructor(fields: Readonly<Record<string, DataGenFieldSpec>>, seed: number, private readonly now: () => number = Date.now) {
    const names = Object.keys(fields);
    if (names.length === 0) throw new Error('datagen: at least one field is required');
    this.names = names;
    const k = names.length;
    this.codes = new Int32Array(k);
    this.lo = new Float64Array(k);
    this.span = new Float64Array(k);
    this.nullRate = new Float64Array(k);
    this.varLen = new Uint8Array(k);
    let sequenceRows = Number.POSITIVE_INFINITY;
    let maxLen = 0;
    names.forEach((name, i) => {
      const f = fields[name]!;
      const where = `datagen field '${name}'`;
      const nullRate = f.nullRate ?? 0;
      if (!(nullRate >= 0 && nullRate <= 1)) throw new Error(`${where}: null-rate must be in [0, 1], got ${nullRate}`);
      this.nullRate[i] = nullRate;
      if ((f.kind ?? 'random') === 'sequence') {
        if (f.type === 'boolean') throw new Error(`not supported: ${where}: sequence of type boolean`);
        if (f.start === undefined || f.end === undefined) throw new Error(`${where}: a sequence needs start and end`);
        if (!Number.isSafeInteger(f.start) || !Number.isSafeInteger(f.end) || f.start > f.end) {
          throw new Error(`${where}: sequence start/end must be integers with start <= end, got ${f.start}..${f.end}`);
        }
        this.codes[i] = f.type === 'string' ? SEQ_STRING : SEQ_NUMBER;
        this.lo[i] = f.start;
        sequenceRows = Math.min(sequenceRows, f.end - f.start + 1);
        return;
      }
      if (f.kind !== undefined && f.kind !== 'random') throw new Error(`${where}: unknown kind '${String(f.kind)}'`);
      switch (f.type) {
        case 'int':
        case 'bigint':
        case 'double': {
          const [dMin, dMax] = RANGE_DEFAULTS[f.type]!;
          const min = f.min ?? dMin;
          const max = f.max ?? dMax;
          if (!(min <= max)) throw new Error(`${where}: min must be <= max, got ${min}..${max}`);
          if (f.type === 'double') {
            this.codes[i] = T_DOUBLE;
            this.lo[i] = min;
            this.span[i] = max - min;
          } else {
            if (!Number.isSafeInteger(min) || !Number.isSafeInteger(max)) throw new Error(`${where}: min/max must be integers`);
            this.codes[i] = T_INT;
            this.lo[i] = min;
            this.span[i] = max - min + 1;
          }
          break;
        }
        case 'timestamp':
          if (f.min !== undefined || f.max !== undefined) {
            if (f.min === undefined || f.max === undefined || !(f.min <= f.max)) {
              throw new Error(`${where}: a bounded random timestamp needs min <= max (epoch ms)`);
            }
            this.codes[i] = T_INT;
            this.lo[i] = f.min;
            this.span[i] = f.max - f.min + 1;
          } else {
            const maxPast = f.maxPastMs ?? 0;
            if (!(maxPast >= 0)) throw new Error(`${where}: max-past must be >= 0`);
            this.codes[i] = T_TIMESTAMP_NOW;
            this.span[i] = maxPast + 1;
          }
          break;
        case 'boolean':
          this.codes[i] = T_BOOLEAN;
          break;
        case 'string': {
          const length = f.length ?? 100;
          if (!Number.isSafeInteger(length) || length < 0) throw new Error(`${where}: length must be a non-negative integer`);
          this.codes[i] = T_STRING;
          this.span[i] = length;
          this.varLen[i] = f.varLen ? 1 : 0;
          maxLen = Math.max(maxLen, length);
          break;
        }
        default:
          throw new Error(`not supported: ${where}: type '${String((f as { type: unknown }).type)}'`);
      }
    });
    this.sequenceRows = sequenceRows;
    this.rng = new CounterRng(seed);
    this.rng.reset(2 ** 52 + 7);
    const poolLength = Math.max(1 << 16, maxLen * 4);
    let pool = '';
    for (let i = 0; i < poolLength; i++) pool += POOL_CHARS[this.rng.nextInt(POOL_CHARS.length)];
    this.pool = pool.split('').join('');
    this.poolRange = poolLength - maxLen + 1;
  }

  /** The row with number `r`. */
  generate(r: number): DataGenRow {
    const rng = this.rng;
    rng.reset(r);
    const row: DataGenRow = {};
    const names = this.names;
    for (let i = 0; i < names.length; i++) {
      // One null draw per nullable field keeps the stream layout independent of the outcome.
      if (this.nullRate[i]! > 0 && rng.nextDouble() < this.nullRate[i]!) {
        row[names[i]!] = null;
        continue;
      }
      let v: DataGenValue;
      switch (this.codes[i]) {
        case T_INT:
          v = this.lo[i]! + rng.nextLong(this.span[i]!);
          break;
        case T_DOUBLE:
          v = this.lo[i]! + rng.nextDouble() * this.span[i]!;
          break;
        case T_BOOLEAN:
          v = rng.nextInt(2) === 1;
          break;
        case T_STRING: {
          const len = this.varLen[i] === 1 && this.span[i]! > 0 ? 1 + rng.nextInt(this.span[i]!) : this.span[i]!;
          const off = rng.nextInt(this.poolRange);
          v = this.pool.slice(off, off + len);
          break;
        }
        case T_TIMESTAMP_NOW:
          v = this.now() - rng.nextLong(this.span[i]!);
          break;
        case SEQ_NUMBER:
          v = this.lo[i]! + r;
          break;
        default:
          v = String(this.lo[i]! + r);
      }
      row[names[i]!] = v;
    }
    return row;
  }
}
