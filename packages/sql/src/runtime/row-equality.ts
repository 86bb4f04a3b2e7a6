// Equality of field values as SQL sees them (bigints, bytes, arrays, maps by value), used to suppress updates that
// do not change a result.

/** Whether two values are equal by value. @internal */
export function valuesEqual(a: unknown, b: unknown): boolean {
  if (a === b) return true;
  if (a === null || b === null || typeof a !== 'object' || typeof b !== 'object') return typeof a === 'number' && typeof b === 'number' && a !== a && b !== b;
  if (a instanceof Uint8Array && b instanceof Uint8Array) return Buffer.from(a.buffer, a.byteOffset, a.byteLength).equals(b);
  if (Array.isArray(a) && Array.isArray(b)) return rowsEqual(a, b);
  if (a instanceof Map && b instanceof Map) {
    if (a.size !== b.size) return false;
    for (const [k, v] of a) if (!b.has(k) || !valuesEqual(v, b.get(k))) return false;
    return true;
  }
  return false;
}

/** Whether two field arrays are equal by value. @internal */
export function rowsEqual(a: readonly unknown[], b: readonly unknown[]): boolean {
  if (a.length !== b.length) return false;
  for (let i = 0; i < a.length; i++) if (!valuesEqual(a[i], b[i])) return false;
  return true;
}
