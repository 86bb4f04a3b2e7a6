import { describe, expect, it } from 'vitest';
import { FunctionTypeError, SqlRuntimeError } from '../../src/functions/function-definition.js';
import { compileJavaRegex, javaSplit, translateJavaRegex } from '../../src/functions/java-regex.js';
import { resolveLike } from '../../src/functions/like.js';
import { col, fn, resolveFn, v } from './helpers.js';

describe('concatenation and substrings (Flink documentation examples)', () => {
  it('CONCAT and CONCAT_WS', () => {
    expect(fn('CONCAT', ['AA', 'BB', 'CC'])).toBe('AABBCC');
    expect(fn('CONCAT', ['AA', 'BB', 'CC', 'DD'])).toBe('AABBCCDD');
    expect(fn('CONCAT', ['AA', v(null, 'STRING?')])).toBeNull();
    expect(fn('CONCAT_WS', ['~', 'AA', v(null, 'STRING?'), 'BB', '', 'CC'])).toBe('AA~BB~~CC');
    expect(fn('CONCAT_WS', [v(null, 'STRING?'), 'AA'])).toBeNull();
    expect(resolveFn('CONCAT_WS', ['~', v('a', 'STRING?')]).type.nullable).toBe(false);
  });

  it('SUBSTRING/SUBSTR with 1-based and negative positions', () => {
    expect(fn('SUBSTRING', ['Hello', 2])).toBe('ello');
    expect(fn('SUBSTRING', ['Hello', 2, 3])).toBe('ell');
    expect(fn('SUBSTR', ['Hello', -3])).toBe('llo');
    expect(fn('SUBSTR', ['Hello', -3, 2])).toBe('ll');
    expect(fn('SUBSTRING', ['Hello', 0, 2])).toBe('He');
    expect(fn('SUBSTRING', ['Hello', 10])).toBe('');
    expect(fn('SUBSTRING', ['Hello', -10])).toBe('');
    expect(fn('SUBSTRING', ['Hello', 2, -1])).toBeNull();
    expect(fn('SUBSTRING', ['Hello', 2n, 100n])).toBe('ello');
  });

  it('LEFT, RIGHT, OVERLAY, REPLACE, REVERSE, REPEAT', () => {
    expect(fn('LEFT', ['abc', 2])).toBe('ab');
    expect(fn('LEFT', ['abc', -1])).toBe('');
    expect(fn('RIGHT', ['abc', 2])).toBe('bc');
    expect(fn('RIGHT', ['abc', 5])).toBe('abc');
    expect(fn('OVERLAY', ['xxxxxtest', 'xxxx', 6])).toBe('xxxxxxxxx');
    expect(fn('OVERLAY', ['xxxxxtest', 'xxxx', 6, 2])).toBe('xxxxxxxxxst');
    expect(fn('REPLACE', ['hello world', 'world', 'flink'])).toBe('hello flink');
    expect(fn('REPLACE', ['ababab', 'abab', 'z'])).toBe('zab');
    expect(fn('REVERSE', ['abc😀'])).toBe('😀cba');
    expect(fn('REPEAT', ['This is a test String.', 2])).toBe('This is a test String.This is a test String.');
    expect(fn('REPEAT', ['x', -1])).toBe('');
  });
});

