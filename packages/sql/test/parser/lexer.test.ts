import { describe, expect, it } from 'vitest';
import { tokenize, type Token } from '../../src/parser/lexer.js';
import { SqlParseError } from '../../src/parser/parse-error.js';

const kinds = (text: string) => tokenize(text).map((t) => `${t.kind}:${t.value}`);

function lexError(text: string): SqlParseError {
  try {
    tokenize(text);
  } catch (e) {
    expect(e).toBeInstanceOf(SqlParseError);
    return e as SqlParseError;
  }
  throw new Error(`no error for ${text}`);
}

describe('tokenize', () => {
  it('splits words, quoted names, strings, numbers and operators', () => {
    expect(kinds("SELECT `a``b`, 'it''s', 1.5 FROM t")).toEqual([
      'word:SELECT', 'quoted:a`b', 'op:,', "string:it's", 'op:,', 'number:1.5', 'word:FROM', 'word:t', 'eof:',
    ]);
  });

  it('keeps the case of words and gives their upper case for keyword matching', () => {
    const [t] = tokenize('dateTime');
    expect(t).toMatchObject({ kind: 'word', value: 'dateTime', upper: 'DATETIME' });
  });

  it('reads numbers: integers, decimals, leading dot, exponents', () => {
    expect(kinds('7 1.5 .5 1e-3 2.5E10 1. 3e')).toEqual([
      'number:7', 'number:1.5', 'number:.5', 'number:1e-3', 'number:2.5E10', 'number:1.', 'number:3', 'word:e', 'eof:',
    ]);
  });

  it('reads two-character operators, != as <>', () => {
    expect(kinds('a <> b != c <= d >= e || f => g')).toEqual([
      'word:a', 'op:<>', 'word:b', 'op:<>', 'word:c', 'op:<=', 'word:d', 'op:>=', 'word:e', 'op:||', 'word:f', 'op:=>', 'word:g', 'eof:',
    ]);
  });

  it('drops -- and /* */ comments, keeps hints with their inner text', () => {
    expect(kinds("a -- comment ' unbalanced\nb /* c\n d */ e /*+ OPTIONS('k'='v') */ f")).toEqual([
      'word:a', 'word:b', 'word:e', "hint: OPTIONS('k'='v') ", 'word:f', 'eof:',
    ]);
  });

  it('gives 1-based lines and columns and 0-based offsets, across multi-line strings and comments', () => {
    const tokens = tokenize("SELECT\n  'a\nb' AS x, /* one\ntwo */ y\n\tFROM t");
    const at = (v: string) => tokens.find((t) => t.value === v)!;
    expect(at('SELECT')).toMatchObject({ line: 1, col: 1, offset: 0, end: 6 });
    expect(at('a\nb')).toMatchObject({ line: 2, col: 3, offset: 9 });
    expect(at('AS')).toMatchObject({ line: 3, col: 4 });
    expect(at('y')).toMatchObject({ line: 4, col: 8 });
    expect(at('FROM')).toMatchObject({ line: 5, col: 2 });
    expect(tokens.at(-1)).toMatchObject({ kind: 'eof', line: 5, col: 8 });
  });

  it('counts \\r\\n as one line break', () => {
    const tokens = tokenize('a\r\nb');
    expect(tokens[1]).toMatchObject({ value: 'b', line: 2, col: 1 });
  });

  it('reads X binary literals and _charset strings', () => {
    expect(kinds("X'0aFF' x'' _UTF8'héllo'")).toEqual(['binary:0aFF', 'binary:', 'string:héllo', 'eof:']);
  });

  it('reads Unicode names', () => {
    expect(kinds('prix_€ größe')).toEqual(['word:prix_', 'invalid:€', 'word:größe', 'eof:']);
  });

  it('turns characters that start no token into invalid tokens with a reason', () => {
    const tokens = tokenize('a :: b $ "c"');
    const invalid = tokens.filter((t) => t.kind === 'invalid');
    expect(invalid.map((t) => t.value)).toEqual(['::', '$', '"c"']);
    expect(invalid[0]!.problem).toContain('CAST(x AS type)');
    expect(invalid[2]!.problem).toContain('double-quoted');
  });

  it('reports an unterminated string, name or comment where it starts', () => {
    const s = lexError("SELECT 'abc\n\nFROM t");
    expect([s.line, s.col]).toEqual([1, 8]);
    expect(s.message).toBe('SQL parse error at line 1, column 8: unterminated string literal starting at line 1, column 8');
    const q = lexError('SELECT\n  `abc FROM t');
    expect([q.line, q.col]).toEqual([2, 3]);
    expect(q.what).toContain('unterminated quoted identifier');
    const c = lexError('SELECT 1 /* never\nclosed');
    expect([c.line, c.col, c.what]).toEqual([1, 10, 'unterminated comment starting at line 1, column 10']);
    const h = lexError('SELECT /*+ BROADCAST(t)');
    expect(h.what).toBe('unterminated hint starting at line 1, column 8');
  });

  it('refuses malformed binary literals and empty quoted names', () => {
    expect(lexError("SELECT X'0g'").what).toContain('hexadecimal');
    expect(lexError("SELECT X'abc'").what).toContain('even number');
    expect(lexError('SELECT ``').what).toContain('empty quoted identifier');
  });

  it('lexes a range of the text with the position of its start (hints)', () => {
    const text = "SELECT /*+ A('k'='v') */ 1";
    const tokens: Token[] = tokenize(text, { offset: 10, line: 1, col: 11 }, 22);
    expect(tokens[0]).toMatchObject({ value: 'A', col: 12, offset: 11 });
    expect(tokens.at(-1)).toMatchObject({ kind: 'eof', offset: 22 });
  });

  it('is linear: a long single-line script of strings lexes quickly', () => {
    const parts: string[] = [];
    for (let i = 0; i < 50_000; i++) parts.push(`'s${i}''x'`);
    const text = `SELECT ${parts.join(', ')}`;
    const t0 = performance.now();
    const tokens = tokenize(text);
    const ms = performance.now() - t0;
    expect(tokens.length).toBe(100_001);
    expect(ms).toBeLessThan(500);
  });
});
