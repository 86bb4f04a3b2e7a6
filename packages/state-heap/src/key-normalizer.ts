// Turns state keys (and map-state user keys) into values a JS `Map` can use as keys. Primitives are used as they
// are, so the common numeric/string key costs nothing; tuples and dates have no value identity in JS and become a
// reversible tagged string, so `keys()` and snapshots can hand back equal key values without storing the original
// object next to every entry. Strings are only touched in the rare case that they start with the tag character.

/** Tag character of normalised (composite or escaped) keys; a user string starting with it is escaped. */
const MARK = '\u0001';
const MARK_CODE = 1;

function unsupported(key: unknown): TypeError {
  return new TypeError(
    `unsupported state key type ${Object.prototype.toString.call(key)}: keys must be numbers, strings, booleans, ` +
      'bigints, null/undefined, dates or arrays (tuples) of these',
  );
}

type Encoded = string | Encoded[];

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
  }
  throw unsupported(x);
}

function encodeTuple(xs: readonly unknown[]): Encoded[] {
  const out: Encoded[] = new Array(xs.length);
  for (let i = 0; i < xs.length; i++) out[i] = encodeElement(xs[i]);
  return out;
}

function decodeElement(e: Encoded): unknown {
  if (typeof e !== 'string') return e.map(decodeElement);
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
 * The `Map` key for a state key: the key itself for primitives, a reversible tagged string for tuples and dates.
 * Equal keys (by value) give equal map keys; keys of different types never collide (`1` vs `'1'` vs `[1]`). Shared by
 * the state backends, which must normalise keys identically.
 *
 * @beta
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
  }
  throw unsupported(key);
}

/**
 * The key value for a `Map` key made by {@link normalizeKey}: primitives as they are, tuples and dates rebuilt
 * (equal by value, not the same object).
 *
 * @beta
 */
export function denormalizeKey(mapKey: unknown): unknown {
  if (typeof mapKey !== 'string' || mapKey.charCodeAt(0) !== MARK_CODE) return mapKey;
  const rest = mapKey.slice(2);
  switch (mapKey.charAt(1)) {
    case 's':
      return rest;
    case 't':
      return (JSON.parse(rest) as Encoded[]).map(decodeElement);
    case 'd':
      return new Date(Number(rest));
  }
  throw new Error(`corrupt normalised key '${mapKey}'`);
}
