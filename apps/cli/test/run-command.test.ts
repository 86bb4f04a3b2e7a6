import { describe, expect, it } from 'vitest';
import { basename, dirname } from 'node:path';
import { resolveRunOptions, savepointTarget } from '../src/run-command.js';

describe('resolveRunOptions', () => {
  it('makes path options absolute against the working directory and accepts file: URIs', () => {
    const o = resolveRunOptions(
      { 'state.checkpoints.dir': 'chk', 'state.savepoints.dir': '/abs/sp', 'execution.savepoint.path': 'file:///data/sp-1', 'parallelism.default': 2, 'pipeline.auto-watermark-interval': '50ms' },
      '/work/job',
    );
    expect(o).toEqual({
      'state.checkpoints.dir': '/work/job/chk',
      'state.savepoints.dir': '/abs/sp',
      'execution.savepoint.path': '/data/sp-1',
      'parallelism.default': 2,
      'pipeline.auto-watermark-interval': '50ms',
    });
  });
});

describe('savepointTarget', () => {
  const jobId = '83548e43-2c5d-41cb-ac6b-52174651f6bd';

  it('names a new savepoint directory under the given directory, else under state.savepoints.dir', () => {
    const a = savepointTarget('sp', { 'state.savepoints.dir': '/configured' }, '/work', jobId)!;
    expect(dirname(a)).toBe('/work/sp');
    expect(basename(a)).toMatch(/^savepoint-83548e-[0-9a-f]{12}$/);
    const b = savepointTarget(undefined, { 'state.savepoints.dir': '/configured' }, '/work', jobId)!;
    expect(dirname(b)).toBe('/configured');
    // Two stops into the same parent never collide.
    expect(savepointTarget('sp', {}, '/work', jobId)).not.toBe(savepointTarget('sp', {}, '/work', jobId));
  });

  it('leaves the choice to the runtime (the checkpoint directory) when no directory is configured', () => {
    expect(savepointTarget(undefined, { 'state.checkpoints.dir': '/chk' }, '/work', jobId)).toBeUndefined();
  });
});
