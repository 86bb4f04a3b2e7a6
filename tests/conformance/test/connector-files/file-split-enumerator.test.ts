import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { fileSplitOf, FileSplitEnumerator, type FileSplit } from '@runnel/connector-files';
import { TestEnumeratorContext } from '@runnel/testing';
import { tempDir } from './part-file-helpers.js';

let dir: string;
let cleanup: () => Promise<void>;
beforeEach(async () => ({ dir, cleanup } = await tempDir()));
afterEach(() => cleanup());

async function touch(...names: string[]): Promise<string[]> {
  const paths = names.map((n) => join(dir, n));
  for (const p of paths) {
    await mkdir(join(p, '..'), { recursive: true });
    await writeFile(p, '{}\n');
  }
  return paths;
}

describe('FileSplitEnumerator', () => {
  it('lists a directory recursively in name order, skipping hidden files, and assigns one file per request', async () => {
    const [a, b, c] = await touch('a.jsonl', 'b/x.jsonl', 'c.jsonl');
    await touch('.hidden.jsonl', '_SUCCESS', '.part-0-0.jsonl.inprogress');
    const context = new TestEnumeratorContext<FileSplit>(2);
    const enumerator = new FileSplitEnumerator(context, { path: dir });
    enumerator.start();
    enumerator.handleSplitRequest(1); // before the listing completes: the reader waits
    expect(context.assigned).toEqual([]);
    await context.runCalls();
    expect(context.calls).toEqual([]); // bounded: listed once
    expect(context.assigned).toEqual([{ split: fileSplitOf(a!), subtask: 1 }]);

    enumerator.handleSplitRequest(1); // the fast reader takes more files
    enumerator.handleSplitRequest(0);
    expect(context.assigned.slice(1)).toEqual([
      { split: fileSplitOf(b!), subtask: 1 },
      { split: fileSplitOf(c!), subtask: 0 },
    ]);
    enumerator.handleSplitRequest(0);
    expect(context.noMoreSplits).toEqual([0]);
  });

  it('reads a single file path', async () => {
    const [a] = await touch('only.jsonl');
    const context = new TestEnumeratorContext<FileSplit>();
    const enumerator = new FileSplitEnumerator(context, { path: a! });
    enumerator.start();
    await context.runCalls();
    enumerator.handleSplitRequest(0);
    enumerator.handleSplitRequest(0);
    expect(context.assigned.map((x) => x.split.path)).toEqual([a]);
    expect(context.noMoreSplits).toEqual([0]);
  });

  it('re-queues splits added back (with their positions) ahead of the others', async () => {
    const [a, b] = await touch('a.jsonl', 'b.jsonl');
    const context = new TestEnumeratorContext<FileSplit>(2);
    const enumerator = new FileSplitEnumerator(context, { path: dir });
    enumerator.start();
    await context.runCalls();
    enumerator.handleSplitRequest(0);
    const back = { ...fileSplitOf(a!), offset: 3, line: 2 };
    enumerator.addSplitsBack([back], 0);
    enumerator.handleSplitRequest(1);
    enumerator.handleSplitRequest(1);
    expect(context.assigned.slice(1)).toEqual([
      { split: back, subtask: 1 },
      { split: fileSplitOf(b!), subtask: 1 },
    ]);
  });

  it('continuous: re-lists periodically and hands new files to waiting readers', async () => {
    const [a] = await touch('a.jsonl');
    const context = new TestEnumeratorContext<FileSplit>(1);
    const enumerator = new FileSplitEnumerator(context, { path: dir, monitorIntervalMs: 1000 });
    enumerator.start();
    expect(context.calls.some((c) => c.periodMs === 1000)).toBe(true);
    await context.runCalls();
    enumerator.handleSplitRequest(0);
    enumerator.handleSplitRequest(0); // nothing left: waits instead of ending
    expect(context.assigned.map((x) => x.split.path)).toEqual([a]);
    expect(context.noMoreSplits).toEqual([]);

    const [b] = await touch('b.jsonl');
    await context.runCalls();
    expect(context.assigned.map((x) => x.split.path)).toEqual([a, b]);
    await context.runCalls(); // listing again finds nothing new
    expect(context.assigned).toHaveLength(2);
    expect(context.noMoreSplits).toEqual([]);
  });

  it('restores pending splits and discovered paths from its snapshot', async () => {
    const [a, b] = await touch('a.jsonl', 'b.jsonl');
    const context = new TestEnumeratorContext<FileSplit>();
    const enumerator = new FileSplitEnumerator(context, { path: dir, monitorIntervalMs: 50 });
    enumerator.start();
    await context.runCalls();
    enumerator.handleSplitRequest(0);
    const state = enumerator.snapshotState(1);
    expect(state.pendingSplits).toEqual([fileSplitOf(b!)]);
    expect([...state.discoveredPaths].sort()).toEqual([a, b]);

    const [c] = await touch('c.jsonl');
    const restoredContext = new TestEnumeratorContext<FileSplit>();
    const restored = new FileSplitEnumerator(restoredContext, { path: dir, monitorIntervalMs: 50 }, state);
    restored.start();
    await restoredContext.runCalls();
    for (let i = 0; i < 3; i++) restored.handleSplitRequest(0);
    expect(restoredContext.assigned.map((x) => x.split.path)).toEqual([b, c]); // a is not read twice
  });

  it('a restored bounded enumerator does not list again', async () => {
    const [a] = await touch('a.jsonl');
    const context = new TestEnumeratorContext<FileSplit>();
    const enumerator = new FileSplitEnumerator(context, { path: dir });
    enumerator.start();
    await context.runCalls();
    const state = enumerator.snapshotState(1);
    await touch('late.jsonl');
    const restoredContext = new TestEnumeratorContext<FileSplit>();
    const restored = new FileSplitEnumerator(restoredContext, { path: dir }, state);
    restored.start();
    expect(restoredContext.calls).toEqual([]);
    restored.handleSplitRequest(0);
    restored.handleSplitRequest(0);
    expect(restoredContext.assigned.map((x) => x.split.path)).toEqual([a]);
    expect(restoredContext.noMoreSplits).toEqual([0]);
  });

  it('fails when the path cannot be listed', async () => {
    const context = new TestEnumeratorContext<FileSplit>();
    const enumerator = new FileSplitEnumerator(context, { path: join(dir, 'nope') });
    enumerator.start();
    await expect(context.runCalls()).rejects.toThrow(/cannot list '.*nope'/);
  });
});