describe('case, trimming and padding', () => {
  it('UPPER, LOWER, INITCAP', () => {
    expect(fn('UPPER', ['hello'])).toBe('HELLO');
    expect(fn('LOWER', ['HeLLo'])).toBe('hello');
    expect(resolveFn('UPPER', [v('ab', 'CHAR(2)')]).type).toEqual({ root: 'CHAR', nullable: false, precision: 2 });
    expect(fn('INITCAP', ['hello wORLD-foo bar_baz 2nd'])).toBe('Hello World-Foo Bar_Baz 2nd');
  });

  it('TRIM with a mode, LTRIM, RTRIM', () => {
    expect(fn('TRIM', ['BOTH', '  x  '])).toBe('x');
    expect(fn('TRIM', ['LEADING', 'xxaxx', 'x'])).toBe('axx');
    expect(fn('TRIM', ['TRAILING', 'xxaxx', 'x'])).toBe('xxa');
    expect(fn('TRIM', ['BOTH', 'abcxcba', 'ab'])).toBe('cxc');
    expect(fn('LTRIM', [' This is a test String.'])).toBe('This is a test String.');
    expect(fn('RTRIM', ['This is a test String. '])).toBe('This is a test String.');
    expect(fn('LTRIM', ['\tx'])).toBe('\tx');
    expect(() => resolveFn('TRIM', ['MIDDLE', 'x'])).toThrow(FunctionTypeError);
    expect(() => resolveFn('TRIM', [col('BOTH', 'STRING'), 'x'])).toThrow(/literal/);
  });

  it('LPAD and RPAD', () => {
    expect(fn('LPAD', ['hi', 4, '??'])).toBe('??hi');
    expect(fn('LPAD', ['hi', 1, '??'])).toBe('h');
    expect(fn('RPAD', ['hi', 4, '??'])).toBe('hi??');
    expect(fn('RPAD', ['hi', 1, '??'])).toBe('h');
    expect(fn('LPAD', ['hi', 5, 'ab'])).toBe('abahi');
    expect(fn('LPAD', ['hi', -1, 'x'])).toBeNull();
    expect(fn('RPAD', ['hi', 5, ''])).toBeNull();
  });
});

describe('positions and lengths', () => {
  it('CHAR_LENGTH counts code points', () => {
    expect(fn('CHAR_LENGTH', ['héllo'])).toBe(5);
    expect(fn('CHARACTER_LENGTH', ['😀a'])).toBe(2);
    expect(fn('CHAR_LENGTH', [''])).toBe(0);
  });

  it('POSITION, LOCATE, INSTR', () => {
    expect(fn('POSITION', ['b', 'abc'])).toBe(2);
    expect(fn('POSITION', ['x', 'abc'])).toBe(0);
    expect(fn('POSITION', ['', 'abc'])).toBe(1);
    expect(fn('LOCATE', ['b', 'abcb'])).toBe(2);
    expect(fn('LOCATE', ['b', 'abcb', 3])).toBe(4);
    expect(fn('LOCATE', ['b', 'abcb', 0])).toBe(0);
    expect(fn('INSTR', ['abcb', 'b'])).toBe(2);
    expect(fn('INSTR', ['abcb', 'b', 1, 2])).toBe(4);
    expect(fn('INSTR', ['abcb', 'b', -1])).toBe(4);
    expect(fn('INSTR', ['abcb', 'b', -1, 2])).toBe(2);
    expect(fn('INSTR', ['abcb', 'x'])).toBe(0);
  });

  it('ASCII and CHR', () => {
    expect(fn('ASCII', ['abc'])).toBe(97);
    expect(fn('ASCII', [''])).toBe(0);
    expect(fn('CHR', [97])).toBe('a');
    expect(fn('CHR', [353])).toBe('a');
    expect(fn('CHR', [-1])).toBe('');
    expect(fn('ASCII', [v(null, 'STRING?')])).toBeNull();
  });
});

