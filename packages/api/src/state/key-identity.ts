// Key identity: when two keys are "the same key". State backends use it to find a key's state, the runtime's timer
// service to find a key's timers, and `hashKey` (key-groups.ts) to route it — all three must agree, or a timer fires
// for a key whose state it cannot see. So it is defined once, here, next to the hash.
//
// `normalizeKey` turns a key into a value a JS `Map` can use as a key. Primitives are used as they are (the common
// numeric and string keys cost nothing; `Map` already treats `-0` as `0` and `NaN` as `NaN`); tuples, plain objects
// and dates have no value identity in JS and become a reversible tagged string, so that `keys()` and snapshots can
// hand back equal key values without storing the original object next to every entry. A string is only touched in
// the rare case that it starts with the tag character (so `'\u0001d5'` never collides with a date). Plain objects
// compare by their properties regardless of their order (`{a, b}` and `{b, a}` are one key), like Flink's POJO and
// Row keys; a property whose value is `undefined` counts (`{a: undefined}` is not `{}`), as the binary codec keeps it.

/** Tag character of normalised (composite or escaped) keys; a user string starting with it is escaped. */
const MARK = '\u0001';
const MARK_CODE = 1;

function unsupported(key: unknown): TypeError {
  return new TypeError(
    `unsupported state key type ${Object.prototype.toString.call(key)}: keys must be numbers, strings, booleans, ` +
      'bigints, null/undefined, dates, arrays (tuples) or plain objects of these',
  );
}

/** Whether a value is a plain object (created by a literal or `Object.create(null)`), not a class instance. */
export function isPlainObject(x: object): boolean {
  const proto = Object.getPrototypeOf(x) as unknown;
  return proto === Object.prototype || proto === null;
}

type Encoded = string | Encoded[];

/** Marks an encoded plain object: `['o', name1, value1, ...]` (no element encoding is the bare string 'o'). */
const OBJECT = 'o';

function encodeElement(x: unknown): Encoded {
  switch (typeof x) {
    case 'number':
      return 'n' + String(x);
    case 'string':
      return 's' + x;
    case 'boolean':
      return x ? 'T' : 'F';
    case 'bigint':
      return 'i' + x.toString();
    case 'undefined':
      return 'u';
    case 'object':
      if (x === null) return 'l';
      if (Array.isArray(x)) return encodeTuple(x);
      if (x instanceof Date) return 'd' + String(x.getTime());
      if (isPlainObject(x)) return encodeObject(x as Record<string, unknown>);
  }
  throw unsupported(x);
}

function encodeTuple(xs: readonly unknown[]): Encoded[] {
  const out: Encoded[] = new Array(xs.length);
  for (let i = 0; i < xs.length; i++) out[i] = encodeElement(xs[i]);
  return out;
}

function encodeObject(o: Record<string, unknown>): Encoded[] {
  const names = Object.keys(o).sort();
  const out: Encoded[] = [OBJECT];
  for (const n of names) out.push(n, encodeElement(o[n]));
  return out;
}

function decodeElement(e: Encoded): unknown {
  if (typeof e !== 'string') {
    if (e[0] === OBJECT) {
      const o: Record<string, unknown> = {};
      for (let i = 1; i + 1 < e.length; i += 2) o[e[i] as string] = decodeElement(e[i + 1]!);
      return o;
    }
    return e.map(decodeElement);
  }
  const rest = e.slice(1);
  switch (e.charAt(0)) {
    case 'n':
      return Number(rest);
    case 's':
      return rest;
    case 'T':
      return true;
    case 'F':
      return false;
    case 'i':
      return BigInt(rest);
    case 'u':
      return undefined;
    case 'l':
      return null;
    case 'd':
      return new Date(Number(rest));
  }
  throw new Error(`corrupt normalised key element '${e}'`);
}

/**
 * The `Map` key of a state key: the key itself for primitives, a reversible tagged string for tuples, plain objects
 * and dates. Keys equal by value give equal map keys; keys of different types never collide (`1`, `'1'`, `1n`,
 * `[1]`, `{0: 1}`). Used by every state backend and by the runtime's timers, which must agree on key identity.
 *
 * @throws TypeError for functions, symbols, class instances and other unsupported keys.
 * @public
 */
export function normalizeKey(key: unknown): unknown {
  switch (typeof key) {
    case 'number':
    case 'boolean':
    case 'bigint':
    case 'undefined':
      return key;
    case 'string':
      return key.charCodeAt(0) === MARK_CODE ? MARK + 's' + key : key;
    case 'object':
      if (key === null) return null;
      if (Array.isArray(key)) return MARK + 't' + JSON.stringify(encodeTuple(key));
      if (key instanceof Date) return MARK + 'd' + String(key.getTime());
      if (isPlainObject(key)) return MARK + 'o' + JSON.stringify(encodeObject(key as Record<string, unknown>));
  }
  throw unsupported(key);
}

/**
 * The key value of a `Map` key made by {@link normalizeKey}: primitives as they are, tuples, plain objects and
 * dates rebuilt (equal by value, not the same object; an object's properties in sorted order).
 *
 * @public
 */
export function denormalizeKey(mapKey: unknown): unknown {
  if (typeof mapKey !== 'string' || mapKey.charCodeAt(0) !== MARK_CODE) return mapKey;
  const rest = mapKey.slice(2);
  switch (mapKey.charAt(1)) {
    case 's':
      return rest;
    case 't':
      return (JSON.parse(rest) as Encoded[]).map(decodeElement);
    case 'o':
      return decodeElement(JSON.parse(rest) as Encoded[]);
    case 'd':
      return new Date(Number(rest));
  }
  throw new Error(`corrupt normalised key '${mapKey}'`);
}
