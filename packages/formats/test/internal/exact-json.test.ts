import { describe, expect, it } from 'vitest';
import { parseJsonExact, stringifyExact } from '../../src/internal/exact-json.js';
import { JsonNumber } from '../../src/internal/json-number.js';

describe('parseJsonExact', () => {
  it('gives what JSON.parse gives for ordinary JSON', () => {
    for (const text of [
      '{"a":1,"b":[true,false,null],"c":{"d":"x\\"y\\u00e9\\n"},"e":-0.5,"f":""}',
      ' [ 1 , 2.25 , "s" , { } , [ ] ] ',
      '"just a string"',
      '123456789012345',
      'null',
      '{"é":"ü","emoji":"😀"}',
    ]) {
      expect(parseJsonExact(text)).toEqual(JSON.parse(text));
    }
  });

  it('keeps numbers a double may not hold as their text', () => {
    const v = parseJsonExact('{"big":9007199254740993,"dec":799.929496989092949698,"exp":1e400,"small":12.5}') as Record<string, unknown>;
    expect(v.big).toEqual(new JsonNumber('9007199254740993'));
    expect(v.dec).toEqual(new JsonNumber('799.929496989092949698'));
    expect(v.exp).toEqual(new JsonNumber('1e400'));
    expect(v.small).toBe(12.5);
  });

  it('makes __proto__ an own property, as JSON.parse does', () => {
    const v = parseJsonExact('{"__proto__":{"polluted":true}}') as Record<string, unknown>;
    expect(Object.getPrototypeOf(v)).toBe(Object.prototype);
    expect(Object.hasOwn(v, '__proto__')).toBe(true);
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
  });

  it('refuses what JSON.parse refuses', () => {
    for (const bad of ['', '{', '{"a":}', '[1,]', '01', '1.', '-', '"unterminated', '{"a" 1}', 'tru', '1 2', '"\u0001"', "{'a':1}"]) {
      expect(() => JSON.parse(bad), bad).toThrow(SyntaxError);
      expect(() => parseJsonExact(bad), bad).toThrow(SyntaxError);
    }
  });

  it('writes JsonNumbers back as their text', () => {
    const text = '{"a":[9007199254740993,1.5,"x"],"b":{"c":null}}';
    expect(stringifyExact(parseJsonExact(text))).toBe(text);
  });
});
