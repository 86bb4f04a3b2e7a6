// word-count.ts — run with: npx runnel run src/word-count.ts --parallelism 2
import { defineJob, TumblingEventTimeWindows, WatermarkStrategy, type DataStream } from '@runnel/runtime';

export interface Word {
  readonly word: string;
  /** Event time (ms). */
  readonly ts: number;
}

export interface WordCount {
  readonly word: string;
  readonly count: number;
}

/** The window: 10 seconds of event time. */
export const WINDOW = TumblingEventTimeWindows.of(10_000);

/** Adds two counts of the same word (the window's reduce function; test/word-count-window.spec.ts tests it alone). */
export const addCounts = (a: WordCount, b: WordCount): WordCount => ({ word: a.word, count: a.count + b.count });

/** Counts each word per 10-second event-time window. Kept apart from source and sink, so a test can feed it. */
export function wordCounts(words: DataStream<Word>): DataStream<WordCount> {
  return words
    .assignTimestampsAndWatermarks(WatermarkStrategy.forBoundedOutOfOrderness<Word>(1_000).withTimestampAssigner((e) => e.ts))
    .map((e) => ({ word: e.word, count: 1 }))
    .keyBy((e) => e.word)
    .window(WINDOW)
    .reduce(addCounts)
    .uid('word-counts');
}

export default defineJob((env) => {
  const words = env.fromElements<Word>(
    { word: 'to', ts: 1_000 }, { word: 'be', ts: 2_000 }, { word: 'or', ts: 3_000 },
    { word: 'not', ts: 4_000 }, { word: 'to', ts: 5_000 }, { word: 'be', ts: 12_000 },
  );
  wordCounts(words).print();
});
