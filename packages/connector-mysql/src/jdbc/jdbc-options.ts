// The options of the `jdbc` connector for MySQL, declared as data with Flink's keys, defaults and value syntax
// (Flink's `JdbcConnectorOptions`), so that a Flink DDL ports unchanged: the connection (`url`, `table-name`,
// `username`, `password`, `driver`), the scan (`scan.partition.*`, `scan.fetch-size`), the lookup
// (`lookup.cache`, `lookup.partial-cache.*`, `lookup.max-retries`, and Flink's deprecated `lookup.cache.max-rows` /
// `lookup.cache.ttl`) and the sink (`sink.buffer-flush.*`, `sink.max-retries`, `sink.parallelism`). Runnel's own
// additions: `sink.delivery-guarantee` (exactly-once by default, see the README), `sink.fence-table` and
// `server-time-zone` (as mysql-cdc's).
import { defineOption, type OptionSet } from '@runnel/api/config';

/**
 * The option declarations of the `jdbc` connector (Flink's keys, plus Runnel's `sink.delivery-guarantee`,
 * `sink.fence-table` and `server-time-zone`).
 *
 * @public
 */
export const JdbcOptions = {
  url: defineOption({
    key: 'url',
    type: 'string',
    required: true,
    description:
      'The database: `jdbc:mysql://host[:port]/database[?param=value&...]` (also `jdbc:mariadb://`). Parameters: ' +
      '`user`, `password`, `connectTimeout` (ms), `serverTimezone`/`connectionTimeZone` (the zone of local ' +
      'date-times, as `server-time-zone`), `useSSL`/`sslMode`; other Connector/J parameters are refused by name.',
  }),
  tableName: defineOption({
    key: 'table-name',
    type: 'string',
    required: true,
    description: 'The table, taken literally as one identifier (quoted and escaped, never split at dots).',
  }),
  driver: defineOption({
    key: 'driver',
    type: 'string',
    description: 'Accepted for Flink DDL compatibility (`com.mysql.cj.jdbc.Driver`, ...); the connection uses mysql2.',
  }),
  username: defineOption({ key: 'username', type: 'string', description: 'The user name (else the URL\'s `user`).' }),
  password: defineOption({
    key: 'password',
    type: 'string',
    sensitive: true,
    description: 'The password (else the URL\'s `password`); never shown in messages, logs or EXPLAIN.',
  }),
  connectionMaxRetryTimeout: defineOption({
    key: 'connection.max-retry-timeout',
    type: 'duration',
    defaultValue: 60_000,
    description: 'How long to keep retrying to open a connection that fails for a retriable reason.',
  }),
  serverTimeZone: defineOption({
    key: 'server-time-zone',
    type: 'string',
    defaultDescription: 'the URL\'s `serverTimezone`, else UTC',
    description:
      'The zone of local date-times where they meet instants: a DATETIME read as TIMESTAMP_LTZ, a TIMESTAMP read as ' +
      'TIMESTAMP, and the reverse on writing (`UTC`, `+08:00`, `Asia/Shanghai`).',
  }),
  scanPartitionColumn: defineOption({
    key: 'scan.partition.column',
    type: 'string',
    description: 'A numeric, date or timestamp column that splits the scan into `scan.partition.num` ranges read in parallel.',
  }),
  scanPartitionNum: defineOption({ key: 'scan.partition.num', type: 'int', min: 1, description: 'The number of partitions.' }),
  scanPartitionLowerBound: defineOption({
    key: 'scan.partition.lower-bound',
    type: 'string',
    description: 'The smallest value of the first partition (an integer). As in Flink, the bounds also filter: rows outside them are not read.',
  }),
  scanPartitionUpperBound: defineOption({
    key: 'scan.partition.upper-bound',
    type: 'string',
    description: 'The largest value of the last partition (an integer; rows above it are not read).',
  }),
  scanFetchSize: defineOption({
    key: 'scan.fetch-size',
    type: 'int',
    defaultValue: 0,
    min: 0,
    description: 'Rows buffered ahead per split while streaming (`0`: 1024). Rows always stream; no result set is held whole.',
  }),
  scanAutoCommit: defineOption({
    key: 'scan.auto-commit',
    type: 'boolean',
    defaultValue: true,
    description: 'Accepted for Flink DDL compatibility; each split is one streaming SELECT (a consistent read on InnoDB).',
  }),
  lookupCache: defineOption({
    key: 'lookup.cache',
    type: 'enum',
    values: ['NONE', 'PARTIAL'],
    defaultValue: 'NONE',
    description: '`PARTIAL`: cache looked-up rows (and, with `lookup.partial-cache.cache-missing-key`, misses).',
  }),
  lookupPartialCacheMaxRows: defineOption({
    key: 'lookup.partial-cache.max-rows',
    type: 'long',
    min: 1,
    fallbackKeys: ['lookup.cache.max-rows'],
    description: 'The most keys the cache holds (the least recently used go first).',
  }),
  lookupPartialCacheExpireAfterWrite: defineOption({
    key: 'lookup.partial-cache.expire-after-write',
    type: 'duration',
    fallbackKeys: ['lookup.cache.ttl'],
    description: 'How long a cached key lives after it was loaded.',
  }),
  lookupPartialCacheExpireAfterAccess: defineOption({
    key: 'lookup.partial-cache.expire-after-access',
    type: 'duration',
    description: 'How long a cached key lives after it was last read.',
  }),
  lookupPartialCacheMissingKey: defineOption({
    key: 'lookup.partial-cache.cache-missing-key',
    type: 'boolean',
    defaultValue: true,
    fallbackKeys: ['lookup.cache.caching-missing-key'],
    description: 'Whether keys without rows are cached too.',
  }),
  lookupMaxRetries: defineOption({
    key: 'lookup.max-retries',
    type: 'int',
    defaultValue: 3,
    min: 0,
    description: 'Retries of a lookup that fails for a retriable reason (connection lost, deadlock, lock wait timeout).',
  }),
  sinkBufferFlushMaxRows: defineOption({
    key: 'sink.buffer-flush.max-rows',
    type: 'int',
    defaultValue: 100,
    min: 0,
    description:
      'at-least-once: rows (after reducing updates of one key) buffered before a flush; `0` disables the row limit. ' +
      'exactly-once: not used (a checkpoint\'s rows are applied by its commit).',
  }),
  sinkBufferFlushInterval: defineOption({
    key: 'sink.buffer-flush.interval',
    type: 'duration',
    defaultValue: 1000,
    description: 'at-least-once: the longest time rows stay buffered (`0`: no timed flush). exactly-once: rows are written at commit.',
  }),
  sinkMaxRetries: defineOption({
    key: 'sink.max-retries',
    type: 'int',
    defaultValue: 3,
    min: 0,
    description: 'Retries of a flush or commit that fails for a retriable reason (connection lost, deadlock, lock wait timeout).',
  }),
  sinkParallelism: defineOption({
    key: 'sink.parallelism',
    type: 'int',
    min: 1,
    defaultDescription: 'the parallelism of the sink\'s input',
    description: 'The parallelism of the sink.',
  }),
  sinkDeliveryGuarantee: defineOption({
    key: 'sink.delivery-guarantee',
    type: 'enum',
    values: ['exactly-once', 'at-least-once', 'none'],
    defaultValue: 'exactly-once',
    description:
      '`exactly-once`: each checkpoint\'s rows are applied in one transaction that updates the writer\'s fence row when ' +
      'the checkpoint completes, and skipped when a restore replays them; `at-least-once`: rows are written as they are flushed and ' +
      'at every checkpoint (Flink\'s jdbc sink); `none`: as at-least-once without the flush at checkpoints.',
  }),
  sinkFenceTable: defineOption({
    key: 'sink.fence-table',
    type: 'string',
    defaultValue: 'runnel_sink_fence',
    description: 'exactly-once: the table (in the URL\'s database, created when missing) holding one row per sink writer (its last applied checkpoint); rows of writers a restore replaced are deleted.',
  }),
} as const;

/**
 * Every option of the `jdbc` connector.
 *
 * @public
 */
export const JDBC_OPTIONS: OptionSet = Object.values(JdbcOptions);
