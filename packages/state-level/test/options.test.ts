// The LevelDB backend's options: declared as data under `state.backend.level.*`, parsed with @runnel/api/config
// (Flink's memory sizes), defaults as measured, LevelDB's 32-bit limits as ranges.
import { describe, expect, it } from 'vitest';
import { LevelStateBackend } from '../src/index.js';
import { LEVEL_STATE_BACKEND_OPTIONS, LevelOptions, resolveLevelOptions } from '../src/options.js';

describe('LevelDB backend options', () => {
  it('defaults every option, with the measured defaults', () => {
    expect(resolveLevelOptions(undefined)).toEqual({
      directory: undefined,
      cacheSize: Infinity,
      cacheMemory: 24 << 20,
      pointReadNamespaces: 16,
      readParallelism: 2,
      dbOptions: { cacheSize: 32 << 20, writeBufferSize: 16 << 20, blockSize: 4096, compression: true, maxOpenFiles: 1000 },
    });
  });

  it('reads typed values and text alike (what the runtime passed before: typed counts, sizes as bytes or text)', () => {
    const text = resolveLevelOptions({
      directory: '/var/lib/runnel',
      'cache-size': '250000',
      'prefetch.max-point-read-namespaces': '8',
      'prefetch.read-parallelism': '3',
      'block-cache-size': '64 mb',
      'write-buffer-size': '8388608',
      'block-size': '16 kb',
      compression: 'false',
      'max-open-files': '500',
    } as Record<string, unknown>);
    const typed = resolveLevelOptions({
      directory: '/var/lib/runnel',
      'cache-size': 250_000,
      'prefetch.max-point-read-namespaces': 8,
      'prefetch.read-parallelism': 3,
      'block-cache-size': 64 << 20,
      'write-buffer-size': 8 << 20,
      'block-size': '16KB',
      compression: false,
      'max-open-files': 500,
    });
    expect(text).toEqual(typed);
    expect(typed.dbOptions).toEqual({ cacheSize: 64 << 20, writeBufferSize: 8 << 20, blockSize: 16 << 10, compression: false, maxOpenFiles: 500 });
    // Every memory-size spelling the old parser read.
    for (const [text, bytes] of [['4096', 4096], ['64MB', 64 << 20], [' 4 kib ', 4096], ['1g', 1 << 30], ['12 bytes', 12]] as const) {
      expect(resolveLevelOptions({ 'block-cache-size': text }).dbOptions.cacheSize, text).toBe(bytes);
    }
  });

  it('rejects malformed, fractional and out-of-range values, naming the option by its configuration key', () => {
    expect(() => resolveLevelOptions({ 'block-cache-size': 'lots' })).toThrow(
      "option 'state.backend.level.block-cache-size': 'lots' is not a memory size (expected e.g. '64 kb', '32 mb', '1 gb')",
    );
    // LevelDB takes 32-bit sizes.
    expect(() => resolveLevelOptions({ 'block-cache-size': '4 gb' })).toThrow(/'4 gb' is out of range \(expected 0 b to 4294967295 b\)/);
    expect(() => resolveLevelOptions({ 'block-cache-size': 1.5 })).toThrow(/1\.5 is not a memory size/);
    expect(() => resolveLevelOptions({ 'block-cache-size': -1 })).toThrow(/-1 is not a memory size/);
    expect(() => resolveLevelOptions({ 'write-buffer-size': '1 kb' })).toThrow(
      "option 'state.backend.level.write-buffer-size': '1 kb' is out of range (expected 64 kb to 4294967295 b)",
    );
    expect(() => resolveLevelOptions({ 'block-size': 0 })).toThrow(/block-size': 0 is out of range/);
    expect(() => resolveLevelOptions({ compression: 'yes' as never })).toThrow(/compression': 'yes' is not a boolean/);
    expect(() => resolveLevelOptions({ 'max-open-files': 2 })).toThrow(/max-open-files': 2 is out of range \(expected 16 to 4294967295\)/);
    for (const bad of [0, 1.5, 65]) expect(() => resolveLevelOptions({ 'prefetch.read-parallelism': bad })).toThrow(/prefetch\.read-parallelism/);
    expect(() => resolveLevelOptions({ 'cache-size': 0 })).toThrow(/cache-size': 0 is out of range/);
  });

  it('bounds the cache by bytes by default; cache-size alone keeps its meaning (the only bound); both set, both apply', () => {
    expect(resolveLevelOptions({ 'cache-memory': '64 mb' })).toMatchObject({ cacheSize: Infinity, cacheMemory: 64 << 20 });
    expect(resolveLevelOptions({ 'cache-size': 250_000 })).toMatchObject({ cacheSize: 250_000, cacheMemory: Infinity });
    expect(resolveLevelOptions({ 'cache-size': 250_000, 'cache-memory': '16 mb' })).toMatchObject({ cacheSize: 250_000, cacheMemory: 16 << 20 });
    expect(resolveLevelOptions({ 'cache-memory': 1 << 20 }).cacheMemory).toBe(1 << 20);
    expect(() => resolveLevelOptions({ 'cache-memory': '1 kb' })).toThrow(
      "option 'state.backend.level.cache-memory': '1 kb' is out of range (expected at least 64 kb)",
    );
    expect(() => resolveLevelOptions({ 'cache-memory': 'much' })).toThrow(/cache-memory': 'much' is not a memory size/);
  });

  it('rejects unknown options with the closest one', () => {
    expect(() => resolveLevelOptions({ 'cache-sise': 10 } as Record<string, unknown>)).toThrow(
      /^unknown option 'state\.backend\.level\.cache-sise' \(did you mean 'state\.backend\.level\.cache-size'\?\); valid options: state\.backend\.level\.directory, /,
    );
  });

  it('declares every option under the state.backend.level. prefix', () => {
    expect(LEVEL_STATE_BACKEND_OPTIONS.map((o) => ('key' in o ? o.key : o.prefix))).toEqual(Object.values(LevelOptions).map((o) => o.key));
    expect(LEVEL_STATE_BACKEND_OPTIONS.every((o) => 'key' in o && o.key.startsWith('state.backend.level.'))).toBe(true);
  });

  it('the backend validates every option at configuration time', () => {
    expect(() => new LevelStateBackend({ 'block-cache-size': 'big' })).toThrow(/block-cache-size/);
    expect(() => new LevelStateBackend({ 'prefetch.read-parallelism': 0 })).toThrow(/read-parallelism/);
    expect(() => new LevelStateBackend({ 'max-open-files': 1 })).toThrow(/max-open-files/);
  });
});
