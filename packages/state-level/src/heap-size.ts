// An estimate of the JS heap a value occupies, for bounding the write-back cache by bytes
// (`state.backend.level.cache-memory`). JavaScript has no `sizeof`, and the serialized size says little about it
// (a 3-element array of small numbers is ~10 bytes encoded and ~50 on the heap; a bigint 9 and 24), so this walks
// the value and adds up V8's object layouts on 64-bit Node without pointer compression: 8-byte fields, object
// headers of three words, arrays as a header plus a backing store of one word per element, heap numbers for
// non-Smi numbers, strings as a 16-byte header plus one byte per character. Spare capacity of arrays and hash
// tables is not counted (it cannot be seen from JavaScript). Large arrays, maps and objects are sampled: at most
// `SAMPLE` elements are walked and the rest extrapolated, so an estimate costs O(SAMPLE × depth), not O(size).
// Measured against `process.memoryUsage().heapUsed` after GC for keys resident in the cache (numbers, strings,
// tuples, bigints, lists, objects, SQL group state), the estimate per resident key is within ~10 % (README).

/** Elements of one array, map or object walked before extrapolating. */
const SAMPLE = 16;
/** Nesting beyond which a value counts as one object (state values are data, not deep graphs). */
const MAX_DEPTH = 8;

const WORD = 8;
/** Map, properties and elements pointers. */
const OBJECT_HEADER = 3 * WORD;
/** An array: object header plus length, and its backing store's header (map and length). */
const ARRAY_BYTES = 4 * WORD + 2 * WORD;
/** Map/Set object plus its hash table's header; each entry about four words (key, value, chain, bucket share). */
const MAP_BYTES = 4 * WORD + 4 * WORD;
const MAP_ENTRY = 4 * WORD;
/** A boxed double, and a bigint's header. */
const HEAP_NUMBER = 2 * WORD;
const BIGINT_HEADER = 2 * WORD;
const STRING_HEADER = 2 * WORD;
/** A typed array (a serializer's bytes): the object with its buffer, plus the bytes. */
const TYPED_ARRAY = 20 * WORD;
const DATE = 6 * WORD;

const TWO_64 = 1n << 64n;

/**
 * Estimated JS heap bytes of `value` as a field or element of another object (the slot it occupies in its parent is
 * the parent's): 0 for Smis, booleans, `undefined` and `null`.
 *
 * @internal
 */
export function heapSize(value: unknown, depth = 0): number {
  switch (typeof value) {
    case 'number':
      // Smis (31-bit integers on 64-bit without pointer compression, 32-bit in V8's layout) live in the field.
      return (value | 0) === value ? 0 : HEAP_NUMBER;
    case 'string':
      return STRING_HEADER + align(value.length);
    case 'bigint':
      return BIGINT_HEADER + WORD * bigintWords(value);
    case 'object':
      return value === null ? 0 : objectSize(value, depth);
    default:
      return 0;
  }
}

function objectSize(value: object, depth: number): number {
  if (depth >= MAX_DEPTH) return OBJECT_HEADER;
  const d = depth + 1;
  if (Array.isArray(value)) {
    const n = value.length;
    let size = ARRAY_BYTES + WORD * n;
    if (n <= SAMPLE) {
      for (let i = 0; i < n; i++) size += heapSize(value[i], d);
      return size;
    }
    const step = n / SAMPLE;
    let sampled = 0;
    for (let i = 0; i < SAMPLE; i++) sampled += heapSize(value[Math.floor(i * step)], d);
    return size + (sampled / SAMPLE) * n;
  }
  if (value instanceof Map || value instanceof Set) {
    const n = value.size;
    let size = MAP_BYTES + MAP_ENTRY * n;
    if (n === 0) return size;
    let sampled = 0;
    let seen = 0;
    const isMap = value instanceof Map;
    for (const e of value as Iterable<unknown>) {
      sampled += isMap ? heapSize((e as [unknown, unknown])[0], d) + heapSize((e as [unknown, unknown])[1], d) : heapSize(e, d);
      if (++seen === SAMPLE) break;
    }
    return size + (sampled / seen) * n;
  }
  if (ArrayBuffer.isView(value)) return TYPED_ARRAY + value.byteLength;
  if (value instanceof Date) return DATE;
  // A plain object (or a class instance such as a TTL entry): header plus one in-object field per property.
  let size = OBJECT_HEADER;
  let n = 0;
  let sampled = 0;
  for (const k in value) {
    if (!Object.prototype.hasOwnProperty.call(value, k)) continue;
    n++;
    if (n <= SAMPLE) sampled += heapSize((value as Record<string, unknown>)[k], d);
  }
  size += WORD * n;
  return n <= SAMPLE ? size + sampled : size + (sampled / SAMPLE) * n;
}

/** 64-bit digits of a bigint (one for |x| < 2^64, the common case, with a single comparison). */
function bigintWords(x: bigint): number {
  let m = x < 0n ? -x : x;
  let words = 1;
  while (m >= TWO_64) {
    m >>= 64n;
    words++;
  }
  return words;
}

function align(n: number): number {
  return (n + 7) & ~7;
}
