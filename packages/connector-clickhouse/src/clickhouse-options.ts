// The options of the `clickhouse` connector, declared as data (they validate tables, document the connector in
// docs/options.md and drive forms): where to write (`url` with shards and replicas, `database-name`, `table-name`,
// credentials), how (`sink.batch-size`, `sink.flush-interval`, `sink.max-in-flight-batches`, `sink.max-retries`),
// what changes become (`sink.update-strategy` and its columns), the guarantee (`sink.delivery-guarantee`), routing
// (`sink.sharding.key`) and bad values (`sink.error-policy`). Flink's community ClickHouse connectors use the same
// key style; the password is `sensitive`, so no message shows it.
import { defineOption, parseOptions, type OptionSet, type ParsedOptions } from '@runnel/api/config';

/**
 * The option declarations of the `clickhouse` connector.
 *
 * @public
 */
export const ClickHouseOptions = {
  url: defineOption({
    key: 'url',
    type: 'string',
    required: true,
    description:
      'The nodes\' HTTP interfaces: `http://host:8123`; replicas of a shard separated by `,`, shards by `;` ' +
      '(`http://a:8123,http://b:8123;http://c:8123,http://d:8123`). Writes are balanced over a shard\'s replicas and ' +
      'fail over to the next one.',
  }),
  databaseName: defineOption({ key: 'database-name', type: 'string', defaultValue: 'default', description: 'The database of the table.' }),
  tableName: defineOption({
    key: 'table-name',
    type: 'string',
    required: true,
    description: 'The table to write: a MergeTree-family table (each shard\'s local table with several shards), or a `Distributed` table.',
  }),
  username: defineOption({ key: 'username', type: 'string', defaultValue: 'default', description: 'The ClickHouse user.' }),
  password: defineOption({ key: 'password', type: 'string', defaultValue: '', sensitive: true, description: 'The user\'s password (never shown in logs, errors or EXPLAIN).' }),
  batchSize: defineOption({
    key: 'sink.batch-size',
    type: 'int',
    defaultValue: 10_000,
    min: 1,
    description: 'Rows per INSERT (one batch); a batch is sent when full, at `sink.flush-interval` and at checkpoints.',
  }),
  flushInterval: defineOption({
    key: 'sink.flush-interval',
    type: 'duration',
    defaultValue: 1_000,
    description: 'The longest time a row waits in a batch that is not full (`0`: only full batches and checkpoints flush).',
  }),
  maxInFlight: defineOption({
    key: 'sink.max-in-flight-batches',
    type: 'int',
    defaultValue: 2,
    min: 1,
    description: 'Batches being sent at once per subtask; when all are in flight and the next is full, the sink back-pressures its input.',
  }),
  maxRetries: defineOption({
    key: 'sink.max-retries',
    type: 'int',
    defaultValue: 3,
    min: 0,
    description: 'Retries of a batch after a retriable failure (network, timeout, overload), on the next replica of its shard, with backoff.',
  }),
  requestTimeout: defineOption({ key: 'sink.request-timeout', type: 'duration', defaultValue: 30_000, description: 'Timeout of one request to a node.' }),
  parallelism: defineOption({
    key: 'sink.parallelism',
    type: 'int',
    min: 1,
    defaultDescription: 'the parallelism of the sink\'s input',
    description: 'The parallelism of the sink.',
  }),
  updateStrategy: defineOption({
    key: 'sink.update-strategy',
    type: 'enum',
    values: ['append', 'replacing', 'collapsing', 'versioned-collapsing'],
    defaultValue: 'append',
    description:
      'What updates and deletes become: `append` (insert-only queries), `replacing` (ReplacingMergeTree(version[, ' +
      'is_deleted]): +I/+U rows with a version, -D a row with is_deleted = 1, -U dropped), `collapsing` ' +
      '(CollapsingMergeTree(sign): -U/-D cancel rows with sign -1), `versioned-collapsing` ' +
      '(VersionedCollapsingMergeTree(sign, version): the same with a version that pairs each cancel row with its state row).',
  }),
  versionColumn: defineOption({
    key: 'sink.version-column',
    type: 'string',
    defaultValue: '_version',
    description: 'The UInt64 version column (`replacing`, `versioned-collapsing`), filled by the sink so that the latest write wins, also after a replay.',
  }),
  signColumn: defineOption({ key: 'sink.sign-column', type: 'string', defaultValue: '_sign', description: 'The Int8 sign column (`collapsing`, `versioned-collapsing`).' }),
  isDeletedColumn: defineOption({
    key: 'sink.is-deleted-column',
    type: 'string',
    defaultValue: '_is_deleted',
    description: 'The UInt8 column set to 1 for deletes with `replacing` (ReplacingMergeTree(version, is_deleted) on servers that have it; a plain column read with `WHERE NOT is_deleted` otherwise).',
  }),
  deliveryGuarantee: defineOption({
    key: 'sink.delivery-guarantee',
    type: 'enum',
    values: ['at-least-once', 'exactly-once'],
    defaultValue: 'at-least-once',
    description:
      '`at-least-once`: batches are sent as they fill and flushed at every checkpoint; a replay after a failure may ' +
      'write rows again. `exactly-once`: the rows of a checkpoint are written when it completes, as deterministic ' +
      'batches with deterministic versions and deduplication tokens, so that a re-commit after a restore is invisible ' +
      'to the documented query (see the README).',
  }),
  shardingKey: defineOption({
    key: 'sink.sharding.key',
    type: 'list',
    defaultValue: [],
    description: 'Columns (`a;b`) whose hash picks the shard of a row, with several shards in `url` (each shard\'s local table); empty: batches go to shards in turn.',
  }),
  errorPolicy: defineOption({
    key: 'sink.error-policy',
    type: 'enum',
    values: ['fail', 'skip'],
    defaultValue: 'fail',
    description: 'A value the target column cannot hold (out-of-range number or DECIMAL, invalid date, text for a number, NULL into a non-Nullable column): `fail` the job naming the row and column, or `skip` the row with a warning naming it (counted in `numRecordsOutErrors`).',
  }),
  dedupTokenPrefix: defineOption({
    key: 'sink.deduplication-token-prefix',
    type: 'string',
    description: 'With `exactly-once`: the prefix of the insert deduplication tokens, unique per job writing the table (default `<database>.<table>`).',
  }),
} as const;

/**
 * Every option of the `clickhouse` connector.
 *
 * @public
 */
export const CLICKHOUSE_OPTIONS: OptionSet = Object.values(ClickHouseOptions);

/**
 * Parses a `clickhouse` table's options (without `connector`).
 *
 * @throws ConfigurationError naming the table and the option
 * @public
 */
export function parseClickHouseOptions(tableName: string, all: Readonly<Record<string, string>>): ParsedOptions {
  const own: Record<string, string> = {};
  for (const [k, v] of Object.entries(all)) if (k !== 'connector') own[k] = v;
  return parseOptions(CLICKHOUSE_OPTIONS, own, { context: `clickhouse table '${tableName}'` });
}
