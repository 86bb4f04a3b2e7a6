// The campaign's input records, computed the same way by the input writer, the job (for the datagen source) and
// the reference: file events are time-partitioned (file i covers the i-th slice of event time) and moved back by a
// bounded random disorder; datagen rows map to events that span the same event time.
import { writeFileSync, mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { hash32 } from './rng.js';
import type { InputSpec } from './scenario.js';

/** One input event. */
export interface Ev {
  /** Key. */
  readonly k: string;
  /** Event time (ms). */
  readonly t: number;
  /** Value. */
  readonly v: number;
}

/** Events per file. */
export function eventsPerFile(input: InputSpec): number {
  return Math.floor(input.sliceMs / input.stepMs);
}

/** Event `j` of file `i`. */
export function fileEvent(input: InputSpec, i: number, j: number): Ev {
  const h = hash32(input.seed ^ Math.imul(i + 1, 0x01000193) ^ Math.imul(j + 1, 0x2545f491));
  const h2 = hash32(h + 0x632be5ab);
  const base = i * input.sliceMs + j * input.stepMs;
  const t = base - (input.disorderMs > 0 ? h % (input.disorderMs + 1) : 0);
  return { k: `u${h2 % input.keys}`, t, v: (h >>> 8) % 1000 };
}

/** The event of datagen row `seq` (rows spread over the files' event time, with the same disorder). */
export function datagenEvent(input: InputSpec, seq: number): Ev {
  const total = input.files * input.sliceMs;
  const h = hash32(input.seed ^ 0x5bd1e995 ^ Math.imul(seq + 1, 0x27d4eb2d));
  const base = Math.floor((seq * total) / Math.max(1, input.datagenRows));
  const t = base - (input.disorderMs > 0 ? h % (input.disorderMs + 1) : 0);
  return { k: `u${hash32(h) % input.keys}`, t, v: (h >>> 8) % 1000 };
}

/** File name of file `i` (name order is time order: the file source reads a directory in name order). */
export function fileName(i: number): string {
  return `events-${String(i).padStart(3, '0')}.jsonl`;
}

/** Writes the input files; returns the number of events written. */
export function writeInput(input: InputSpec, dir: string): number {
  mkdirSync(dir, { recursive: true });
  const n = eventsPerFile(input);
  for (let i = 0; i < input.files; i++) {
    const lines: string[] = new Array(n);
    for (let j = 0; j < n; j++) lines[j] = JSON.stringify(fileEvent(input, i, j));
    writeFileSync(join(dir, fileName(i)), lines.join('\n') + '\n');
  }
  return n * input.files;
}

/** Every input event: the files' and the datagen rows'. */
export function* allEvents(input: InputSpec): Generator<{ ev: Ev; side: 1 | 2 }> {
  const n = eventsPerFile(input);
  for (let i = 0; i < input.files; i++) for (let j = 0; j < n; j++) yield { ev: fileEvent(input, i, j), side: 1 };
  for (let s = 0; s < input.datagenRows; s++) yield { ev: datagenEvent(input, s), side: 2 };
}
