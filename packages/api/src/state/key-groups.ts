// Key groups are the unit of keyed state: a key hashes to one of `maxParallelism` key groups, and key groups map
// to subtasks in contiguous ranges. Runtime (keyBy routing), state backends (storage layout) and checkpoints
// (rescaling) must agree on this math exactly, so it lives with the contract. The formulas follow Flink's
// KeyGroupRangeAssignment so that rescaling is a restore-time remap of whole key groups.

/**
 * An inclusive range of key groups `[start, end]`; empty when `end < start`.
 *
 * @public
 */
export interface KeyGroupRange {
  readonly start: number;
  readonly end: number;
}

/**
 * The default number of key groups (the upper bound of a keyed operator's parallelism).
 *
 * @public
 */
export const DEFAULT_MAX_PARALLELISM = 128;

import { isPlainObject } from './key-identity.js';

const scratch = new DataView(new ArrayBuffer(8));

function mix(h: number, k: number): number {
  k = Math.imul(k, 0xcc9e2d51);
  k = (k << 15) | (k >>> 17);
  k = Math.imul(k, 0x1b873593);
  h ^= k;
  h = (h << 13) | (h >>> 19);
  return (Math.imul(h, 5) + 0xe6546b64) | 0;
}

function fmix(h: number): number {
  h ^= h >>> 16;
  h = Math.imul(h, 0x85ebca6b);
  h ^= h >>> 13;
  h = Math.imul(h, 0xc2b2ae35);
  h ^= h >>> 16;
  return h;
}

function hashString(s: string): number {
  let h = 0x9747b28c;
  const n = s.length;
  let i = 0;
  for (; i + 1 < n; i += 2) h = mix(h, s.charCodeAt(i) | (s.charCodeAt(i + 1) << 16));
  if (i < n) h = mix(h, s.charCodeAt(i));
  return fmix(h ^ n);
}

function hashNumber(x: number): number {
  if ((x | 0) === x) return fmix(mix(0x2f1e3d4c, x));
  scratch.setFloat64(0, x);
  return fmix(mix(mix(0x5c4b3a29, scratch.getInt32(0)), scratch.getInt32(4)));
}

/**
 * A stable 32-bit hash of a key. Supported keys: numbers, strings, booleans, bigints, null/undefined, `Date`,
 * and arrays (tuples) and plain objects of these. Equal keys (as `normalizeKey` defines equality: plain objects by
 * their properties, in any order) hash equally across threads, processes and versions.
 *
 * @public
 */
export function hashKey(key: unknown): number {
  switch (typeof key) {
    case 'number':
      return hashNumber(key);
    case 'string':
      return hashString(key);
    case 'boolean':
      return key ? 0x4cf5ad43 : 0x2a9f5b12;
    case 'bigint':
      return hashString('n' + key.toString());
    case 'undefined':
      return 0;
    case 'object': {
      if (key === null) return 0;
      if (Array.isArray(key)) {
        let h = 0x12345;
        for (let i = 0; i < key.length; i++) h = mix(h, hashKey(key[i]));
        return fmix(h ^ key.length);
      }
      if (key instanceof Date) return hashNumber(key.getTime());
      if (isPlainObject(key)) {
        // Properties in sorted order: {a, b} and {b, a} are one key.
        const o = key as Record<string, unknown>;
        const names = Object.keys(o).sort();
        let h = 0x6f626a;
        for (const n of names) h = mix(mix(h, hashString(n)), hashKey(o[n]));
        return fmix(h ^ names.length);
      }
      break;
    }
  }
  throw new TypeError(
    `unsupported key type ${Object.prototype.toString.call(key)}: keys must be numbers, strings, booleans, ` +
      'bigints, dates, or arrays (tuples) and plain objects of these (select fields in keyBy)',
  );
}

/**
 * The key group of a key.
 *
 * @public
 */
export function keyGroupFor(key: unknown, maxParallelism: number): number {
  return (hashKey(key) >>> 0) % maxParallelism;
}

/**
 * The subtask index that owns a key group.
 *
 * @public
 */
export function operatorIndexForKeyGroup(maxParallelism: number, parallelism: number, keyGroup: number): number {
  return Math.floor((keyGroup * parallelism) / maxParallelism);
}

/**
 * The contiguous range of key groups owned by subtask `index` of an operator with `parallelism` subtasks.
 *
 * @public
 */
export function keyGroupRangeForSubtask(maxParallelism: number, parallelism: number, index: number): KeyGroupRange {
  if (parallelism > maxParallelism) {
    throw new RangeError(`parallelism ${parallelism} exceeds maxParallelism ${maxParallelism}`);
  }
  const start = Math.ceil((index * maxParallelism) / parallelism);
  const end = Math.ceil(((index + 1) * maxParallelism) / parallelism) - 1;
  return { start, end };
}

/**
 * Whether a key group lies in a range.
 *
 * @public
 */
export function keyGroupRangeContains(range: KeyGroupRange, keyGroup: number): boolean {
  return keyGroup >= range.start && keyGroup <= range.end;
}