describe('regular expressions (Java syntax)', () => {
  it('REGEXP, REGEXP_EXTRACT, REGEXP_REPLACE', () => {
    expect(fn('REGEXP', ['abc', 'b'])).toBe(true);
    expect(fn('REGEXP', ['abc', 'x'])).toBe(false);
    expect(fn('REGEXP', ['abc', ''])).toBe(false);
    expect(fn('REGEXP_EXTRACT', ['foothebar', 'foo(.*?)(bar)', 2])).toBe('bar');
    expect(fn('REGEXP_EXTRACT', ['foothebar', 'foo(.*?)(bar)', 1])).toBe('the');
    expect(fn('REGEXP_EXTRACT', ['foothebar', 'foo(.*?)(bar)'])).toBe('foothebar');
    expect(fn('REGEXP_EXTRACT', ['foothebar', 'foo(.*?)(bar)', 3])).toBeNull();
    expect(fn('REGEXP_EXTRACT', ['xyz', 'a(b)', 1])).toBeNull();
    expect(fn('REGEXP_REPLACE', ['foobar', 'oo|ar', ''])).toBe('fb');
    // the replacement is literal text, no group references
    expect(fn('REGEXP_REPLACE', ['abc', 'b', '$1'])).toBe('a$1c');
    expect(fn('REGEXP_REPLACE', ['abc', 'x*', '-'])).toBe('-a-b-c-');
  });

  it('compiles a column pattern per distinct value and makes an invalid one NULL/FALSE', () => {
    const call = resolveFn('REGEXP_EXTRACT', [col('a1b2', 'STRING'), col('(\\d)', 'STRING')]);
    expect(call.impl('a1b2', '(\\d)')).toBe('1');
    expect(call.impl('a1b2', '[a-z]')).toBe('a');
    expect(call.impl('a1b2', '(')).toBeNull();
    expect(fn('REGEXP', ['abc', col('(', 'STRING')])).toBe(false);
    expect(fn('REGEXP_REPLACE', ['abc', col('(', 'STRING'), 'x'])).toBeNull();
  });

  it('translates Java constructs and rejects what JavaScript cannot run', () => {
    expect(fn('REGEXP', ['abc', '\\Aab'])).toBe(true);
    expect(fn('REGEXP', ['xabc', '\\Aab'])).toBe(false);
    expect(fn('REGEXP', ['ab\n', 'ab$'])).toBe(true);
    expect(fn('REGEXP', ['ab\n', 'ab\\z'])).toBe(false);
    expect(fn('REGEXP', ['a.b', '\\Q.\\E'])).toBe(true);
    expect(fn('REGEXP', ['a-b', 'a\\p{Punct}b'])).toBe(true);
    expect(fn('REGEXP', ['ÄB', '^\\p{Lu}+$'])).toBe(true);
    expect(fn('REGEXP', ['ABC', '(?i)abc'])).toBe(true);
    expect(fn('REGEXP_EXTRACT', ['x=1;y=2', '(?<key>y)=(\\d)', 2])).toBe('2');
    expect(() => resolveFn('REGEXP', ['aaa', 'a*+'])).toThrow(/possessive/);
    expect(() => resolveFn('REGEXP', ['aaa', '(?>a)'])).toThrow(/atomic/);
    expect(() => resolveFn('REGEXP', ['aaa', '[a-z&&[^b]]'])).toThrow(FunctionTypeError);
    expect(() => resolveFn('REGEXP', ['aaa', 'a(?i)b'])).toThrow(/inline flags/);
    expect(translateJavaRegex('\\x{1F600}').flags).toContain('u');
    expect(compileJavaRegex('a\\-b').test('a-b')).toBe(true);
  });

  it('splits as Java String.split', () => {
    expect(javaSplit('a,b,,c,,', compileJavaRegex(','))).toEqual(['a', 'b', '', 'c']);
    expect(javaSplit('', compileJavaRegex(','))).toEqual(['']);
    expect(javaSplit(',,', compileJavaRegex(','))).toEqual([]);
    expect(javaSplit('abc', compileJavaRegex(''))).toEqual(['a', 'b', 'c']);
    expect(javaSplit('k=v=w', compileJavaRegex('='), 2)).toEqual(['k', 'v=w']);
  });

  it('SPLIT_INDEX and STR_TO_MAP', () => {
    expect(fn('SPLIT_INDEX', ['Jack,John,Mary', ',', 2])).toBe('Mary');
    expect(fn('SPLIT_INDEX', ['Jack,John,Mary', ',', 3])).toBeNull();
    expect(fn('SPLIT_INDEX', ['Jack,John,Mary', ',', -1])).toBeNull();
    expect(fn('SPLIT_INDEX', ['a,,b', ',', 1])).toBe('');
    expect(fn('SPLIT_INDEX', ['a b', '', 1])).toBe('b');
    expect(fn('SPLIT_INDEX', ['a|b', 124, 1])).toBe('b');
    expect(fn('STR_TO_MAP', ['a=1,b=2,c'])).toEqual(
      new Map([
        ['a', '1'],
        ['b', '2'],
        ['c', null],
      ]),
    );
    expect(fn('STR_TO_MAP', ['a:1;b:2', ';', ':'])).toEqual(
      new Map([
        ['a', '1'],
        ['b', '2'],
      ]),
    );
    expect(fn('STR_TO_MAP', [''])).toEqual(new Map());
  });
});

