// Keys for Maps of SQL values. A JS Map compares keys by SameValueZero, which is SQL equality for the values that
// are primitives (numbers, bigints, strings, booleans; -0 and 0 are one key, NaN equals NaN as in Flink's boxed
// comparison), so those are their own key and cost nothing. BINARY values (Uint8Array), ARRAY and ROW values
// (arrays), MAP and MULTISET values (Maps) are compared by identity by a Map, so they get a canonical string: equal
// values give equal strings, different values different ones. Accumulators keep only such plain keys, never the
// objects' identities, which would not survive the state codec anyway.

/**
 * Whether a value is its own canonical key (a primitive or NULL).
 *
 * @internal
 */
export function isPrimitiveValue(v: unknown): boolean {
  return v === null || typeof v !== 'object';
}

/**
 * The Map key of a SQL value: the value itself when it is a primitive, else its canonical string.
 *
 * @internal
 */
export function canonicalKey(v: unknown): unknown {
  return v === null || typeof v !== 'object' ? v : canonicalString(v);
}

/**
 * The canonical key of a row of argument values (COUNT(DISTINCT a, b)): a single primitive is its own key.
 *
 * @internal
 */
export function canonicalArgsKey(args: readonly unknown[]): unknown {
  if (args.length === 1) return canonicalKey(args[0]);
  let s = '';
  for (const a of args) s += canonicalString(a);
  return s;
}

/**
 * An injective string form of any SQL value; each part is self-delimiting (a tag, then a length or a terminator),
 * so the concatenation of several is injective too.
 *
 * @internal
 */
export function canonicalString(v: unknown): string {
  switch (typeof v) {
    case 'number':
      // -0 is 0 in SQL equality; String(NaN) is 'NaN' for every NaN.
      return `n${v === 0 ? '0' : String(v)};`;
    case 'bigint':
      return `i${v};`;
    case 'string':
      return `s${v.length}:${v}`;
    case 'boolean':
      return v ? 'T' : 'F';
    case 'undefined':
      return 'N';
    case 'object': {
      if (v === null) return 'N';
      if (v instanceof Uint8Array) return `b${v.length}:${bytesToLatin1(v)}`;
      if (Array.isArray(v)) {
        let s = `a${v.length}:`;
        for (const x of v) s += canonicalString(x);
        return s;
      }
      if (v instanceof Map) {
        // MAP and MULTISET equality ignores entry order: sort the entries' forms.
        const entries: string[] = [];
        for (const [k, x] of v) entries.push(canonicalString(k) + canonicalString(x));
        entries.sort();
        return `m${entries.length}:${entries.join('')}`;
      }
      break;
    }
    default:
      break;
  }
  throw new TypeError(`Not a SQL value: ${Object.prototype.toString.call(v)}`);
}

/**
 * The bytes as a string of char codes 0–255. Comparing two such strings with `<` is comparing the bytes as unsigned
 * values, lexicographically (Flink's order of BINARY values).
 *
 * @internal
 */
export function bytesToLatin1(b: Uint8Array): string {
  let s = '';
  // fromCharCode takes its arguments on the stack: go by chunks.
  for (let i = 0; i < b.length; i += 4096) {
    s += String.fromCharCode.apply(null, b.subarray(i, Math.min(i + 4096, b.length)) as unknown as number[]);
  }
  return s;
}

/**
 * The inverse of {@link bytesToLatin1}.
 *
 * @internal
 */
export function latin1ToBytes(s: string): Uint8Array {
  const b = new Uint8Array(s.length);
  for (let i = 0; i < s.length; i++) b[i] = s.charCodeAt(i);
  return b;
}
