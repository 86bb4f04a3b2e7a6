// Reads a `datagen` table's options against its physical columns (Flink's `DataGenTableSourceFactory` and its
// random/sequence generator visitors) and plans a generator per column. Which `fields.<column>.<option>` keys exist
// depends on the column's type and kind, exactly as in Flink: `min`/`max` for numbers, `length`/`var-len` for
// variable-length strings and bytes, `max-past` for timestamps, `length` for collections, `start`/`end` for
// sequences, `null-rate` everywhere (random), and nested types take their parts' options under
// `fields.<column>.element.`, `.key.`, `.value.` and `.<field>.`. Every key is checked with `@runnel/api/config`:
// a key of no column, an option that does not apply to a column's type, a typo (with the closest valid key) and a
// value out of range all fail when the table is created, naming the key.
import {
  ConfigurationError,
  closestKey,
  parseOptionValue,
  parseOptions,
  type OptionDeclaration,
  type ParsedOptions,
} from '@runnel/api/config';
import { MAX_LENGTH, type LogicalType, type RowType } from '@runnel/api/table';
import { typeName } from './type-name.js';
import { DataGenOptions } from '../factories/datagen-options.js';
import {
  CurrentDate,
  CurrentTime,
  NullOr,
  PastTimestamp,
  RandomArray,
  RandomBigInt,
  RandomBoolean,
  RandomBytes,
  RandomFloating,
  RandomInteger,
  RandomMap,
  RandomRow,
  RandomString,
  SequenceBigInt,
  SequenceBytes,
  SequenceNumber,
  SequenceString,
  type HexPool,
  type Now,
  type ValueGenerator,
} from './datagen-value-generators.js';

/** What generators are built with: the wall clock (time types) and the shared random text. @internal */
export interface GeneratorEnv {
  readonly now: Now;
  readonly pool: HexPool;
}

/**
 * The plan of one column: its type, kind and how to build its generator.
 *
 * @internal
 */
export interface DataGenColumnPlan {
  readonly name: string;
  readonly type: LogicalType;
  readonly kind: 'random' | 'sequence';
  build(env: GeneratorEnv): ValueGenerator;
}

/**
 * A validated `datagen` table.
 *
 * @internal
 */
export interface DataGenTablePlan {
  /** `datagen table '<name>'`, the start of every message. */
  readonly where: string;
  readonly columns: ReadonlyMap<string, DataGenColumnPlan>;
  /** `rows-per-second` over all subtasks; 0 = unlimited. */
  readonly rowsPerSecond: number;
  /** Rows to generate: `number-of-rows` and every sequence's length bound it; Infinity when unbounded. */
  readonly totalRows: number;
  readonly seed: number;
  /** The longest random string any column generates (sizes the shared random text). */
  readonly longestString: number;
}

const FIELDS = 'fields.';
/** Every per-field option name of Flink's datagen, to tell "does not apply here" from a typo. */
const FIELD_OPTIONS = new Set(['kind', 'min', 'max', 'max-past', 'length', 'var-len', 'start', 'end', 'null-rate']);
const INT_RANGES: Readonly<Record<string, readonly [number, number]>> = {
  TINYINT: [-128, 127],
  SMALLINT: [-32768, 32767],
  INTEGER: [-2147483648, 2147483647],
};
const LONG_MIN = -(2n ** 63n);
const LONG_MAX = 2n ** 63n - 1n;
const FLOAT_MAX = 3.4028234663852886e38;
const FLOAT_MIN_POSITIVE = 1.401298464324817e-45;
/** Flink's default upper bound of INTERVAL YEAR TO MONTH (months). */
const MAX_PERIOD_MONTHS = 120000;
const DEFAULT_STRING_LENGTH = 100;
const DEFAULT_COLLECTION_LENGTH = 3;
const SEQUENCE_TYPES = 'TINYINT, SMALLINT, INT, BIGINT, FLOAT, DOUBLE, DECIMAL, CHAR, VARCHAR, BINARY, VARBINARY';

/** A type or one of its parts, with the options declared for it. */
interface Node {
  /** `a`, `a.element`, `m.key`, `r.x`: the key part between `fields.` and the option. */
  readonly path: string;
  readonly type: LogicalType;
  readonly kind: 'random' | 'sequence';
  readonly top: boolean;
  readonly options: Map<string, OptionDeclaration>;
  readonly children: Node[];
}