describe('encodings and hashes', () => {
  it('hashes as lowercase hex', () => {
    expect(fn('MD5', [''])).toBe('d41d8cd98f00b204e9800998ecf8427e');
    expect(fn('SHA1', ['abc'])).toBe('a9993e364706816aba3e25717850c26c9cd0d89d');
    expect(fn('SHA256', ['abc'])).toBe('ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad');
    expect(fn('SHA2', ['abc', 224])).toBe('23097d223405d8228642a477bda255b32aadbce4bda0b3f7e36c9da7');
    expect(fn('SHA2', ['abc', 100])).toBeNull();
    expect(fn('MD5', [v(new Uint8Array([]), 'BYTES')])).toBe('d41d8cd98f00b204e9800998ecf8427e');
  });

  it('TO_BASE64, FROM_BASE64, HEX, BIN, ENCODE, DECODE', () => {
    expect(fn('TO_BASE64', ['hello world'])).toBe('aGVsbG8gd29ybGQ=');
    expect(fn('FROM_BASE64', ['aGVsbG8gd29ybGQ='])).toBe('hello world');
    expect(() => fn('FROM_BASE64', ['not base64!'])).toThrow(SqlRuntimeError);
    expect(fn('HEX', [20])).toBe('14');
    expect(fn('HEX', [100])).toBe('64');
    expect(fn('HEX', [-1])).toBe('FFFFFFFFFFFFFFFF');
    expect(fn('HEX', ['hello,world'])).toBe('68656C6C6F2C776F726C64');
    expect(fn('BIN', [4])).toBe('100');
    expect(fn('BIN', [12])).toBe('1100');
    expect(fn('BIN', [-1n])).toBe('1'.repeat(64));
    expect(fn('ENCODE', ['hé', 'UTF-8'])).toEqual(new Uint8Array([0x68, 0xc3, 0xa9]));
    expect(fn('DECODE', [v(new Uint8Array([0, 0x68]), 'BYTES'), 'UTF-16BE'])).toBe('h');
    expect(fn('DECODE', [v(fn('ENCODE', ['hé', 'UTF-16']), 'BYTES'), 'UTF-16'])).toBe('hé');
    expect(() => fn('ENCODE', ['x', 'EBCDIC'])).toThrow(SqlRuntimeError);
  });

  it('UUID is random and non-deterministic', () => {
    const call = resolveFn('UUID', []);
    expect(call.deterministic).toBe(false);
    const a = call.impl() as string;
    expect(a).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
    expect(call.impl()).not.toBe(a);
  });

  it('IS_ALPHA, IS_DIGIT, IS_DECIMAL and PARSE_URL', () => {
    expect(fn('IS_ALPHA', ['abc'])).toBe(true);
    expect(fn('IS_ALPHA', ['ab1'])).toBe(false);
    expect(fn('IS_ALPHA', [v(null, 'STRING?')])).toBe(false);
    expect(fn('IS_DIGIT', ['123'])).toBe(true);
    expect(fn('IS_DIGIT', ['-1'])).toBe(false);
    expect(fn('IS_DECIMAL', ['-1.5e3'])).toBe(true);
    expect(fn('IS_DECIMAL', ['1.2.3'])).toBe(false);
    const url = 'http://facebook.com/path1/p.php?k1=v1&k2=v2#Ref1';
    expect(fn('PARSE_URL', [url, 'HOST'])).toBe('facebook.com');
    expect(fn('PARSE_URL', [url, 'QUERY', 'k1'])).toBe('v1');
    expect(fn('PARSE_URL', [url, 'QUERY'])).toBe('k1=v1&k2=v2');
    expect(fn('PARSE_URL', [url, 'REF'])).toBe('Ref1');
    expect(fn('PARSE_URL', [url, 'FILE'])).toBe('/path1/p.php?k1=v1&k2=v2');
    expect(fn('PARSE_URL', ['not a url', 'HOST'])).toBeNull();
  });
});

