import { describe, expect, it } from 'vitest';
import { fileURLToPath } from 'node:url';
import { describeJobError, parseStack } from '../src/job-error.js';

const cliDir = fileURLToPath(new URL('..', import.meta.url));
const repo = fileURLToPath(new URL('../../..', import.meta.url));
const job = `${cliDir}test/fixtures/missing-arg-job.ts`;
const helper = `${cliDir}test/fixtures/late-data-job.ts`;
const runJob = `${repo}packages/runtime/src/execution/run-job.ts`;
const coordinator = `${repo}packages/runtime/src/execution/job-coordinator.ts`;
const fileSource = `${repo}packages/connector-files/src/file-source.ts`;
const runCommand = `${cliDir}src/run-command.ts`;

/** An error with the given stack frames, as V8 prints them. */
function failure(message: string, frames: string[], name = 'TypeError'): Error {
  const e = new Error(message);
  e.name = name;
  e.stack = `${name}: ${message}\n${frames.map((f) => `    at ${f}`).join('\n')}`;
  return e;
}

describe('parseStack', () => {
  it('reads named, async, constructor and bare frames, and file URLs', () => {
    const frames = parseStack(
      [
        'TypeError: boom',
        '    at new FileSource (/a/file-source.ts:46:22)',
        '    at <anonymous> (/a/job.ts:9:17)',
        '    at async submitJob (/a/run-job.ts:31:3)',
        '    at file:///a/top.ts:3:15',
        '    at ModuleJob.run (node:internal/modules/esm/module_job:325:25)',
        '    at async Promise.all (index 0)',
      ].join('\n'),
    );
    expect(frames).toEqual([
      { fn: 'new FileSource', file: '/a/file-source.ts', line: 46, column: 22 },
      { fn: '<anonymous>', file: '/a/job.ts', line: 9, column: 17 },
      { fn: 'submitJob', file: '/a/run-job.ts', line: 31, column: 3 },
      { fn: undefined, file: 'file:///a/top.ts', line: 3, column: 15 },
      { fn: 'ModuleJob.run', file: 'node:internal/modules/esm/module_job', line: 325, column: 25 },
    ]);
  });
});

describe('describeJobError', () => {
  it('places an error of the job function at the job file, as building the job graph', () => {
    const e = failure("Cannot read properties of undefined (reading 'split')", [`<anonymous> (${job}:6:29)`, `submitJob (${runJob}:31:9)`, `async runCommand (${runCommand}:200:16)`]);
    expect(describeJobError(e, 'submit', job, cliDir)).toEqual({
      phase: 'build',
      headline: "error while building the job graph in test/fixtures/missing-arg-job.ts:6:29: TypeError: Cannot read properties of undefined (reading 'split')",
      frames: [],
      hints: [],
    });
  });

  it("skips Runnel's frames above the user's (an API the job called threw) and keeps async job functions", () => {
    const e = failure('filesystem source: path must not be empty', [`new FileSource (${fileSource}:46:42)`, `<anonymous> (${job}:4:18)`, `async submitJob (${runJob}:31:3)`], 'Error');
    const r = describeJobError(e, 'submit', job, '/elsewhere');
    expect(r?.phase).toBe('build');
    // Outside the working directory the path stays absolute.
    expect(r?.headline).toBe(`error while building the job graph in ${job}:4:18: filesystem source: path must not be empty`);
  });

  it("lists the user's frames when a helper of the job threw", () => {
    const e = failure('x is undefined', [`parse (${helper}:1:58)`, `<anonymous> (${job}:4:22)`, `submitJob (${runJob}:31:9)`]);
    const r = describeJobError(e, 'submit', job, cliDir)!;
    expect(r.headline).toBe('error while building the job graph in test/fixtures/late-data-job.ts:1:58: TypeError: x is undefined');
    expect(r.frames).toEqual(['at parse (test/fixtures/late-data-job.ts:1:58)', 'at <anonymous> (test/fixtures/missing-arg-job.ts:4:22)']);
  });

  it('says "starting the job" when user code failed under submitJob but not in the job function', () => {
    const e = failure('no splits', [`MySource.createEnumerator (${job}:20:5)`, `JobCoordinator.start (${coordinator}:300:7)`, `async submitJob (${runJob}:35:3)`], 'Error');
    expect(describeJobError(e, 'submit', job, cliDir)?.headline).toBe('error while starting the job in test/fixtures/missing-arg-job.ts:20:5: no splits');
  });

  it('leaves errors without user code to their own message', () => {
    const e = failure("unknown option 'no.such'", [`configFromOptions (${repo}packages/runtime/src/execution/runtime-config.ts:90:11)`, `submitJob (${runJob}:27:16)`], 'Error');
    expect(describeJobError(e, 'submit', job, cliDir)).toBeUndefined();
  });

  it('reports loading errors at the user frame, a syntax error at its position, else at the module', () => {
    const top = failure("Cannot read properties of null (reading 'n')", [`file://${job}:6:21`, 'ModuleJob.run (node:internal/modules/esm/module_job:325:25)']);
    expect(describeJobError(top, 'load', job, cliDir)?.headline).toBe("error while loading the job module in test/fixtures/missing-arg-job.ts:6:21: TypeError: Cannot read properties of null (reading 'n')");
    const syntax = failure(`Transform failed with 1 error:\n${job}:2:26: ERROR: Expected "]" but found ")"`, ['failureErrorWithLog (/x/node_modules/esbuild/lib/main.js:1752:15)'], 'TransformError');
    expect(describeJobError(syntax, 'load', job, cliDir)?.headline).toBe('error while loading the job module in test/fixtures/missing-arg-job.ts:2:27: syntax error: Expected "]" but found ")"');
    const other = failure('boom', ['ModuleJob.run (node:internal/modules/esm/module_job:325:25)'], 'Error');
    expect(describeJobError(other, 'load', job, cliDir)?.headline).toBe('error while loading the job module in test/fixtures/missing-arg-job.ts: boom');
  });
});
