// Flink's duration grammar (`TimeUtils.parseDuration`): `<number><whitespace?><unit>`, a bare number meaning
// milliseconds, unit labels case-insensitive. Durations are numbers of milliseconds in Runnel (fractions for units
// below a millisecond), so that a typed value from code and a parsed one are the same thing.
import { ConfigurationError, optionPrefix } from './configuration-error.js';

interface DurationUnit {
  /** The unit's length is `factor / divisor` milliseconds (two integers, so that no unit is an inexact float). */
  readonly factor: number;
  readonly divisor: number;
}

const unit = (factor: number, divisor = 1): DurationUnit => ({ factor, divisor });
const DAY = unit(86_400_000);
const HOUR = unit(3_600_000);
const MINUTE = unit(60_000);
const SECOND = unit(1000);
const MILLI = unit(1);
const MICRO = unit(1, 1000);
const NANO = unit(1, 1_000_000);

// Flink's labels: the short label is singular only, the long ones also take a plural `s`. `us` (ASCII for `µs`) and
// the Greek `μs` are additions; `mins` and a fraction (`1.5 min`) are not Flink's either, but earlier Runnel
// versions read them, so they stay accepted.
const UNITS: ReadonlyMap<string, DurationUnit> = new Map([
  ['d', DAY], ['day', DAY], ['days', DAY],
  ['h', HOUR], ['hour', HOUR], ['hours', HOUR],
  ['min', MINUTE], ['m', MINUTE], ['minute', MINUTE], ['minutes', MINUTE], ['mins', MINUTE],
  ['s', SECOND], ['sec', SECOND], ['secs', SECOND], ['second', SECOND], ['seconds', SECOND],
  ['ms', MILLI], ['milli', MILLI], ['millis', MILLI], ['millisecond', MILLI], ['milliseconds', MILLI],
  ['µs', MICRO], ['μs', MICRO], ['us', MICRO], ['micro', MICRO], ['micros', MICRO], ['microsecond', MICRO], ['microseconds', MICRO],
  ['ns', NANO], ['nano', NANO], ['nanos', NANO], ['nanosecond', NANO], ['nanoseconds', NANO],
]);

/** The examples every duration error ends with. */
export const DURATION_EXAMPLES = "expected e.g. '500 ms', '10 s', '1 min'";

/**
 * Parses a duration in Flink's grammar into milliseconds: `<number><whitespace?><unit>` with the units
 * `d`/`day`, `h`/`hour`, `min`/`m`/`minute`, `s`/`sec`/`second`, `ms`/`milli`/`millisecond`,
 * `µs`/`us`/`micro`/`microsecond`, `ns`/`nano`/`nanosecond` (the long labels also in the plural), case-insensitive;
 * a bare number is milliseconds. For compatibility with earlier Runnel versions a fraction (`1.5 min`) and `mins`
 * are accepted too.
 *
 * @param text - the duration, e.g. `'10 s'`
 * @param key - the option the text is the value of, named in the error
 * @returns milliseconds (a fraction for units below a millisecond)
 * @throws {@link ConfigurationError} naming the key, the text and the expected form
 * @public
 */
export function parseDuration(text: string, key?: string): number {
  const match = /^(\d+(?:\.\d+)?)(.*)$/su.exec(text.trim());
  const label = match?.[2]!.trim().toLowerCase() ?? '';
  const u = label === '' ? MILLI : UNITS.get(label);
  const value = match === null ? Number.NaN : Number(match[1]);
  const ms = u === undefined ? Number.NaN : (value * u.factor) / u.divisor;
  if (!Number.isFinite(ms) || value > Number.MAX_SAFE_INTEGER) {
    throw new ConfigurationError(`${optionPrefix(key)}'${text}' is not a duration (${DURATION_EXAMPLES})`, key);
  }
  return ms;
}

const FORMAT_UNITS: readonly (readonly [string, DurationUnit])[] = [
  ['d', DAY], ['h', HOUR], ['min', MINUTE], ['s', SECOND], ['ms', MILLI], ['µs', MICRO], ['ns', NANO],
];

/**
 * Formats milliseconds as a duration in the largest unit that shows it exactly (`60000` → `'1 min'`,
 * `1500` → `'1500 ms'`), as `parseDuration` reads it back.
 *
 * @public
 */
export function formatDuration(ms: number): string {
  if (ms === 0) return '0 ms';
  for (const [label, u] of FORMAT_UNITS) {
    const n = (ms * u.divisor) / u.factor;
    if (Number.isInteger(n)) return `${n} ${label}`;
  }
  return `${ms} ms`;
}