function declare(node: Node, option: string, declaration: Omit<OptionDeclaration, 'key'>): void {
  node.options.set(option, { key: `${FIELDS}${node.path}.${option}`, ...declaration } as OptionDeclaration);
}


/** The options of a randomly generated value of `type` at `path`, and of its parts. */
function randomNode(where: string, path: string, type: LogicalType, top: boolean): Node {
  const node: Node = { path, type, kind: 'random', top, options: new Map(), children: [] };
  if (top) kindOption(node);
  declare(node, 'null-rate', { type: 'double', min: 0, max: 1, defaultValue: 0, description: 'The proportion of null values.' });
  const range = (description: string, extra: Omit<OptionDeclaration, 'key' | 'description'>): void => {
    declare(node, 'min', { ...extra, description: `Random: the smallest value${description}.` } as Omit<OptionDeclaration, 'key'>);
    declare(node, 'max', { ...extra, description: `Random: the largest value${description}.` } as Omit<OptionDeclaration, 'key'>);
  };
  switch (type.root) {
    case 'TINYINT':
    case 'SMALLINT':
    case 'INTEGER': {
      const [lo, hi] = INT_RANGES[type.root]!;
      range('', { type: 'int', min: lo, max: hi, defaultDescription: "the type's range" });
      break;
    }
    case 'BIGINT':
      // Text, parsed as a bigint: the whole 64-bit range is exact (the `long` option type stops at 2^53).
      range(' (a 64-bit integer)', { type: 'string', defaultDescription: "the type's range" });
      break;
    case 'FLOAT':
    case 'DOUBLE':
    case 'INTERVAL_DAY_TIME':
      range(type.root === 'INTERVAL_DAY_TIME' ? ' (milliseconds)' : '', {
        type: type.root === 'INTERVAL_DAY_TIME' ? 'long' : 'double',
        defaultDescription: "the type's range",
      });
      break;
    case 'INTERVAL_YEAR_MONTH':
      range(' (months)', { type: 'int', defaultDescription: `0 to ${MAX_PERIOD_MONTHS}` });
      break;
    case 'DECIMAL':
      range(' (a decimal number)', { type: 'string', defaultDescription: '0 to the largest value of the type' });
      break;
    case 'VARCHAR':
    case 'VARBINARY': {
      const declared = type.precision ?? MAX_LENGTH;
      declare(node, 'length', {
        type: 'int',
        min: 0,
        max: declared,
        defaultDescription: `the declared length; ${DEFAULT_STRING_LENGTH} for STRING and BYTES`,
        description: 'Random: the length (at most the declared length).',
      });
      declare(node, 'var-len', { type: 'boolean', defaultValue: false, description: 'Random: a random length in [1, `length`].' });
      break;
    }
    case 'TIMESTAMP':
    case 'TIMESTAMP_LTZ':
      declare(node, 'max-past', { type: 'duration', min: 0, defaultValue: 0, description: 'Random: now minus up to this much.' });
      break;
    case 'ARRAY':
    case 'MULTISET':
    case 'MAP':
      declare(node, 'length', {
        type: 'int',
        min: 0,
        defaultValue: DEFAULT_COLLECTION_LENGTH,
        description: 'Random: the number of elements (entries drawn for a map or multiset).',
      });
      if (type.root === 'MAP') {
        node.children.push(randomNode(where, `${path}.key`, type.key!, false), randomNode(where, `${path}.value`, type.element!, false));
      } else {
        node.children.push(randomNode(where, `${path}.element`, type.element!, false));
      }
      break;
    case 'ROW':
      for (const f of type.fields ?? []) node.children.push(randomNode(where, `${path}.${f.name}`, f.type, false));
      break;
    case 'BOOLEAN':
    case 'CHAR':
    case 'BINARY':
    case 'DATE':
    case 'TIME':
      break;
    default:
      throw new ConfigurationError(`${where}: not supported: column '${path}' of type ${typeName(type)}`);
  }
  return node;
}

function kindOption(node: Node): void {
  declare(node, 'kind', {
    type: 'enum',
    values: ['random', 'sequence'],
    defaultValue: 'random',
    description: 'Generator of the column: `random` or `sequence`.',
  });
}

