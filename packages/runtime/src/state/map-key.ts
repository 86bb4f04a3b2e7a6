// Keys are used as JS Map keys by timers and operators. Primitives already have value semantics; tuples (arrays)
// and dates do not, so they are normalised to a tagged string. Equal keys give equal map keys.

/** @internal */
export function mapKeyOf(key: unknown): unknown {
  if (typeof key !== 'object' || key === null) return key;
  if (key instanceof Date) return `\u0001d${key.getTime()}`;
  if (Array.isArray(key)) return '\u0001a' + JSON.stringify(key, (_k, v) => (typeof v === 'bigint' ? `\u0001n${v}` : v instanceof Date ? `\u0001d${v.getTime()}` : v));
  return key;
}
