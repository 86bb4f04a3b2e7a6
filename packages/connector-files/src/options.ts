// Option keys, defaults and value parsers of the `filesystem` connector. Keys and value syntax follow Flink's
// filesystem connector (`source.monitor-interval` = '10 s', `sink.rolling-policy.file-size` = '128MB'), so Flink
// DDL ports unchanged. Parsers are strict: a value they cannot read is a configuration error that names the key.
import type { OptionSpec } from '@runnel/api/connector';

/**
 * The option keys of the `filesystem` connector.
 *
 * @public
 */
export const FileOptionKeys = {
  path: 'path',
  format: 'format',
  monitorInterval: 'source.monitor-interval',
  ignoreParseErrors: 'json.ignore-parse-errors',
  rollingFileSize: 'sink.rolling-policy.file-size',
  fileNamePrefix: 'file-name.prefix',
} as const;

/**
 * Defaults shared by the programmatic and the factory API.
 *
 * @public
 */
export const FileDefaults = {
  /** Bytes per asynchronous read of the source. */
  readChunkSize: 1024 * 1024,
  /** Records `pollNext` emits per call at most. */
  maxRecordsPerPoll: 1024,
  /** `sink.rolling-policy.file-size`: 128 MiB. */
  rollingFileSize: 128 * 1024 * 1024,
  /** `file-name.prefix`. */
  fileNamePrefix: 'part',
  /** Buffered bytes after which the sink writer hands a batch to the file system. */
  writeBatchSize: 256 * 1024,
  /** Buffered bytes (not yet written) above which the sink writer reports back-pressure. */
  maxBufferedBytes: 4 * 1024 * 1024,
} as const;

/**
 * The option schema of the `filesystem` connector.
 *
 * @public
 */
export const FILE_OPTION_SPECS: readonly OptionSpec[] = [
  {
    key: FileOptionKeys.path,
    type: 'string',
    required: true,
    description: 'Source: a file or a directory (listed recursively, hidden files skipped). Sink: a directory.',
  },
  {
    key: FileOptionKeys.format,
    type: 'enum',
    required: true,
    enumValues: ['json'],
    description: 'The file format; `json` means JSON lines (one JSON value per line).',
  },
  {
    key: FileOptionKeys.monitorInterval,
    type: 'duration',
    description:
      'Source: when set, the source is continuous and re-lists the directory at this interval to pick up new ' +
      'files; when unset, the source is bounded and reads the files present at start.',
  },
  {
    key: FileOptionKeys.ignoreParseErrors,
    type: 'boolean',
    defaultValue: 'false',
    description: 'Source: skip malformed lines (counted in `numRecordsInErrors`) instead of failing.',
  },
  {
    key: FileOptionKeys.rollingFileSize,
    type: 'memory-size',
    defaultValue: '128 mb',
    description: 'Sink: the maximum size of a part file before the writer rolls to a new one.',
  },
  {
    key: FileOptionKeys.fileNamePrefix,
    type: 'string',
    defaultValue: FileDefaults.fileNamePrefix,
    description: 'Sink: committed part files are named `<prefix>-<subtask>-<checkpoint-id>-<n>.jsonl`.',
  },
];

const DURATION_UNITS: Readonly<Record<string, number>> = {
  ns: 1e-6, nano: 1e-6, nanos: 1e-6, nanosecond: 1e-6, nanoseconds: 1e-6,
  us: 1e-3, µs: 1e-3, micro: 1e-3, micros: 1e-3, microsecond: 1e-3, microseconds: 1e-3,
  ms: 1, milli: 1, millis: 1, millisecond: 1, milliseconds: 1,
  s: 1000, sec: 1000, secs: 1000, second: 1000, seconds: 1000,
  m: 60_000, min: 60_000, mins: 60_000, minute: 60_000, minutes: 60_000,
  h: 3_600_000, hour: 3_600_000, hours: 3_600_000,
  d: 86_400_000, day: 86_400_000, days: 86_400_000,
};

/**
 * Parses a Flink duration (`500ms`, `10 s`, `1 min`, `2h`; a bare number is milliseconds) into milliseconds.
 *
 * @param key - the option key, for the error message
 * @public
 */
export function parseDuration(value: string, key: string): number {
  const match = /^\s*(\d+(?:\.\d+)?)\s*([a-zµ]*)\s*$/i.exec(value);
  const factor = match ? DURATION_UNITS[(match[2] ?? '').toLowerCase() || 'ms'] : undefined;
  if (!match || factor === undefined) {
    throw new Error(`option '${key}': cannot parse duration '${value}' (expected e.g. '500 ms', '10 s', '1 min')`);
  }
  return Math.round(Number(match[1]) * factor);
}

const MEMORY_UNITS: Readonly<Record<string, number>> = {
  b: 1, bytes: 1,
  k: 1024, kb: 1024, kib: 1024, kibibytes: 1024,
  m: 1024 ** 2, mb: 1024 ** 2, mib: 1024 ** 2, mebibytes: 1024 ** 2,
  g: 1024 ** 3, gb: 1024 ** 3, gib: 1024 ** 3, gibibytes: 1024 ** 3,
  t: 1024 ** 4, tb: 1024 ** 4, tib: 1024 ** 4, tebibytes: 1024 ** 4,
};

/**
 * Parses a Flink memory size (`128mb`, `64 KiB`, `1g`; a bare number is bytes; units are binary as in Flink).
 *
 * @param key - the option key, for the error message
 * @public
 */
export function parseMemorySize(value: string, key: string): number {
  const match = /^\s*(\d+)\s*([a-z]*)\s*$/i.exec(value);
  const factor = match ? MEMORY_UNITS[(match[2] ?? '').toLowerCase() || 'b'] : undefined;
  if (!match || factor === undefined) {
    throw new Error(`option '${key}': cannot parse memory size '${value}' (expected e.g. '128 mb', '64kb')`);
  }
  return Number(match[1]) * factor;
}

/**
 * Parses `true`/`false` (case-insensitive).
 *
 * @param key - the option key, for the error message
 * @public
 */
export function parseBoolean(value: string, key: string): boolean {
  const v = value.trim().toLowerCase();
  if (v === 'true') return true;
  if (v === 'false') return false;
  throw new Error(`option '${key}': expected 'true' or 'false', got '${value}'`);
}
