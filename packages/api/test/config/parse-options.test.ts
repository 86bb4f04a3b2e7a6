import { describe, expect, expectTypeOf, it } from 'vitest';
import { defineOption, type OptionSet } from '../../src/config/option-declaration.js';
import { parseOptions, unknownOptionsMessage } from '../../src/config/parse-options.js';
import { parseOptionValue } from '../../src/config/parse-option-value.js';
import { ConfigurationError } from '../../src/config/configuration-error.js';
import { closestKey, editDistance } from '../../src/config/suggest.js';

const INTERVAL = defineOption({ key: 'execution.checkpointing.interval', type: 'duration', description: 'Checkpoint interval.' });
const TIMEOUT = defineOption({ key: 'execution.checkpointing.timeout', type: 'duration', defaultValue: 600_000, min: 1, description: 'Timeout.' });
const PARALLELISM = defineOption({ key: 'parallelism.default', type: 'int', defaultValue: 1, min: 1, description: 'Parallelism.' });
const BACKEND = defineOption({
  key: 'state.backend.type',
  type: 'enum',
  values: ['heap', 'level'],
  defaultValue: 'heap',
  deprecatedKeys: ['state.backend'],
  description: 'Backend.',
});
const DIR = defineOption({ key: 'state.checkpoints.dir', type: 'string', fallbackKeys: ['execution.checkpointing.dir'], description: 'Dir.' });
const SEGMENT = defineOption({ key: 'taskmanager.memory.segment-size', type: 'memory', defaultValue: 32 * 1024, description: 'Buffer size.' });
const OPTIONS: OptionSet = [INTERVAL, TIMEOUT, PARALLELISM, BACKEND, DIR, SEGMENT, { prefix: 'state.backend.level.', description: 'LevelDB options.' }];

