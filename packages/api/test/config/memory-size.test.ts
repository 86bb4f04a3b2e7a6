import { describe, expect, it } from 'vitest';
import { formatMemorySize, parseMemorySize } from '../../src/config/memory-size.js';
import { ConfigurationError } from '../../src/config/configuration-error.js';

describe('parseMemorySize (Flink grammar)', () => {
  it('reads every unit label into bytes, binary multiples', () => {
    const cases: Record<string, number> = {
      '12 b': 12, '12 bytes': 12,
      '1 k': 1024, '1 kb': 1024, '1 kibibytes': 1024,
      '2 m': 2 * 1024 ** 2, '2 mb': 2 * 1024 ** 2, '2 mebibytes': 2 * 1024 ** 2,
      '1 g': 1024 ** 3, '1 gb': 1024 ** 3, '1 gibibytes': 1024 ** 3,
      '3 t': 3 * 1024 ** 4, '3 tb': 3 * 1024 ** 4, '3 tebibytes': 3 * 1024 ** 4,
    };
    for (const [text, bytes] of Object.entries(cases)) expect(parseMemorySize(text), text).toBe(bytes);
  });

  it('takes a bare number as bytes, with or without whitespace, in any case', () => {
    expect(parseMemorySize('4096')).toBe(4096);
    expect(parseMemorySize('32kb')).toBe(32 * 1024);
    expect(parseMemorySize('  32 \t KB ')).toBe(32 * 1024);
    expect(parseMemorySize('64MB')).toBe(64 * 1024 ** 2);
    expect(parseMemorySize('1 Gb')).toBe(1024 ** 3);
  });

  it('still reads what earlier Runnel versions read (kib, mib, gib, tib)', () => {
    // runtime-config: b|kb|mb; connector-files and state-level also kib/mib/gib (and tib); datagen k/kb/m/mb/bytes
    expect(parseMemorySize('32 kb')).toBe(32_768);
    expect(parseMemorySize('200b')).toBe(200);
    expect(parseMemorySize('64 KiB')).toBe(65_536);
    expect(parseMemorySize(' 4 kib ')).toBe(4096);
    expect(parseMemorySize('3 MiB')).toBe(3 * 1024 ** 2);
    expect(parseMemorySize('1 gib')).toBe(1024 ** 3);
    expect(parseMemorySize('1 tib')).toBe(1024 ** 4);
  });

  it('says which key, what was given and what is expected', () => {
    expect(() => parseMemorySize('1.5g', 'sink.rolling-policy.file-size')).toThrow(
      "option 'sink.rolling-policy.file-size': '1.5g' is not a memory size (expected e.g. '64 kb', '32 mb', '1 gb')",
    );
    for (const bad of ['', 'kb', '-1 kb', '1 pb', '1 kbytes', 'lots', '1 k b']) {
      expect(() => parseMemorySize(bad, 'k'), bad).toThrow(ConfigurationError);
    }
    expect(() => parseMemorySize('9000000 tb', 'k')).toThrow("option 'k': '9000000 tb' is too large (at most 9007199254740991 bytes)");
  });
});

describe('formatMemorySize', () => {
  it('uses the largest exact unit, and parses back', () => {
    const cases: [number, string][] = [[0, '0 b'], [100, '100 b'], [32_768, '32 kb'], [1536, '1536 b'], [128 * 1024 ** 2, '128 mb'], [1024 ** 3, '1 gb'], [2 * 1024 ** 4, '2 tb']];
    for (const [bytes, text] of cases) {
      expect(formatMemorySize(bytes)).toBe(text);
      expect(parseMemorySize(text)).toBe(bytes);
    }
  });
});
