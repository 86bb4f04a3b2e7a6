// Per-shape encoders and decoders for plain objects. A shape is an ordered key list. For a shape seen often, a
// small function is generated with `new Function` so that property loads (`v["price"]`) and the object literal
// built on decode are monomorphic: the literal also makes V8 give every decoded object of one shape the same
// hidden class. Trade-offs: code generation costs tens of microseconds per shape, so encoders are compiled only
// after a few uses and decoders are cached per thread with a cap; beyond the caps, and where code generation is
// disabled (`--disallow-code-generation-from-strings`), a generic loop is used (same bytes, slower).

import type { BinaryReader } from './binary-reader.js';
import type { BinaryWriter } from './binary-writer.js';

/** Writes the values of an object whose key list is known. @internal */
export type ShapeEncoder = (w: BinaryWriter, v: Record<string, unknown>, depth: number) => void;
/** Reads the values of one object of a known shape and builds it. @internal */
export type ShapeDecoder = (r: BinaryReader, depth: number) => Record<string, unknown>;

/** A decoded shape definition: its keys and the function that builds objects of it. @internal */
export interface ReaderShape {
  readonly keys: readonly string[];
  readonly decode: ShapeDecoder;
}

// Very wide objects are usually dictionaries in disguise; a literal with thousands of properties helps nobody.
const MAX_COMPILED_KEYS = 128;
// Per-thread cap of generated decoders. Generating one costs ~150 us (measured), so objects used as dictionaries
// (a new key list per object) would otherwise pay that per record; past the cap, new shapes decode generically.
// Decoders are generated on first sight, not after a few uses, because mixing generic and generated decoding
// of one shape would give its objects two hidden classes.
const MAX_CACHED_DECODERS = 1024;

let codegenAvailable = true;

function keyLiteral(k: string): string {
  // A literal `"__proto__": x` would set the prototype; the computed form defines an own property instead.
  return k === '__proto__' ? '["__proto__"]' : JSON.stringify(k);
}

function generate<F>(params: string[], body: string): F | undefined {
  if (!codegenAvailable) return undefined;
  try {
    return new Function(...params, body) as F;
  } catch {
    codegenAvailable = false;
    return undefined;
  }
}

/**
 * Generates an encoder for one key list, or returns undefined when that is not possible or not worth it.
 *
 * @internal
 */
export function compileEncoder(keys: readonly string[]): ShapeEncoder | undefined {
  if (keys.length > MAX_COMPILED_KEYS) return undefined;
  let body = '';
  for (const k of keys) body += `w._writeValue(v[${JSON.stringify(k)}], d);\n`;
  return generate<ShapeEncoder>(['w', 'v', 'd'], body);
}

function genericDecoder(keys: readonly string[]): ShapeDecoder {
  return (r, d) => {
    const o: Record<string, unknown> = {};
    for (let i = 0; i < keys.length; i++) {
      const k = keys[i]!;
      const value = r._readValue(d);
      if (k === '__proto__') {
        Object.defineProperty(o, k, { value, writable: true, enumerable: true, configurable: true });
      } else {
        o[k] = value;
      }
    }
    return o;
  };
}

function compileDecoder(keys: readonly string[]): ShapeDecoder | undefined {
  if (keys.length > MAX_COMPILED_KEYS) return undefined;
  const props = keys.map((k) => `${keyLiteral(k)}: r._readValue(d)`);
  return generate<ShapeDecoder>(['r', 'd'], `return {${props.join(', ')}};`);
}

const decoderCache = new Map<string, ReaderShape>();

/**
 * The reader-side shape for a key list: cached per thread so that every reader builds objects of one shape
 * through the same generated literal (hence the same hidden class), batch after batch.
 *
 * @internal
 */
export function readerShapeFor(keys: readonly string[]): ReaderShape {
  const cacheKey = JSON.stringify(keys);
  const cached = decoderCache.get(cacheKey);
  if (cached !== undefined) return cached;
  if (decoderCache.size >= MAX_CACHED_DECODERS) return { keys, decode: genericDecoder(keys) };
  const shape: ReaderShape = { keys, decode: compileDecoder(keys) ?? genericDecoder(keys) };
  decoderCache.set(cacheKey, shape);
  return shape;
}
