// Tests the word count's pipeline with its own input and a collect sink instead of print. `env.execute()` runs the
// job in this process with the same operators, exchange and watermarks as `runnel run` (on one thread); a bounded
// input ends with the final watermark, so every window fires. Run with `npm test`.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { StreamExecutionEnvironment } from '@runnel/runtime';
import { wordCounts, type Word, type WordCount } from '../src/word-count.js';

/** Runs the pipeline on `input` at parallelism 2 and returns what it emitted, in a stable order. */
async function run(input: Word[]): Promise<WordCount[]> {
  const env = StreamExecutionEnvironment.create({ parallelism: 2 });
  wordCounts(env.fromElements(...input)).collect();
  const result = await env.execute();
  const out = (result.collected.get('collect') ?? []) as WordCount[];
  // Parallel subtasks emit in no particular order.
  return [...out].sort((a, b) => a.word.localeCompare(b.word) || a.count - b.count);
}

test('counts each word per 10-second window', async () => {
  const counts = await run([
    { word: 'to', ts: 1_000 }, { word: 'be', ts: 2_000 }, { word: 'or', ts: 3_000 },
    { word: 'not', ts: 4_000 }, { word: 'to', ts: 5_000 }, { word: 'be', ts: 12_000 },
  ]);
  assert.deepEqual(counts, [
    { word: 'be', count: 1 }, // window [0 s, 10 s)
    { word: 'be', count: 1 }, // window [10 s, 20 s)
    { word: 'not', count: 1 },
    { word: 'or', count: 1 },
    { word: 'to', count: 2 },
  ]);
});
