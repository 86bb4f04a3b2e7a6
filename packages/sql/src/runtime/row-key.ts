// Key selectors of SQL operators: the values of the key fields as a state key. One field is used as it is (a
// number, string or bigint key costs nothing); several become a tuple, which the state backend normalises; bytes
// become hex so that equal byte strings are one key.
import type { Row } from '@runnel/api/table';

function keyValue(v: unknown): unknown {
  if (v instanceof Uint8Array) return `\u0002${Buffer.from(v).toString('hex')}`;
  if (v instanceof Map) return [...v.entries()].map(([k, x]) => [keyValue(k), keyValue(x)]);
  if (Array.isArray(v)) return v.map(keyValue);
  return v;
}

/** The key selector for these fields (a constant key when there are none). @internal */
export function rowKeySelector(fields: readonly number[]): (row: Row) => unknown {
  if (fields.length === 0) return () => 0;
  if (fields.length === 1) {
    const i = fields[0]!;
    return (row) => {
      const v = row.fields[i];
      return typeof v === 'object' && v !== null ? keyValue(v) : v;
    };
  }
  return (row) => fields.map((i) => keyValue(row.fields[i]));
}