/** The options of a sequence column (`start` and `end` are required, as in Flink). */
function sequenceNode(where: string, path: string, type: LogicalType): Node {
  const node: Node = { path, type, kind: 'sequence', top: true, options: new Map(), children: [] };
  kindOption(node);
  const bounds = (extra: Omit<OptionDeclaration, 'key' | 'description'>): void => {
    declare(node, 'start', { ...extra, required: true, description: 'Sequence: the first value.' } as Omit<OptionDeclaration, 'key'>);
    declare(node, 'end', { ...extra, required: true, description: 'Sequence: the last value.' } as Omit<OptionDeclaration, 'key'>);
  };
  switch (type.root) {
    case 'TINYINT':
    case 'SMALLINT':
    case 'INTEGER': {
      const [lo, hi] = INT_RANGES[type.root]!;
      bounds({ type: 'int', min: lo, max: hi });
      break;
    }
    case 'FLOAT':
    case 'DOUBLE':
    case 'DECIMAL':
      bounds({ type: 'long' });
      break;
    case 'BIGINT':
    case 'CHAR':
    case 'VARCHAR':
    case 'BINARY':
    case 'VARBINARY':
      bounds({ type: 'string' });
      break;
    default:
      throw new ConfigurationError(
        `${where}: not supported: a sequence of type ${typeName(type)} (column '${path}'); sequences are of ${SEQUENCE_TYPES}`,
        `${FIELDS}${path}.kind`,
      );
  }
  return node;
}

function allNodes(node: Node, out: Node[] = []): Node[] {
  out.push(node);
  for (const c of node.children) allNodes(c, out);
  return out;
}

/** The longest column name `c` such that `key` starts with `fields.<c>.` (column names may contain dots). */
function columnOfKey(key: string, names: readonly string[]): string | undefined {
  let best: string | undefined;
  for (const n of names) if (key.startsWith(`${FIELDS}${n}.`) && (best === undefined || n.length > best.length)) best = n;
  return best;
}

/** Checks that every `fields.` key names a column and an option that applies to it (typos are left to parseOptions). */
function checkFieldKeys(where: string, options: Readonly<Record<string, string>>, nodes: ReadonlyMap<string, Node[]>): void {
  const names = [...nodes.keys()];
  for (const key of Object.keys(options)) {
    if (!key.startsWith(FIELDS)) continue;
    const column = columnOfKey(key, names);
    if (column === undefined) {
      const guess = key.slice(FIELDS.length).split('.')[0]!;
      // `fields.<column>` without an option: an unknown key, which parseOptions reports with the closest one.
      if (names.includes(guess)) continue;
      const near = closestKey(guess, names);
      throw new ConfigurationError(
        `${where}: option '${key}': no column '${guess}'${near === undefined ? '' : ` (did you mean '${near}'?)`}; columns: ${names.join(', ')}`,
        key,
      );
    }
    const rest = key.slice(FIELDS.length);
    let owner: Node | undefined;
    for (const n of nodes.get(column)!) {
      const option = rest.slice(n.path.length + 1);
      if (rest.startsWith(`${n.path}.`) && FIELD_OPTIONS.has(option) && (owner === undefined || n.path.length > owner.path.length)) owner = n;
    }
    if (owner === undefined) continue;
    const option = rest.slice(owner.path.length + 1);
    if (owner.options.has(option)) continue;
    const what = owner.top ? `column '${owner.path}' (${typeName(owner.type)}, ${owner.kind})` : `'${owner.path}' (${typeName(owner.type)})`;
    const valid = [...owner.options.values()].map((d) => d.key);
    throw new ConfigurationError(
      `${where}: option '${key}' does not apply to ${what}; its options: ${valid.length > 0 ? valid.join(', ') : 'none'}`,
      key,
    );
  }
}

/** Parses a 64-bit integer option (text), with `@runnel/api/config`'s wording. */
function bigIntValue(where: string, o: ParsedOptions, d: OptionDeclaration | undefined, fallback: bigint, lo = LONG_MIN, hi = LONG_MAX): bigint {
  const text = d === undefined ? undefined : (o.getOptional(d) as string | undefined);
  if (text === undefined) return fallback;
  const t = text.trim();
  if (!/^[+-]?\d+$/.test(t)) throw new ConfigurationError(`${where}: option '${d!.key}': '${text}' is not an integer`, d!.key);
  const v = BigInt(t);
  if (v < lo || v > hi) throw new ConfigurationError(`${where}: option '${d!.key}': '${text}' is out of range (expected ${lo} to ${hi})`, d!.key);
  return v;
}

