import { FormatError } from '@runnel/api/table';
import { describe, expect, it } from 'vitest';
import { splitCsvLine, splitElements, unescapeCsv } from '../../src/csv/csv-line.js';

const syntax = (delimiter = ',', quote: string | null = '"', escape: string | null = null) => ({
  delimiter: delimiter.charCodeAt(0),
  quote: quote === null ? -1 : quote.charCodeAt(0),
  escape: escape === null ? -1 : escape.charCodeAt(0),
});

describe('splitCsvLine', () => {
  it('splits on the delimiter, with empty fields and a trailing one', () => {
    expect(splitCsvLine('a,b,,d', syntax())).toEqual({ texts: ['a', 'b', '', 'd'], quoted: [false, false, false, false] });
    expect(splitCsvLine('a,', syntax()).texts).toEqual(['a', '']);
    expect(splitCsvLine(',', syntax()).texts).toEqual(['', '']);
    expect(splitCsvLine('x', syntax()).texts).toEqual(['x']);
    expect(splitCsvLine('a\tb', syntax('\t')).texts).toEqual(['a', 'b']);
  });

  it('reads quoted fields: delimiters, line breaks and doubled quotes inside', () => {
    expect(splitCsvLine('"a,b","say ""hi""","line\nbreak",""', syntax())).toEqual({
      texts: ['a,b', 'say "hi"', 'line\nbreak', ''],
      quoted: [true, true, true, true],
    });
    expect(splitCsvLine('"a" ,b', syntax()).texts).toEqual(['a', 'b']);
    expect(splitCsvLine(' "a",b', syntax()).texts).toEqual([' "a"', 'b']);
    expect(splitCsvLine("'a;b''c';x", syntax(';', "'")).texts).toEqual(["a;b'c", 'x']);
  });

  it('keeps escapes in the text, but lets them protect delimiters and quotes', () => {
    expect(splitCsvLine("123*'4**;'a;b*'c'", syntax(';', "'", '*')).texts).toEqual(["123*'4**", "a;b*'c"]);
    expect(splitCsvLine('a\\,b,c', syntax(',', '"', '\\')).texts).toEqual(['a\\,b', 'c']);
  });

  it('takes quotes literally when quoting is disabled', () => {
    expect(splitCsvLine('"abc,d"', syntax(',', null)).texts).toEqual(['"abc', 'd"']);
  });

  it('reports unterminated quotes and text after a closing quote', () => {
    expect(() => splitCsvLine('a,"b', syntax())).toThrow(new FormatError('malformed CSV: field 2 has no closing quote'));
    expect(() => splitCsvLine('"a"b,c', syntax())).toThrow(new FormatError("malformed CSV: unexpected character 'b' after the closing quote of field 1"));
  });
});

describe('elements and escapes', () => {
  it('splits elements on a (multi-character) delimiter, keeping escaped ones', () => {
    expect(splitElements('a;b;;c', ';', -1)).toEqual(['a', 'b', '', 'c']);
    expect(splitElements('a||b', '||', -1)).toEqual(['a', 'b']);
    expect(splitElements('a\\;b;c', ';', 0x5c)).toEqual(['a\\;b', 'c']);
  });

  it('unescapes as Jackson: the next character literally, n r t 0 as control characters', () => {
    expect(unescapeCsv("123*'4**", 0x2a)).toBe("123'4*");
    expect(unescapeCsv('a\\nb\\tc\\\\d\\;', 0x5c)).toBe('a\nb\tc\\d;');
    expect(unescapeCsv('plain', 0x5c)).toBe('plain');
    expect(unescapeCsv('a\\', 0x5c)).toBe('a\\');
  });
});
