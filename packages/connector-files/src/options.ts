// Option keys, defaults and declarations of the `filesystem` connector. Keys and value syntax follow Flink's
// filesystem connector (`source.monitor-interval` = '10 s', `sink.rolling-policy.file-size` = '128MB'), so Flink
// DDL ports unchanged; values are parsed by `@runnel/api/config`, whose errors name the key.
import { defineOption, type OptionSet } from '@runnel/api/config';

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
  rolloverInterval: 'sink.rolling-policy.rollover-interval',
  rolloverCheckInterval: 'sink.rolling-policy.check-interval',
  fileNamePrefix: 'file-name.prefix',
  sinkParallelism: 'sink.parallelism',
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
  /** `sink.rolling-policy.rollover-interval` of SQL tables: 30 min (Flink's). */
  rolloverInterval: 30 * 60_000,
  /** `sink.rolling-policy.check-interval`: 1 min (Flink's). */
  rolloverCheckInterval: 60_000,
  /** `file-name.prefix`. */
  fileNamePrefix: 'part',
  /** Buffered bytes after which the sink writer hands a batch to the file system. */
  writeBatchSize: 256 * 1024,
  /** Buffered bytes (not yet written) above which the sink writer reports back-pressure. */
  maxBufferedBytes: 4 * 1024 * 1024,
} as const;

/**
 * The options of the `filesystem` connector, declared as data.
 *
 * @public
 */
export const FileOptions = {
  path: defineOption({
    key: FileOptionKeys.path,
    type: 'string',
    required: true,
    description: 'Source: a file or a directory (listed recursively, hidden files skipped). Sink: a directory.',
  }),
  // A string, not an enum: formats are looked up by name, and one that does not exist is "not supported".
  format: defineOption({
    key: FileOptionKeys.format,
    type: 'string',
    required: true,
    description:
      'The format of the lines. SQL tables: any installed format (`json`, `csv`, ...), whose options go under its ' +
      'name (`json.fail-on-missing-field`). DataStream jobs: `json` (JSON lines, one JSON value per line) only.',
  }),
  monitorInterval: defineOption({
    key: FileOptionKeys.monitorInterval,
    type: 'duration',
    defaultDescription: 'unset (bounded)',
    description:
      'Source: when set, the source is continuous and re-lists the directory at this interval to pick up new ' +
      'files; when unset, the source is bounded and reads the files present at start.',
  }),
  ignoreParseErrors: defineOption({
    key: FileOptionKeys.ignoreParseErrors,
    type: 'boolean',
    defaultValue: false,
    description:
      'DataStream source: skip malformed lines (counted in `numRecordsInErrors`) instead of failing. (In SQL tables ' +
      '`json.*` keys are the `json` format\'s options.)',
  }),
  rollingFileSize: defineOption({
    key: FileOptionKeys.rollingFileSize,
    type: 'memory',
    defaultValue: FileDefaults.rollingFileSize,
    min: 1,
    description: 'Sink: the maximum size of a part file before the writer rolls to a new one.',
  }),
  rolloverInterval: defineOption({
    key: FileOptionKeys.rolloverInterval,
    type: 'duration',
    min: 1,
    defaultDescription: '30 min for SQL tables; off for DataStream sinks',
    description:
      'Sink: the longest a part file stays open before the writer rolls to a new one (checked every ' +
      '`sink.rolling-policy.check-interval`). Rolled files are committed at the next checkpoint.',
  }),
  rolloverCheckInterval: defineOption({
    key: FileOptionKeys.rolloverCheckInterval,
    type: 'duration',
    min: 1,
    defaultValue: FileDefaults.rolloverCheckInterval,
    description: 'Sink: how often the rollover interval is checked.',
  }),
  fileNamePrefix: defineOption({
    key: FileOptionKeys.fileNamePrefix,
    type: 'string',
    defaultValue: FileDefaults.fileNamePrefix,
    description:
      'Sink: committed part files are named `<prefix>-<subtask>-<checkpoint-id>-<n>.jsonl` (SQL tables: ' +
      '`.<format>` instead of `.jsonl`).',
  }),
  sinkParallelism: defineOption({
    key: FileOptionKeys.sinkParallelism,
    type: 'int',
    min: 1,
    defaultDescription: "the input's parallelism",
    description: 'SQL tables: the parallelism of the sink. (DataStream jobs set it on the stream instead.)',
  }),
} as const;

/**
 * Every option of the `filesystem` connector (the factory's `options`).
 *
 * @public
 */
export const FILE_OPTIONS: OptionSet = Object.values(FileOptions);