describe('parseOptions', () => {
  it('returns typed values from text and from code, and defaults for what is not given', () => {
    const o = parseOptions(OPTIONS, { 'execution.checkpointing.interval': '10 s', 'parallelism.default': 4, 'taskmanager.memory.segment-size': '1 gb' });
    expect(o.get(INTERVAL)).toBe(10_000);
    expect(o.get(PARALLELISM)).toBe(4);
    expect(o.get(SEGMENT)).toBe(1024 ** 3);
    expect(o.get(TIMEOUT)).toBe(600_000);
    expect(o.getOptional(TIMEOUT)).toBeUndefined();
    expect([o.isSet(INTERVAL), o.isSet(TIMEOUT)]).toEqual([true, false]);
    expect(o.get(BACKEND)).toBe('heap');
    // Types follow the declarations (checked by the typecheck): a default makes the value never undefined.
    expectTypeOf(o.get(TIMEOUT)).toEqualTypeOf<number>();
    expectTypeOf(o.get(INTERVAL)).toEqualTypeOf<number | undefined>();
    expectTypeOf(o.getOptional(TIMEOUT)).toEqualTypeOf<number | undefined>();
    expectTypeOf(o.get(BACKEND)).toEqualTypeOf<'heap' | 'level'>();
    expectTypeOf(o.get(DIR)).toEqualTypeOf<string | undefined>();
    // An undefined value counts as not given.
    expect(parseOptions(OPTIONS, { 'execution.checkpointing.interval': undefined }).isSet(INTERVAL)).toBe(false);
  });

  it("rejects an unknown key with the closest valid key and every valid key", () => {
    expect(() => parseOptions(OPTIONS, { 'execution.checkpointing.intervall': '1 s' })).toThrow(
      "unknown option 'execution.checkpointing.intervall' (did you mean 'execution.checkpointing.interval'?); valid options: " +
        'execution.checkpointing.interval, execution.checkpointing.timeout, parallelism.default, state.backend.type, state.checkpoints.dir, ' +
        'taskmanager.memory.segment-size, state.backend.level.*',
    );
    // No suggestion for something unlike any key; several unknown keys in one message.
    expect(() => parseOptions(OPTIONS, { 'no.such.option': 1, 'paralelism.default': 2 })).toThrow(
      /^unknown options 'no\.such\.option', 'paralelism\.default' \(did you mean 'parallelism\.default'\?\); valid options: /,
    );
    // A typo of a deprecated or fallback key suggests the canonical key; a typo of a prefix suggests the prefix.
    expect(() => parseOptions(OPTIONS, { 'state.backnd': 'heap' })).toThrow(/'state\.backnd' \(did you mean 'state\.backend\.type'\?\)/);
    expect(() => parseOptions(OPTIONS, { 'state.backend.levle.cache-size': 5 })).toThrow(
      /'state\.backend\.levle\.cache-size' \(did you mean 'state\.backend\.level\.cache-size'\?\)/,
    );
    const error = (() => {
      try {
        parseOptions(OPTIONS, { 'execution.checkpointing.intervall': '1 s' }, { context: "job 'x'" });
      } catch (e) {
        return e as ConfigurationError;
      }
      return undefined;
    })();
    expect(error).toBeInstanceOf(ConfigurationError);
    expect(error?.key).toBe('execution.checkpointing.intervall');
    expect(error?.message).toMatch(/^job 'x': unknown option/);
  });

  it('accepts unknown keys only when asked, and lists them', () => {
    const o = parseOptions(OPTIONS, { 'parallelism.default': '2', 'metrics.reporters': 'log' }, { allowUnknown: true });
    expect(o.get(PARALLELISM)).toBe(2);
    expect(o.unknownKeys).toEqual(['metrics.reporters']);
    expect(() => parseOptions([], { x: 1 })).toThrow("unknown option 'x'; there are none");
  });

  it('hands keys under a declared prefix on as given, without the prefix', () => {
    const o = parseOptions(OPTIONS, { 'state.backend.level.cache-size': '5', 'state.backend.level.compression': false });
    expect(o.withPrefix('state.backend.level.')).toEqual({ 'cache-size': '5', compression: false });
    // The prefix alone is not a key under it.
    expect(() => parseOptions(OPTIONS, { 'state.backend.level.': 1 })).toThrow(/unknown option 'state\.backend\.level\.'/);
    expect(() => o.withPrefix('properties.')).toThrow(/not a declared prefix/);
  });

  it('reads fallback keys silently and deprecated keys with a warning; the canonical key wins', () => {
    const warnings: string[] = [];
    const onDeprecated = (m: string): void => void warnings.push(m);
    expect(parseOptions(OPTIONS, { 'execution.checkpointing.dir': '/chk' }, { onDeprecated }).get(DIR)).toBe('/chk');
    expect(warnings).toEqual([]);
    expect(parseOptions(OPTIONS, { 'state.backend': 'level' }, { onDeprecated }).get(BACKEND)).toBe('level');
    expect(warnings).toEqual(["option 'state.backend' is deprecated; use 'state.backend.type'"]);
    const both = parseOptions(OPTIONS, { 'state.checkpoints.dir': '/a', 'execution.checkpointing.dir': '/b' }, { onDeprecated });
    expect(both.get(DIR)).toBe('/a');
    // An error in a value given under another key names that key.
    expect(() => parseOptions(OPTIONS, { 'state.backend': 'rocks' }, { onDeprecated })).toThrow(/^option 'state\.backend': 'rocks' is not one of heap, level/);
  });

  it('rejects badly typed values and values out of range, naming the key', () => {
    expect(() => parseOptions(OPTIONS, { 'execution.checkpointing.interval': '10 parsecs' })).toThrow(
      "option 'execution.checkpointing.interval': '10 parsecs' is not a duration (expected e.g. '500 ms', '10 s', '1 min')",
    );
    expect(() => parseOptions(OPTIONS, { 'parallelism.default': '0' })).toThrow("option 'parallelism.default': '0' is out of range (expected at least 1)");
    expect(() => parseOptions(OPTIONS, { 'parallelism.default': 2.5 })).toThrow("option 'parallelism.default': 2.5 is not an integer");
    expect(() => parseOptions(OPTIONS, { 'execution.checkpointing.timeout': '0 ms' })).toThrow(
      "option 'execution.checkpointing.timeout': '0 ms' is out of range (expected at least 1 ms)",
    );
    expect(() => parseOptions(OPTIONS, { 'state.backend.type': 'levle' })).toThrow(
      "option 'state.backend.type': 'levle' is not one of heap, level (did you mean 'level'?)",
    );
    expect(() => parseOptions(OPTIONS, { 'taskmanager.memory.segment-size': '32 kbit' })).toThrow(/is not a memory size/);
  });

  it('requires required options', () => {
    const PATH = defineOption({ key: 'path', type: 'string', required: true, description: 'Where the files are.' });
    expect(() => parseOptions([PATH], {}, { context: "table 't'" })).toThrow("table 't': option 'path' is required: Where the files are.");
    expect(parseOptions([PATH], { path: '/in' }).get(PATH)).toBe('/in');
  });

  it('get() of an option that is not in the set is a programming error', () => {
    expect(() => parseOptions([INTERVAL], {}).get(TIMEOUT)).toThrow(/not one of the declarations/);
  });
});

