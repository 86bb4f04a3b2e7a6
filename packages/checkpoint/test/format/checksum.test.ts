import { randomBytes } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { checksumOf, crc32, createChecksummer, parseChecksum } from '../../src/index.js';
import { crc32Portable } from '../../src/format/checksum.js';

describe('checksums', () => {
  it('computes the standard CRC-32 check value', () => {
    const check = new TextEncoder().encode('123456789');
    expect(crc32(check)).toBe(0xcbf43926);
    expect(crc32Portable(check)).toBe(0xcbf43926);
    expect(checksumOf(check)).toBe('crc32:cbf43926');
  });

  it('portable and native CRC-32 agree, also incrementally', () => {
    for (const n of [0, 1, 7, 8, 9, 63, 1000, 65_537]) {
      const b = randomBytes(n);
      const split = Math.floor(n / 3);
      expect(crc32Portable(b)).toBe(crc32(b));
      expect(crc32Portable(b.subarray(split), crc32Portable(b.subarray(0, split)))).toBe(crc32(b));
      const c = createChecksummer('crc32');
      c.update(b.subarray(0, split));
      c.update(b.subarray(split));
      expect(c.digest()).toBe(checksumOf(b));
    }
  });

  it('supports sha256 and parses recorded checksums strictly', () => {
    const b = randomBytes(100);
    const sha = checksumOf(b, 'sha256');
    expect(sha).toMatch(/^sha256:[0-9a-f]{64}$/);
    expect(parseChecksum(sha)).toEqual({ algorithm: 'sha256', hex: sha.slice(7) });
    expect(parseChecksum('crc32:0000000g')).toBeUndefined();
    expect(parseChecksum('md5:d41d8cd98f00b204e9800998ecf8427e')).toBeUndefined();
    expect(parseChecksum('crc32:cbf43926 ')).toBeUndefined();
  });
});