/** A decimal option as an unscaled value at `scale`, rounded toward the inside of the range (`up`: ceiling). */
function decimalValue(where: string, o: ParsedOptions, d: OptionDeclaration, scale: number, up: boolean): bigint | undefined {
  const text = o.getOptional(d) as string | undefined;
  if (text === undefined) return undefined;
  const m = /^([+-]?)(\d*)(?:\.(\d*))?(?:[eE]([+-]?\d+))?$/.exec(text.trim());
  if (m === null || (m[2] ?? '') + (m[3] ?? '') === '') {
    throw new ConfigurationError(`${where}: option '${d.key}': '${text}' is not a number`, d.key);
  }
  const frac = m[3] ?? '';
  let digits = BigInt(`${m[2] ?? ''}${frac}` || '0');
  if (m[1] === '-') digits = -digits;
  const shift = Number(m[4] ?? '0') - frac.length + scale;
  if (shift >= 0) return digits * 10n ** BigInt(shift);
  const divisor = 10n ** BigInt(-shift);
  const q = digits / divisor; // truncates toward zero
  const exact = q * divisor === digits;
  if (exact) return q;
  return up ? (digits > 0n ? q + 1n : q) : digits < 0n ? q - 1n : q;
}

function positiveNullRate(where: string, node: Node, o: ParsedOptions): number {
  const d = node.options.get('null-rate');
  const rate = d === undefined ? 0 : (o.get(d) as number);
  if (rate > 0 && !node.type.nullable) {
    const what = node.top ? `column '${node.path}'` : `'${node.path}'`;
    throw new ConfigurationError(`${where}: option '${d!.key}': ${what} is NOT NULL, so its null-rate must be 0`, d!.key);
  }
  return rate;
}

function outOfOrder(where: string, node: Node, lo: unknown, hi: unknown, a = 'min', b = 'max'): never {
  throw new ConfigurationError(
    `${where}: '${node.path}': ${a} (${String(lo)}) must not be greater than ${b} (${String(hi)})`,
    node.options.get(a)?.key,
  );
}

