// String material of the Nexmark generator, built once per seed: random character pools that per-event strings
// are sliced from (a `slice` of a long flat string is a cheap V8 sliced string, where building a string
// character by character would allocate per character), the hot channels' URLs and the 10,000 channel names and
// URLs. Word lists are Nexmark's.
import { CounterRng } from '../internal/counter-rng.js';

/** @internal */
export const US_STATES: readonly string[] = ['AZ', 'CA', 'ID', 'OR', 'WA', 'WY'];
/** @internal */
export const US_CITIES: readonly string[] = [
  'Phoenix', 'Los Angeles', 'San Francisco', 'Boise', 'Portland', 'Bend', 'Redmond', 'Seattle', 'Kent', 'Cheyenne',
];
const FIRST_NAMES = ['Peter', 'Paul', 'Luke', 'John', 'Saul', 'Vicky', 'Kate', 'Julie', 'Sarah', 'Deiter', 'Walter'];
const LAST_NAMES = ['Shultz', 'Abrams', 'Spencer', 'White', 'Bartels', 'Walton', 'Smith', 'Jones', 'Noris'];
/** Every "first last" combination; picking one uniformly equals picking first and last name independently. @internal */
export const FULL_NAMES: readonly string[] = FIRST_NAMES.flatMap((f) => LAST_NAMES.map((l) => `${f} ${l}`));
/** @internal */
export const HOT_CHANNELS: readonly string[] = ['Google', 'Facebook', 'Baidu', 'Apple'];
/** @internal */
export const CHANNELS_NUMBER = 10_000;
/** `%04d` of 0..9999, for credit card numbers. @internal */
export const PAD4: readonly string[] = Array.from({ length: 10_000 }, (_, i) => String(i).padStart(4, '0'));

/** Minimum length of random pools; long enough that slices rarely repeat next to each other. */
const MIN_POOL = 1 << 17;

/** Per-seed string tables. @internal */
export interface NexmarkStrings {
  /** Lowercase letters, for `extra`. */
  readonly letters: string;
  /** Lowercase letters with about one space in 13, for names and descriptions (`nextString`). */
  readonly text: string;
  readonly hotUrls: readonly string[];
  readonly channelNames: readonly string[];
  readonly channelUrls: readonly string[];
}

const cache = new Map<string, NexmarkStrings>();

/** The string tables of a seed, with a letter pool of at least `minLetters` characters. @internal */
export function nexmarkStrings(seed: number, minLetters: number): NexmarkStrings {
  const letterLength = Math.max(MIN_POOL, minLetters * 2);
  const key = `${seed}:${letterLength}`;
  let s = cache.get(key);
  if (s === undefined) {
    s = buildStrings(seed, letterLength);
    cache.set(key, s);
  }
  return s;
}

function buildStrings(seed: number, letterLength: number): NexmarkStrings {
  // A dedicated stream (record numbers far beyond any event) so the tables do not correlate with events.
  const rng = new CounterRng(seed);
  rng.reset(2 ** 52 + 1);
  const letters = randomChars(rng, letterLength, 0);
  rng.reset(2 ** 52 + 2);
  const text = randomChars(rng, MIN_POOL, 32 /* ' ' */);
  rng.reset(2 ** 52 + 3);
  const hotUrls = HOT_CHANNELS.map(() => baseUrl(rng));
  const channelNames: string[] = new Array(CHANNELS_NUMBER);
  const channelUrls: string[] = new Array(CHANNELS_NUMBER);
  for (let c = 0; c < CHANNELS_NUMBER; c++) {
    rng.reset(2 ** 52 + 1024 + c);
    channelNames[c] = `channel-${c}`;
    const url = baseUrl(rng);
    // As in Nexmark: 9 in 10 channel URLs carry a `channel_id` (q21 extracts it), derived from the channel
    // number by Java's Math.abs(Integer.reverse(n)), including its overflow for n = 1.
    channelUrls[c] = rng.nextInt(10) > 0 ? `${url}&channel_id=${javaAbsReverse(c)}` : url;
  }
  return { letters, text, hotUrls, channelNames, channelUrls };
}

/** Java's `Math.abs(Integer.reverse(n))`: bit-reversed 32-bit int, absolute value with int overflow. @internal */
export function javaAbsReverse(n: number): number {
  let x = n | 0;
  let r = 0;
  for (let i = 0; i < 32; i++) {
    r = (r << 1) | (x & 1);
    x >>>= 1;
  }
  return r === -2147483648 ? r : Math.abs(r);
}

/** `https://www.nexmark.com/<s>/<s>/<s>/item.htm?query=1`, each `<s>` 3–4 letters or `_`. */
function baseUrl(rng: CounterRng): string {
  return `https://www.nexmark.com/${pathPart(rng)}/${pathPart(rng)}/${pathPart(rng)}/item.htm?query=1`;
}

function pathPart(rng: CounterRng): string {
  const len = 3 + rng.nextInt(2);
  let s = '';
  for (let i = 0; i < len; i++) s += rng.nextInt(13) === 0 ? '_' : String.fromCharCode(97 + rng.nextInt(26));
  return s;
}

/** `length` random lowercase letters; with `special` set, about one character in 13 is `special` instead. */
function randomChars(rng: CounterRng, length: number, special: number): string {
  const codes = new Uint16Array(length);
  for (let i = 0; i < length; i++) {
    codes[i] = special !== 0 && rng.nextInt(13) === 0 ? special : 97 + rng.nextInt(26);
  }
  let out = '';
  for (let i = 0; i < length; i += 4096) out += String.fromCharCode(...codes.subarray(i, Math.min(length, i + 4096)));
  // Flatten once, so slices share one flat backing string.
  return out.split('').join('');
}
