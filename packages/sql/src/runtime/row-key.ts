// Key selectors of SQL operators: the values of the key fields as a state key. The key's representation is the SQL
// operators' own (none of them reads a key back; they take the key fields from the row), so it is chosen for the
// cost of the state backend's key identity (`normalizeKey`) and routing hash (`hashKey`), which run per row:
// - one field is used as it is (a number or string key costs nothing), except that a bigint in the safe-integer
//   range becomes that number (all values of a column have one type, so this stays one-to-one, and a number hashes
//   without the decimal text a bigint needs);
// - several fields of scalar values become one string, each part tagged with its type and ended by `|` (a string
//   part carries its length, so its content cannot be mistaken for a separator): normalising and hashing it is one
//   pass over the string instead of a JSON encoding and a hash per element;
// - a key with a byte string, array, map or row value stays a tuple (bytes as hex so that equal byte strings are one
//   key), which the state backend normalises; such a key never equals a string key (tuples normalise to a tagged
//   string starting with \u0001).
// Equal field values give equal keys; 0 and -0 are one key (as before: `Map` and the backend's tuple encoding treat
// them so).
import type { Row } from '@runnel/api/table';

function keyValue(v: unknown): unknown {
  if (v instanceof Uint8Array) return `\u0002${Buffer.from(v).toString('hex')}`;
  if (v instanceof Map) return [...v.entries()].map(([k, x]) => [keyValue(k), keyValue(x)]);
  if (Array.isArray(v)) return v.map(keyValue);
  return v;
}

/** A scalar field value as part of a composite key string, or undefined for values that are objects. */
function keyPart(v: unknown): string | undefined {
  switch (typeof v) {
    case 'number':
      return `n${v}|`;
    case 'string':
      return `s${v.length}:${v}|`;
    case 'bigint':
      return `i${v}|`;
    case 'boolean':
      return v ? 'T|' : 'F|';
    case 'undefined':
      return 'u|';
    case 'object':
      return v === null ? 'l|' : undefined;
  }
  return undefined;
}

/** The key selector for these fields (a constant key when there are none). @internal */
export function rowKeySelector(fields: readonly number[]): (row: Row) => unknown {
  if (fields.length === 0) return () => 0;
  if (fields.length === 1) {
    const i = fields[0]!;
    return (row) => {
      const v = row.fields[i];
      if (typeof v === 'bigint') {
        const n = Number(v);
        return Number.isSafeInteger(n) ? n : v;
      }
      return typeof v === 'object' && v !== null ? keyValue(v) : v;
    };
  }
  return (row) => {
    const r = row.fields;
    let key = '';
    for (let j = 0; j < fields.length; j++) {
      const part = keyPart(r[fields[j]!]);
      if (part === undefined) return fields.map((i) => keyValue(r[i]));
      key += part;
    }
    return key;
  };
}
