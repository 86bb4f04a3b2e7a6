import { describe, expect, it } from 'vitest';
import { parseArgValue, parseCommandLine, parseKeyValue, UsageError, type Command } from '../src/args.js';

function run(argv: string[]): Extract<Command, { kind: 'run' }>['run'] {
  const c = parseCommandLine(argv);
  if (c.kind !== 'run') throw new Error(`expected a run command, got ${c.kind}`);
  return c.run;
}

describe('parseCommandLine', () => {
  it('recognizes help and version at the top level', () => {
    expect(parseCommandLine([])).toEqual({ kind: 'help', topic: undefined });
    expect(parseCommandLine(['--help'])).toEqual({ kind: 'help', topic: undefined });
    expect(parseCommandLine(['help', 'run'])).toEqual({ kind: 'help', topic: 'run' });
    expect(parseCommandLine(['run', '--help'])).toEqual({ kind: 'help', topic: 'run' });
    expect(parseCommandLine(['run', 'job.ts', '-h'])).toEqual({ kind: 'help', topic: 'run' });
    expect(parseCommandLine(['--version'])).toEqual({ kind: 'version' });
    expect(parseCommandLine(['-v'])).toEqual({ kind: 'version' });
  });

  it('parses run with defaults', () => {
    expect(run(['run', 'job.ts'])).toEqual({
      jobPath: 'job.ts',
      exportName: undefined,
      jobName: undefined,
      args: {},
      options: {},
      quiet: false,
      json: false,
      verbose: false,
    });
  });

  it('maps --parallelism and -D to Flink option keys, the flag winning over -D', () => {
    const r = run(['run', 'job.ts', '-D', 'pipeline.auto-watermark-interval=50ms', '-Dparallelism.default=8', '--parallelism', '2', '-D', 'metrics.reporter.interval = 500 ms']);
    expect(r.options).toEqual({ 'pipeline.auto-watermark-interval': '50ms', 'parallelism.default': 2, 'metrics.reporter.interval': '500 ms' });
    expect(run(['run', 'job.ts', '-p', '3']).options).toEqual({ 'parallelism.default': 3 });
  });

  it('builds the args object from repeated --arg, converting numbers and booleans', () => {
    const r = run(['run', 'job.ts', '--arg', 'n=1000', '--arg', 'rate=2.5', '-a', 'topic=orders', '--arg', 'dry=true', '--arg', 'expr=a=b', '--arg', 'zip=007']);
    expect(r.args).toEqual({ n: 1000, rate: 2.5, topic: 'orders', dry: true, expr: 'a=b', zip: '007' });
  });

  it('takes the export, name and flags', () => {
    const r = run(['run', '--export', 'keyedCount', 'jobs/x.ts', '--name', 'nightly', '--quiet', '--json', '--verbose']);
    expect([r.jobPath, r.exportName, r.jobName, r.quiet, r.json, r.verbose]).toEqual(['jobs/x.ts', 'keyedCount', 'nightly', true, true, true]);
  });

  it('rejects bad command lines with a usage error', () => {
    const bad: string[][] = [
      ['deploy'],
      ['--frobnicate'],
      ['run'],
      ['run', 'a.ts', 'b.ts'],
      ['run', 'a.ts', '--parallelism', '0'],
      ['run', 'a.ts', '--parallelism', 'two'],
      ['run', 'a.ts', '-D', 'novalue'],
      ['run', 'a.ts', '--arg', '=1'],
      ['run', 'a.ts', '--unknown'],
      ['run', 'a.ts', '--export', ''],
    ];
    for (const argv of bad) expect(() => parseCommandLine(argv), argv.join(' ')).toThrow(UsageError);
    try {
      parseCommandLine(['run', 'a.ts', '--parallelism', '0']);
    } catch (e) {
      expect((e as UsageError).topic).toBe('run');
      expect((e as UsageError).message).toMatch(/positive integer/);
    }
  });
});

describe('parseArgValue / parseKeyValue', () => {
  it('converts plain decimals only', () => {
    expect(parseArgValue('42')).toBe(42);
    expect(parseArgValue('-3.5')).toBe(-3.5);
    expect(parseArgValue('0')).toBe(0);
    expect(parseArgValue('1e3')).toBe('1e3');
    expect(parseArgValue('0x10')).toBe('0x10');
    expect(parseArgValue('')).toBe('');
    // Beyond 2^53 a number would change the value: it stays a string.
    expect(parseArgValue('12345678901234567890')).toBe('12345678901234567890');
    expect(parseArgValue('false')).toBe(false);
  });

  it('splits at the first equals sign', () => {
    expect(parseKeyValue('a=b=c', '-D')).toEqual(['a', 'b=c']);
    expect(parseKeyValue('a=', '-D')).toEqual(['a', '']);
    expect(() => parseKeyValue('=x', '-D')).toThrow(/-D expects key=value/);
  });
});
