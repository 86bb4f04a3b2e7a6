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

describe('parseCommandLine: checkpoints and savepoints', () => {
  it('maps the restore flags like flink run -s <path> --allowNonRestoredState', () => {
    const expected = { 'execution.savepoint.path': 'sp/savepoint-1', 'execution.savepoint.ignore-unclaimed-state': 'true' };
    expect(run(['run', 'job.ts', '--from-savepoint', 'sp/savepoint-1', '--allow-non-restored-state']).options).toEqual(expected);
    expect(run(['run', '-s', 'sp/savepoint-1', 'job.ts', '--allowNonRestoredState']).options).toEqual(expected);
    expect(run(['run', 'job.ts', '--fromSavepoint', 'sp/savepoint-1', '--allow-non-restored-state']).options).toEqual(expected);
    // Without a flag, nothing is restored and no restore option is set.
    expect(run(['run', 'job.ts']).options).toEqual({});
  });

  it('maps checkpointing, resume and the state backend to their option keys, flags winning over -D', () => {
    const r = run([
      'run', 'job.ts',
      '-D', 'state.checkpoints.dir=/elsewhere',
      '--checkpoint-interval', '200ms',
      '--checkpoint-dir', '/tmp/chk',
      '--resume',
      '--state-backend', 'level',
    ]);
    expect(r.options).toEqual({
      'execution.checkpointing.interval': '200ms',
      'state.checkpoints.dir': '/tmp/chk',
      'execution.restore-from-latest-checkpoint': 'true',
      'state.backend.type': 'level',
    });
    // A checkpoint directory given with -D is enough for --resume.
    expect(run(['run', 'job.ts', '-D', 'state.checkpoints.dir=/c', '--resume']).options['execution.restore-from-latest-checkpoint']).toBe('true');
    expect(run(['run', 'job.ts', '--checkpoint-interval', '1 min']).options['execution.checkpointing.interval']).toBe('1 min');
  });

  it('takes an optional directory after --savepoint-on-stop', () => {
    expect(run(['run', 'job.ts', '--savepoint-on-stop']).savepointOnStop).toEqual({ directory: undefined });
    expect(run(['run', 'job.ts', '--savepoint-on-stop', '/tmp/sp']).savepointOnStop).toEqual({ directory: '/tmp/sp' });
    expect(run(['run', 'job.ts', '--savepoint-on-stop=/tmp/sp', '--json']).savepointOnStop).toEqual({ directory: '/tmp/sp' });
    // A following option is not a directory.
    const r = run(['run', 'job.ts', '--savepoint-on-stop', '--json']);
    expect([r.savepointOnStop, r.json]).toEqual([{ directory: undefined }, true]);
    // The only positional after the flag is the job module, not the directory.
    const before = run(['run', '--savepoint-on-stop', 'job.ts']);
    expect([before.jobPath, before.savepointOnStop]).toEqual(['job.ts', { directory: undefined }]);
    const both = run(['run', '--savepoint-on-stop', '/tmp/sp', 'job.ts']);
    expect([both.jobPath, both.savepointOnStop]).toEqual(['job.ts', { directory: '/tmp/sp' }]);
    expect(run(['run', 'job.ts']).savepointOnStop).toBeUndefined();
  });

  it('rejects bad checkpoint flags with usage errors', () => {
    const cases: [string[], RegExp][] = [
      [['run', 'job.ts', '--resume'], /--resume needs a checkpoint directory/],
      [['run', 'job.ts', '--resume', '--checkpoint-dir', '/c', '-s', '/sp'], /--resume and --from-savepoint exclude each other/],
      [['run', 'job.ts', '--checkpoint-interval', 'often'], /--checkpoint-interval expects a positive duration/],
      [['run', 'job.ts', '--checkpoint-interval', '0ms'], /--checkpoint-interval expects a positive duration/],
      [['run', 'job.ts', '--checkpoint-interval', '5 fortnights'], /--checkpoint-interval expects a positive duration/],
      [['run', 'job.ts', '--state-backend', 'rocksdb'], /--state-backend expects one of heap, level, got 'rocksdb'/],
      [['run', 'job.ts', '--from-savepoint', ' '], /^--from-savepoint needs a savepoint directory, e\.g\. .*\(got an empty value\)$/],
      [['run', 'job.ts', '--checkpoint-dir', ''], /^--checkpoint-dir needs a checkpoint directory, e\.g\. --checkpoint-dir \.\/chk \(got an empty value\)$/],
      [['run', 'job.ts', '-s'], /^-s needs a savepoint directory, .*\(it is the last word of the command line\)$/],
      [['run', 'job.ts', '-s', 'a', '--fromSavepoint', 'b'], /given twice/],
    ];
    for (const [argv, message] of cases) {
      let error: unknown;
      try {
        parseCommandLine(argv);
      } catch (e) {
        error = e;
      }
      expect(error, argv.join(' ')).toBeInstanceOf(UsageError);
      expect((error as UsageError).message, argv.join(' ')).toMatch(message);
      expect((error as UsageError).topic).toBe('run');
    }
  });
});

