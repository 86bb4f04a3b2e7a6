// Bound values in persisted JSON (committables, split positions): strings, numbers and null as themselves, bytes as
// `{"b": base64}`; reading validates every value, so a corrupt payload fails at restore instead of becoming a wrong
// value.
import type { MySqlBindValue } from '../types/mysql-types.js';

/** A bound value as stored in JSON. @internal */
export type StoredBindValue = string | number | null | { readonly b: string };

/** @internal */
export function storeValues(values: readonly MySqlBindValue[]): StoredBindValue[] {
  return values.map((v) => (Buffer.isBuffer(v) ? { b: v.toString('base64') } : v));
}

/** @internal */
export function loadValues(values: unknown, what: string): MySqlBindValue[] {
  if (!Array.isArray(values)) throw new Error(`invalid payload: ${what} is not a list`);
  return values.map((v: unknown) => {
    if (v === null || typeof v === 'string' || typeof v === 'number') return v;
    if (typeof v === 'object' && typeof (v as { b?: unknown }).b === 'string') return Buffer.from((v as { b: string }).b, 'base64');
    throw new Error(`invalid payload: a value of ${what} is ${JSON.stringify(v)}`);
  });
}
