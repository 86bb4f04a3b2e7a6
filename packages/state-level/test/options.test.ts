// Option parsing and validation of the LevelDB backend (memory sizes, LevelDB open options, read parallelism).
import { describe, expect, it } from 'vitest';
import { LevelStateBackend } from '../src/index.js';
import {
  DEFAULT_BLOCK_CACHE_SIZE,
  DEFAULT_READ_PARALLELISM,
  DEFAULT_WRITE_BUFFER_SIZE,
  levelDbOptionsOf,
  memorySizeOf,
  readParallelismOf,
} from '../src/options.js';

describe('memory sizes', () => {
  it('accepts bytes and Flink-style sizes with binary units', () => {
    expect(memorySizeOf('x', undefined, 7, 0)).toBe(7);
    expect(memorySizeOf('x', 4096, 7, 0)).toBe(4096);
    expect(memorySizeOf('x', '4096', 7, 0)).toBe(4096);
    expect(memorySizeOf('x', '64 mb', 7, 0)).toBe(64 * 1024 * 1024);
    expect(memorySizeOf('x', '64MB', 7, 0)).toBe(64 * 1024 * 1024);
    expect(memorySizeOf('x', ' 4 kib ', 7, 0)).toBe(4096);
    expect(memorySizeOf('x', '1g', 7, 0)).toBe(1024 ** 3);
    expect(memorySizeOf('x', '12 bytes', 7, 0)).toBe(12);
  });

  it('rejects malformed, fractional, out-of-range and unknown-unit sizes, naming the option', () => {
    expect(() => memorySizeOf('block-cache-size', 'lots', 7, 0)).toThrow(/block-cache-size must be a memory size/);
    expect(() => memorySizeOf('x', '5 tb', 7, 0)).toThrow(/got "5 tb"/);
    expect(() => memorySizeOf('x', 1.5, 7, 0)).toThrow(RangeError);
    expect(() => memorySizeOf('x', -1, 7, 0)).toThrow(RangeError);
    expect(() => memorySizeOf('x', '4 gb', 7, 0)).toThrow(/4 GiB/); // LevelDB takes 32-bit sizes
    expect(() => memorySizeOf('x', 100, 7, 256)).toThrow(/of 256 bytes/);
  });
});

describe('LevelDB open options', () => {
  it('maps the options to classic-level names, with the measured defaults', () => {
    expect(levelDbOptionsOf(undefined)).toEqual({
      cacheSize: DEFAULT_BLOCK_CACHE_SIZE,
      writeBufferSize: DEFAULT_WRITE_BUFFER_SIZE,
      blockSize: 4096,
      compression: true,
      maxOpenFiles: 1000,
    });
    expect(
      levelDbOptionsOf({
        'block-cache-size': '8 mb',
        'write-buffer-size': 4 << 20,
        'block-size': '1 kb',
        compression: false,
        'max-open-files': 64,
      }),
    ).toEqual({ cacheSize: 8 << 20, writeBufferSize: 4 << 20, blockSize: 1024, compression: false, maxOpenFiles: 64 });
  });

  it('rejects invalid values', () => {
    expect(() => levelDbOptionsOf({ 'write-buffer-size': '1 kb' })).toThrow(/write-buffer-size must be a memory size of 65536/);
    expect(() => levelDbOptionsOf({ 'block-size': 0 })).toThrow(/block-size/);
    expect(() => levelDbOptionsOf({ compression: 'yes' as never })).toThrow(/compression must be a boolean/);
    expect(() => levelDbOptionsOf({ 'max-open-files': 2 })).toThrow(/max-open-files must be an integer of at least 16/);
  });

  it('read parallelism defaults to 2 and must be an integer from 1 to 64', () => {
    expect(readParallelismOf(undefined)).toBe(DEFAULT_READ_PARALLELISM);
    expect(readParallelismOf({ 'prefetch.read-parallelism': 1 })).toBe(1);
    for (const bad of [0, 1.5, 65]) {
      expect(() => readParallelismOf({ 'prefetch.read-parallelism': bad })).toThrow(/prefetch.read-parallelism/);
    }
  });

  it('the backend validates every option at configuration time', () => {
    expect(() => new LevelStateBackend({ 'block-cache-size': 'big' })).toThrow(/block-cache-size/);
    expect(() => new LevelStateBackend({ 'prefetch.read-parallelism': 0 })).toThrow(/read-parallelism/);
    expect(() => new LevelStateBackend({ 'max-open-files': 1 })).toThrow(/max-open-files/);
  });
});