describe('LIKE and SIMILAR TO', () => {
  it('matches LIKE patterns with % and _ and the default escape \\', () => {
    expect(fn('LIKE', ['abc', 'a%'])).toBe(true);
    expect(fn('LIKE', ['abc', '%c'])).toBe(true);
    expect(fn('LIKE', ['abc', '%b%'])).toBe(true);
    expect(fn('LIKE', ['abc', 'abc'])).toBe(true);
    expect(fn('LIKE', ['abc', 'ABC'])).toBe(false);
    expect(fn('LIKE', ['abc', '_b_'])).toBe(true);
    expect(fn('LIKE', ['abc', '_b'])).toBe(false);
    expect(fn('LIKE', ['a.c', 'a.c'])).toBe(true);
    expect(fn('LIKE', ['abc', 'a.c'])).toBe(false);
    expect(fn('LIKE', ['a_c', 'a\\_c'])).toBe(true);
    expect(fn('LIKE', ['abc', 'a\\_c'])).toBe(false);
    expect(fn('LIKE', ['a\nb', 'a%b'])).toBe(true);
    expect(fn('LIKE', ['a\nb', 'a_b'])).toBe(false);
    expect(fn('LIKE', ['', '%'])).toBe(true);
    expect(fn('LIKE', ['x', ''])).toBe(false);
    expect(fn('LIKE', [v(null, 'STRING?'), 'a%'])).toBeNull();
  });

  it('takes an ESCAPE character and rejects bad escapes', () => {
    expect(fn('LIKE', ['a%c', 'a!%c', '!'])).toBe(true);
    expect(fn('LIKE', ['abc', 'a!%c', '!'])).toBe(false);
    expect(fn('LIKE', ['a!c', 'a!!c', '!'])).toBe(true);
    expect(() => resolveFn('LIKE', ['abc', 'a\\bc'])).toThrow(/invalid escape/);
    expect(() => resolveFn('LIKE', ['abc', 'a%', '!!'])).toThrow(FunctionTypeError);
    expect(() => fn('LIKE', ['abc', col('a\\bc', 'STRING')])).toThrow(SqlRuntimeError);
  });

  it('compiles a column pattern once per distinct pattern', () => {
    const m = resolveLike('LIKE');
    expect(m('abc', 'a%')).toBe(true);
    expect(m('xbc', 'a%')).toBe(false);
    expect(m('xbc', '_bc')).toBe(true);
  });

  it('matches SIMILAR TO regular expressions over the whole string', () => {
    expect(fn('SIMILAR TO', ['abc', '(a|b)%'])).toBe(true);
    expect(fn('SIMILAR TO', ['abc', 'b%'])).toBe(false);
    expect(fn('SIMILAR TO', ['a.c', 'a.c'])).toBe(true);
    expect(fn('SIMILAR TO', ['abc', 'a.c'])).toBe(false);
    expect(fn('SIMILAR TO', ['aaa', 'a{2,3}'])).toBe(true);
    expect(fn('SIMILAR TO', ['abc', '[a-c]+'])).toBe(true);
    expect(fn('SIMILAR TO', ['a+', 'a\\+', '\\'])).toBe(true);
  });
});

describe('type errors at resolve', () => {
  it('names the function, the argument and the types', () => {
    expect(() => resolveFn('UPPER', [1])).toThrow('UPPER(INT): the 1st argument must be a character string, not INT');
    expect(() => resolveFn('SUBSTRING', ['a', 'b'])).toThrow(/2nd argument must be an integer/);
    expect(() => resolveFn('CONCAT', ['a', 1])).toThrow(FunctionTypeError);
    expect(() => resolveFn('LPAD', ['a', 1])).toThrow('LPAD takes 3 arguments, got 2');
  });
});