/** Builds the generator of a random node from the parsed options. */
function randomBuilder(where: string, node: Node, o: ParsedOptions): (env: GeneratorEnv) => ValueGenerator {
  const t = node.type;
  const opt = (name: string): OptionDeclaration => node.options.get(name)!;
  const children = node.children.map((c) => randomBuilder(where, c, o));
  let make: (env: GeneratorEnv) => ValueGenerator;
  switch (t.root) {
    case 'TINYINT':
    case 'SMALLINT':
    case 'INTEGER':
    case 'INTERVAL_YEAR_MONTH':
    case 'INTERVAL_DAY_TIME': {
      const [dlo, dhi] =
        t.root === 'INTERVAL_YEAR_MONTH' ? [0, MAX_PERIOD_MONTHS] : t.root === 'INTERVAL_DAY_TIME' ? [Number.MIN_SAFE_INTEGER, Number.MAX_SAFE_INTEGER] : INT_RANGES[t.root]!;
      const lo = (o.getOptional(opt('min')) as number | undefined) ?? dlo;
      const hi = (o.getOptional(opt('max')) as number | undefined) ?? dhi;
      if (lo > hi) outOfOrder(where, node, lo, hi);
      make = () => new RandomInteger(lo, hi);
      break;
    }
    case 'BIGINT': {
      const lo = bigIntValue(where, o, opt('min'), LONG_MIN);
      const hi = bigIntValue(where, o, opt('max'), LONG_MAX);
      if (lo > hi) outOfOrder(where, node, lo, hi);
      make = () => new RandomBigInt(lo, hi);
      break;
    }
    case 'FLOAT':
    case 'DOUBLE': {
      const float32 = t.root === 'FLOAT';
      // Flink's defaults: the smallest positive value to the largest value of the type.
      const lo = (o.getOptional(opt('min')) as number | undefined) ?? (float32 ? FLOAT_MIN_POSITIVE : Number.MIN_VALUE);
      const hi = (o.getOptional(opt('max')) as number | undefined) ?? (float32 ? FLOAT_MAX : Number.MAX_VALUE);
      if (lo > hi) outOfOrder(where, node, lo, hi);
      make = () => new RandomFloating(lo, hi, float32);
      break;
    }
    case 'DECIMAL': {
      const precision = t.precision ?? 10;
      const scale = t.scale ?? 0;
      // Clamped to what the type holds, as Flink does.
      const largest = 10n ** BigInt(precision) - 1n;
      const given = [decimalValue(where, o, opt('min'), scale, true), decimalValue(where, o, opt('max'), scale, false)];
      const lo = given[0] === undefined ? 0n : given[0] < -largest ? -largest : given[0];
      const hi = given[1] === undefined ? largest : given[1] > largest ? largest : given[1];
      if (lo > hi) outOfOrder(where, node, o.getOptional(opt('min')) ?? 0, o.getOptional(opt('max')) ?? 'the largest value');
      make = () => new RandomBigInt(lo, hi);
      break;
    }
    case 'BOOLEAN':
      make = () => new RandomBoolean();
      break;
    case 'CHAR':
      make = (env) => new RandomString(env.pool, t.precision ?? 1, false);
      break;
    case 'BINARY':
      make = () => new RandomBytes(t.precision ?? 1, false);
      break;
    case 'VARCHAR':
    case 'VARBINARY': {
      const declared = t.precision ?? MAX_LENGTH;
      const length = (o.getOptional(opt('length')) as number | undefined) ?? (declared === MAX_LENGTH ? DEFAULT_STRING_LENGTH : declared);
      const varLen = o.get(opt('var-len')) as boolean;
      make = t.root === 'VARCHAR' ? (env) => new RandomString(env.pool, length, varLen) : () => new RandomBytes(length, varLen);
      break;
    }
    case 'TIMESTAMP':
    case 'TIMESTAMP_LTZ': {
      const maxPast = Math.floor(o.get(opt('max-past')) as number);
      make = (env) => new PastTimestamp(maxPast, env.now);
      break;
    }
    case 'DATE':
      make = (env) => new CurrentDate(env.now);
      break;
    case 'TIME':
      make = (env) => new CurrentTime(env.now);
      break;
    case 'ARRAY':
    case 'MULTISET':
    case 'MAP': {
      const length = o.get(opt('length')) as number;
      const [first, second] = children as [(env: GeneratorEnv) => ValueGenerator, ((env: GeneratorEnv) => ValueGenerator)?];
      if (t.root === 'ARRAY') make = (env) => new RandomArray(first(env), length);
      else if (t.root === 'MAP') make = (env) => new RandomMap(first(env), second!(env), length);
      else make = (env) => new RandomMap(first(env), new RandomInteger(0, 10), length);
      break;
    }
    case 'ROW':
      make = (env) => new RandomRow(children.map((c) => c(env)));
      break;
    default:
      throw new ConfigurationError(`${where}: not supported: '${node.path}' of type ${typeName(t)}`);
  }
  const nullRate = positiveNullRate(where, node, o);
  return nullRate > 0 ? (env) => new NullOr(nullRate, make(env)) : make;
}

/** The longest random string of a node and its parts. */
function longestString(node: Node, o: ParsedOptions): number {
  let longest = 0;
  if (node.kind === 'random' && (node.type.root === 'CHAR' || node.type.root === 'VARCHAR')) {
    const declared = node.type.precision ?? MAX_LENGTH;
    const d = node.options.get('length');
    const given = d === undefined ? undefined : (o.getOptional(d) as number | undefined);
    longest = node.type.root === 'CHAR' ? declared : (given ?? (declared === MAX_LENGTH ? DEFAULT_STRING_LENGTH : declared));
  }
  for (const c of node.children) longest = Math.max(longest, longestString(c, o));
  return longest;
}

