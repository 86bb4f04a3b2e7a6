// Parsing of string-valued connector options (as they arrive from SQL DDL) into typed values, with errors that
// name the offending key so that a bad `WITH (...)` clause is easy to fix.

/** @internal */
export function parseIntegerOption(key: string, value: string): number {
  const trimmed = value.trim();
  if (!/^[+-]?\d+$/.test(trimmed)) throw new Error(`option '${key}': expected an integer, got '${value}'`);
  const n = Number(trimmed);
  if (!Number.isSafeInteger(n)) throw new Error(`option '${key}': ${value} is outside the safe integer range`);
  return n;
}

/** @internal */
export function parseNumberOption(key: string, value: string): number {
  const n = Number(value.trim());
  if (value.trim() === '' || Number.isNaN(n)) throw new Error(`option '${key}': expected a number, got '${value}'`);
  return n;
}

/** @internal */
export function parseBooleanOption(key: string, value: string): boolean {
  const v = value.trim().toLowerCase();
  if (v === 'true') return true;
  if (v === 'false') return false;
  throw new Error(`option '${key}': expected true or false, got '${value}'`);
}

const MEMORY_UNITS: Readonly<Record<string, number>> = {
  '': 1,
  b: 1,
  bytes: 1,
  k: 1024,
  kb: 1024,
  kibibytes: 1024,
  m: 1024 * 1024,
  mb: 1024 * 1024,
  mebibytes: 1024 * 1024,
};

/** Parses a Flink memory size (`200b`, `1kb`, `1 mb`, or plain bytes). @internal */
export function parseMemorySizeOption(key: string, value: string): number {
  const m = /^\s*(\d+)\s*([a-z]*)\s*$/i.exec(value);
  const unit = m ? MEMORY_UNITS[m[2]!.toLowerCase()] : undefined;
  if (!m || unit === undefined) throw new Error(`option '${key}': expected a memory size such as '200b', got '${value}'`);
  return Number(m[1]) * unit;
}

const DURATION_UNITS: Readonly<Record<string, number>> = {
  '': 1,
  ms: 1,
  milli: 1,
  millis: 1,
  millisecond: 1,
  milliseconds: 1,
  s: 1000,
  sec: 1000,
  secs: 1000,
  second: 1000,
  seconds: 1000,
  min: 60_000,
  m: 60_000,
  minute: 60_000,
  minutes: 60_000,
  h: 3_600_000,
  hour: 3_600_000,
  hours: 3_600_000,
  d: 86_400_000,
  day: 86_400_000,
  days: 86_400_000,
};

/** Parses a Flink duration (`5 s`, `100ms`, `1 min`, or plain milliseconds) into milliseconds. @internal */
export function parseDurationOption(key: string, value: string): number {
  const m = /^\s*(\d+)\s*([a-z]*)\s*$/i.exec(value);
  const unit = m ? DURATION_UNITS[m[2]!.toLowerCase()] : undefined;
  if (!m || unit === undefined) throw new Error(`option '${key}': expected a duration such as '5 s', got '${value}'`);
  return Number(m[1]) * unit;
}
