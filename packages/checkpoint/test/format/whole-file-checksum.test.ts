// Regression: state handles checksum whole files with CRC-32. Formats that end blocks or files with a plain CRC of
// the preceding bytes would make that checksum blind to which (valid) file it is (CRC residue): two different
// operator-state files had the same checksum. The inner checks are sealed, so distinct files checksum distinctly.
import { describe, expect, it } from 'vitest';
import { checksumOf, encodeKeyGroups, encodeOperatorState } from '../../src/index.js';

describe('whole-file checksums of the binary formats', () => {
  it('differ for operator-state files of equal size and structure', () => {
    const sums = new Set<string>();
    for (let i = 0; i < 200; i++) {
      const bytes = encodeOperatorState([{ name: 's', mode: 'split', elements: [1000 + i] }]);
      expect(bytes.length).toBe(encodeOperatorState([{ name: 's', mode: 'split', elements: [1000] }]).length);
      sums.add(checksumOf(bytes));
    }
    expect(sums.size).toBe(200);
  });

  it('differ for keyed-state files with the same block layout', () => {
    const sums = new Set<string>();
    for (let i = 0; i < 200; i++) {
      const { bytes } = encodeKeyGroups([
        { keyGroup: 1, entries: [{ state: 'c', key: 'k', namespace: '', value: 1000 + i }] },
        { keyGroup: 2, entries: [{ state: 'c', key: 'j', namespace: '', value: 5 }] },
      ]);
      sums.add(checksumOf(bytes));
    }
    expect(sums.size).toBe(200);
  });
});