describe('parseOptionValue', () => {
  it('string, boolean', () => {
    const s = defineOption({ key: 's', type: 'string', description: '' });
    expect(parseOptionValue(s, ' a b ')).toBe(' a b ');
    expect(parseOptionValue(s, 42)).toBe('42');
    expect(() => parseOptionValue(s, {})).toThrow("option 's': {} is not a string");
    const b = defineOption({ key: 'b', type: 'boolean', description: '' });
    expect([parseOptionValue(b, 'TRUE'), parseOptionValue(b, ' false '), parseOptionValue(b, true)]).toEqual([true, false, true]);
    expect(() => parseOptionValue(b, 'yes')).toThrow("option 'b': 'yes' is not a boolean (expected true or false)");
    expect(() => parseOptionValue(b, 1)).toThrow(/is not a boolean/);
  });

  it('int, long, double', () => {
    const i = defineOption({ key: 'i', type: 'int', description: '' });
    expect([parseOptionValue(i, ' 42 '), parseOptionValue(i, '-7'), parseOptionValue(i, '+3'), parseOptionValue(i, 9)]).toEqual([42, -7, 3, 9]);
    for (const bad of ['4.0', '1e3', '0x10', '', 'two']) expect(() => parseOptionValue(i, bad), bad).toThrow(/is not an integer/);
    expect(() => parseOptionValue(i, '2147483648')).toThrow("option 'i': '2147483648' is out of range (expected -2147483648 to 2147483647)");
    const l = defineOption({ key: 'l', type: 'long', description: '' });
    expect(parseOptionValue(l, '1704067200000')).toBe(1_704_067_200_000);
    expect(() => parseOptionValue(l, '9007199254740993')).toThrow(/out of range/);
    const x = defineOption({ key: 'x', type: 'double', min: 0, max: 1, description: '' });
    expect([parseOptionValue(x, '0.25'), parseOptionValue(x, '.5'), parseOptionValue(x, '1e-1'), parseOptionValue(x, 1)]).toEqual([0.25, 0.5, 0.1, 1]);
    expect(() => parseOptionValue(x, 'half')).toThrow("option 'x': 'half' is not a number");
    expect(() => parseOptionValue(x, '1.5')).toThrow("option 'x': '1.5' is out of range (expected 0 to 1)");
    expect(parseOptionValue(defineOption({ key: 'y', type: 'double', description: '' }), 'Infinity')).toBe(Infinity);
  });

  it('duration and memory from code are milliseconds and bytes', () => {
    const t = defineOption({ key: 't', type: 'duration', max: 60_000, description: '' });
    expect([parseOptionValue(t, 250), parseOptionValue(t, '1 min')]).toEqual([250, 60_000]);
    expect(() => parseOptionValue(t, -1)).toThrow(/-1 is not a duration \(a number of milliseconds >= 0/);
    expect(() => parseOptionValue(t, '2 min')).toThrow("option 't': '2 min' is out of range (expected at most 1 min)");
    expect(() => parseOptionValue(t, true)).toThrow(/true is not a duration/);
    const m = defineOption({ key: 'm', type: 'memory', min: 256, max: 0xffff_ffff, description: '' });
    expect([parseOptionValue(m, 4096), parseOptionValue(m, '64 mb')]).toEqual([4096, 64 * 1024 ** 2]);
    expect(() => parseOptionValue(m, 1.5)).toThrow(/1\.5 is not a memory size \(a whole number of bytes/);
    expect(() => parseOptionValue(m, '4 gb')).toThrow("option 'm': '4 gb' is out of range (expected 256 b to 4294967295 b)");
    expect(() => parseOptionValue(m, 100)).toThrow("option 'm': 100 is out of range (expected 256 b to 4294967295 b)");
  });

  it('enum, list, map', () => {
    const e = defineOption({ key: 'e', type: 'enum', values: ['SQUARE', 'SINE'], description: '' });
    expect(parseOptionValue(e, 'sine')).toBe('SINE');
    expect(() => parseOptionValue(e, 'cosine')).toThrow(/'cosine' is not one of SQUARE, SINE/);
    const list = defineOption({ key: 'list', type: 'list', description: '' });
    expect(parseOptionValue(list, 'a; b;;c;')).toEqual(['a', 'b', 'c']);
    expect(parseOptionValue(list, ['x', 1])).toEqual(['x', '1']);
    expect(() => parseOptionValue(list, 3)).toThrow(/is not a list/);
    const map = defineOption({ key: 'map', type: 'map', description: '' });
    expect(parseOptionValue(map, 'k1:v1, k2 : v:2')).toEqual({ k1: 'v1', k2: 'v:2' });
    expect(parseOptionValue(map, { a: 1 })).toEqual({ a: '1' });
    expect(() => parseOptionValue(map, 'k1=v1')).toThrow("option 'map': 'k1=v1' is not a map (expected e.g. 'k1:v1,k2:v2')");
  });

  it('never shows the value of a sensitive option', () => {
    const secret = defineOption({ key: 'password', type: 'int', sensitive: true, description: '' });
    expect(() => parseOptionValue(secret, 'hunter2')).toThrow("option 'password': (hidden) is not an integer");
  });
});

describe('suggestions', () => {
  it('edit distance', () => {
    expect(editDistance('kitten', 'sitting')).toBe(3);
    expect(editDistance('', 'abc')).toBe(3);
    expect(editDistance('same', 'same')).toBe(0);
  });

  it('suggests only keys close enough to be a typo', () => {
    expect(closestKey('cache-sise', ['block-cache-size', 'cache-size'])).toBe('cache-size');
    expect(closestKey('foo', ['parallelism.default'])).toBeUndefined();
    expect(unknownOptionsMessage(['paralelism.default'], [PARALLELISM])).toBe(
      "unknown option 'paralelism.default' (did you mean 'parallelism.default'?); valid options: parallelism.default",
    );
  });
});
