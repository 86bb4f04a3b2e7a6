// Error messages for values the generic codec refuses: say what the value was, so a user can find it in a record.

/**
 * A short human description of a value: `function foo`, `Symbol(id)`, `an instance of Order`, `a Float32Array`.
 *
 * @internal
 */
export function describeValue(v: unknown): string {
  if (typeof v === 'function') return v.name ? `function ${v.name}` : 'an anonymous function';
  if (typeof v === 'symbol') return v.toString();
  if (typeof v === 'object' && v !== null) {
    const proto: unknown = Object.getPrototypeOf(v);
    const ctor = proto !== null && typeof proto === 'object' ? (proto as { constructor?: unknown }).constructor : undefined;
    const name = typeof ctor === 'function' && ctor.name ? ctor.name : undefined;
    return name ? `an instance of ${name}` : 'an object with a non-plain prototype';
  }
  return typeof v;
}

/**
 * The TypeError thrown for a value that is not plain data.
 *
 * @internal
 */
export function notPlainData(v: unknown): TypeError {
  return new TypeError(
    `Cannot serialize ${describeValue(v)}: records must be plain data (undefined, null, booleans, numbers, ` +
      'strings, bigints, Date, Uint8Array, arrays, plain objects, Map, Set). Convert class instances to plain ' +
      'objects before emitting them, or use a dedicated serializer.',
  );
}