/** Builds a sequence column: its generator and how many rows it allows. */
function sequenceBuilder(where: string, node: Node, o: ParsedOptions): { make: (env: GeneratorEnv) => ValueGenerator; count: number } {
  const t = node.type;
  const start = node.options.get('start')!;
  const end = node.options.get('end')!;
  let first: bigint;
  let last: bigint;
  let make: (env: GeneratorEnv) => ValueGenerator;
  switch (t.root) {
    case 'BIGINT':
    case 'CHAR':
    case 'VARCHAR':
    case 'BINARY':
    case 'VARBINARY':
      first = bigIntValue(where, o, start, 0n);
      last = bigIntValue(where, o, end, 0n);
      make = t.root === 'BIGINT' ? () => new SequenceBigInt(first) : t.root === 'BINARY' || t.root === 'VARBINARY' ? () => new SequenceBytes(first) : () => new SequenceString(first);
      break;
    case 'DECIMAL': {
      first = BigInt(o.get(start) as number);
      last = BigInt(o.get(end) as number);
      const precision = t.precision ?? 10;
      const scale = t.scale ?? 0;
      const limit = 10n ** BigInt(precision - scale);
      for (const [v, d] of [[first, start], [last, end]] as const) {
        if (v >= limit || v <= -limit) {
          throw new ConfigurationError(`${where}: option '${d.key}': ${v} does not fit ${typeName(t)}`, d.key);
        }
      }
      const factor = 10n ** BigInt(scale);
      make = () => new SequenceBigInt(first, factor);
      break;
    }
    default: {
      const s = o.get(start) as number;
      first = BigInt(s);
      last = BigInt(o.get(end) as number);
      make = () => new SequenceNumber(s, t.root === 'FLOAT');
    }
  }
  if (first > last) outOfOrder(where, node, first, last, 'start', 'end');
  const n = last - first + 1n;
  return { make, count: n > BigInt(Number.MAX_SAFE_INTEGER) ? Number.MAX_SAFE_INTEGER : Number(n) };
}

/**
 * Validates a `datagen` table's options (without `connector`) against its physical columns and plans their
 * generators.
 *
 * @throws ConfigurationError naming the key, for every mistake a table can have
 * @internal
 */
export function planDataGenTable(tableName: string, physical: RowType, options: Readonly<Record<string, string>>): DataGenTablePlan {
  const where = `datagen table '${tableName}'`;
  if (physical.fields.length === 0) throw new ConfigurationError(`${where}: needs at least one physical column`);
  const tops: Node[] = [];
  const nodes = new Map<string, Node[]>();
  for (const f of physical.fields) {
    const kindKey = `${FIELDS}${f.name}.kind`;
    let kind: 'random' | 'sequence' = 'random';
    if (Object.hasOwn(options, kindKey)) {
      try {
        kind = parseOptionValue({ key: kindKey, type: 'enum', values: ['random', 'sequence'], description: '' }, options[kindKey]) as 'random' | 'sequence';
      } catch (e) {
        if (e instanceof ConfigurationError) throw new ConfigurationError(`${where}: ${e.message}`, e.key);
        throw e;
      }
    }
    const node = kind === 'sequence' ? sequenceNode(where, f.name, f.type) : randomNode(where, f.name, f.type, true);
    tops.push(node);
    nodes.set(f.name, allNodes(node));
  }
  checkFieldKeys(where, options, nodes);
  const declarations: OptionDeclaration[] = [...Object.values(DataGenOptions)];
  for (const list of nodes.values()) for (const n of list) declarations.push(...n.options.values());
  const o = parseOptions(declarations, options, { context: where });

  const columns = new Map<string, DataGenColumnPlan>();
  let totalRows = o.getOptional(DataGenOptions.numberOfRows) ?? Number.POSITIVE_INFINITY;
  let longest = 0;
  for (const node of tops) {
    let build: (env: GeneratorEnv) => ValueGenerator;
    if (node.kind === 'sequence') {
      const s = sequenceBuilder(where, node, o);
      build = s.make;
      totalRows = Math.min(totalRows, s.count);
    } else {
      build = randomBuilder(where, node, o);
      longest = Math.max(longest, longestString(node, o));
    }
    columns.set(node.path, { name: node.path, type: node.type, kind: node.kind, build });
  }
  return {
    where,
    columns,
    rowsPerSecond: o.get(DataGenOptions.rowsPerSecond),
    totalRows,
    seed: o.get(DataGenOptions.seed),
    longestString: longest,
  };
}