describe('options whose value is missing or empty', () => {
  const usageError = (argv: string[]): UsageError => {
    try {
      parseCommandLine(argv);
    } catch (e) {
      if (e instanceof UsageError) return e;
      throw e;
    }
    throw new Error(`no usage error for: ${argv.join(' ')}`);
  };

  it('says that --from-savepoint needs a savepoint directory when the value is empty', () => {
    for (const argv of [
      ['run', 'job.ts', '--from-savepoint', ''],
      ['run', 'job.ts', '--from-savepoint='],
      ['run', 'job.ts', '-s', ''],
      ['run', 'job.ts', '--fromSavepoint='],
    ]) {
      const e = usageError(argv);
      expect(e.message, argv.join(' ')).toMatch(/^(--from-savepoint|-s|--fromSavepoint) needs a savepoint directory, e\.g\. --from-savepoint \.\/savepoints\/savepoint-\S+ \(the path --savepoint-on-stop printed\) \(got an empty value\)$/);
      expect(e.topic).toBe('run');
    }
  });

  it('names what is needed instead of "argument is ambiguous" when the next word is an option (an empty unquoted variable)', () => {
    // `runnel run job.ts --from-savepoint $SP -p 2` with SP empty.
    const e = usageError(['run', 'job.ts', '--from-savepoint', '-p', '2']);
    expect(e.message).not.toMatch(/ambiguous/);
    expect(e.message).toMatch(/^--from-savepoint needs a savepoint directory, .* \(got the option '-p' instead: is a variable empty\? A value starting with '-' is written --from-savepoint=-value\)$/);
    expect(usageError(['run', 'job.ts', '-s', '--resume', '--checkpoint-dir', 'c']).message).toMatch(/^-s needs a savepoint directory, .*got the option '--resume' instead.* written -s-value\)$/);
    expect(usageError(['run', 'job.ts', '--checkpoint-dir', '--resume']).message).toMatch(/^--checkpoint-dir needs a checkpoint directory/);
    expect(usageError(['run', 'job.ts', '-p', '--json']).message).toMatch(/^-p needs a positive integer, e\.g\. --parallelism 4 \(got the option '--json' instead/);
    expect(usageError(['run', 'job.ts', '--arg']).message).toMatch(/^--arg needs KEY=VALUE, e\.g\. --arg n=1000 \(it is the last word/);
    expect(usageError(['run', 'job.ts', '--export', '']).message).toMatch(/^--export needs an export name/);
  });

  it('still takes values that merely look unusual', () => {
    // `--opt=-value` is how a value starting with '-' is written; after `--` nothing is an option.
    expect(run(['run', 'job.ts', '--from-savepoint=-odd-dir']).options['execution.savepoint.path']).toBe('-odd-dir');
    expect(run(['run', 'job.ts', '--name', '-']).jobName).toBe('-');
    expect(run(['run', '--', 'job.ts']).jobPath).toBe('job.ts');
  });
});

describe('runtime options', () => {
  it('--checkpoint-interval takes the runtime duration grammar (Flink\'s) and keeps the text', () => {
    const interval = (d: string) => run(['run', 'job.ts', '--checkpoint-dir', '/c', '--checkpoint-interval', d]).options['execution.checkpointing.interval'];
    expect(['200ms', ' 10 s', '1.5min', '1h', '250', '2 minutes', '1 d'].map(interval)).toEqual(['200ms', '10 s', '1.5min', '1h', '250', '2 minutes', '1 d']);
    for (const bad of ['--checkpoint-interval=-5s', '--checkpoint-interval=0', '--checkpoint-interval=10 parsecs', '--checkpoint-interval=soon']) {
      expect(() => parseCommandLine(['run', 'job.ts', bad]), bad).toThrow(/--checkpoint-interval expects a positive duration/);
    }
  });

  it('rejects an unknown -D key with the closest valid one, as a usage error', () => {
    expect(() => parseCommandLine(['run', 'job.ts', '-D', 'execution.checkpointing.intervall=1s'])).toThrow(
      /^unknown option 'execution\.checkpointing\.intervall' \(did you mean 'execution\.checkpointing\.interval'\?\); valid options: /,
    );
    const error = (() => {
      try {
        parseCommandLine(['run', 'job.ts', '-D', 'pipeline.auto-watermark-intervall=50ms']);
      } catch (e) {
        return e;
      }
      return undefined;
    })();
    expect(error).toBeInstanceOf(UsageError);
    expect((error as UsageError).topic).toBe('run');
  });

  it('rejects a -D value that does not parse, naming the key', () => {
    expect(() => parseCommandLine(['run', 'job.ts', '-D', 'taskmanager.memory.segment-size=1 gib-ish'])).toThrow(
      "option 'taskmanager.memory.segment-size': '1 gib-ish' is not a memory size (expected e.g. '64 kb', '32 mb', '1 gb')",
    );
    // '1 gb' is a memory size for every option now.
    expect(run(['run', 'job.ts', '-D', 'taskmanager.memory.segment-size=1 gb']).options['taskmanager.memory.segment-size']).toBe('1 gb');
  });

  it('leaves state.backend.level.* options to the backend', () => {
    expect(run(['run', 'job.ts', '-D', 'state.backend.level.cache-size=1000']).options).toEqual({ 'state.backend.level.cache-size': '1000' });
  });
});
