import { describe, expect, it } from 'vitest';
import { configFromOptions } from '../../src/execution/runtime-config.js';

describe('state.backend.level.* options', () => {
  it('passes every LevelDB backend option through, typed', () => {
    const c = configFromOptions({
      'state.backend.type': 'level',
      'state.backend.level.directory': '/var/lib/runnel',
      'state.backend.level.cache-size': '250000',
      'state.backend.level.prefetch.max-point-read-namespaces': 8,
      'state.backend.level.prefetch.read-parallelism': '3',
      'state.backend.level.block-cache-size': '64 mb',
      'state.backend.level.write-buffer-size': 8388608,
      'state.backend.level.block-size': '16 kb',
      'state.backend.level.compression': 'false',
      'state.backend.level.max-open-files': 500,
    });
    expect(c.stateBackendOptions).toEqual({
      directory: '/var/lib/runnel',
      'cache-size': 250000,
      'prefetch.max-point-read-namespaces': 8,
      'prefetch.read-parallelism': 3,
      'block-cache-size': '64 mb',
      'write-buffer-size': 8388608,
      'block-size': '16 kb',
      compression: false,
      'max-open-files': 500,
    });
  });

  it('rejects unknown keys and badly typed values, naming the option', () => {
    expect(() => configFromOptions({ 'state.backend.level.cache-sise': 10 })).toThrow(
      /unknown option 'state.backend.level.cache-sise'; known: .*state.backend.level.block-cache-size/,
    );
    expect(() => configFromOptions({ 'state.backend.level.compression': 'snappy' })).toThrow(
      /option 'state.backend.level.compression': expected true or false/,
    );
    expect(() => configFromOptions({ 'state.backend.level.cache-size': 'lots' })).toThrow(/option 'state.backend.level.cache-size': expected a number/);
  });
});
