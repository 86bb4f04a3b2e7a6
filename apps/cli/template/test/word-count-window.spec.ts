// Tests the word count's window alone with @runnel/testing's operator harness: the runtime's real window operator,
// records and watermarks fed by hand, in an exact order no job run guarantees. Shows what a late record does and
// that the window's state survives a snapshot and restore (a checkpoint). Run with `npm test`.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { windowHarness } from '@runnel/testing';
import { addCounts, WINDOW, type WordCount } from '../src/word-count.js';

const spec = { key: (c: WordCount) => c.word, assigner: WINDOW, reduce: addCounts };
const one = (word: string): WordCount => ({ word, count: 1 });

test('a window fires when the watermark passes its end, and a record behind the watermark is late', async () => {
  const h = await windowHarness(spec);
  await h.processElement(one('to'), 1_000);
  await h.processElement(one('be'), 2_000);
  await h.processElement(one('to'), 9_999);
  await h.processWatermark(9_998);
  assert.deepEqual(h.output(), []); // the window [0 s, 10 s) is still open
  await h.processWatermark(9_999);
  assert.deepEqual([...h.output()].sort((a, b) => a.word.localeCompare(b.word)), [
    { word: 'be', count: 1 },
    { word: 'to', count: 2 },
  ]);
  h.clearOutput();
  await h.processElement(one('to'), 5_000); // its window has fired: dropped as late
  await h.processWatermark(20_000);
  assert.deepEqual(h.output(), []);
  await h.close();
});

test("an open window's counts survive a snapshot and restore", async () => {
  const h = await windowHarness(spec);
  await h.processElement(one('or'), 12_000);
  const snapshot = await h.snapshot();
  await h.close();
  const restored = await windowHarness(spec, { restore: snapshot });
  await restored.processElement(one('or'), 13_000);
  await restored.processWatermark(19_999);
  assert.deepEqual(restored.output(), [{ word: 'or', count: 2 }]);
  await restored.close();
});
