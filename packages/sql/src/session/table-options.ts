// The session options of the SQL layer (`table.*`, `sql-client.*`), declared as data like the runtime's options:
// `SET` validates against them (an unknown key fails with the closest known one), `SET` without arguments lists
// them, and docs/options.md documents them.
import { defineOption, type AnyOptionDeclaration } from '@runnel/api/config';

/** The SQL session's options (`table.*`, `sql-client.*`), declared as data. @public */
export const TableOptions = {
  LOCAL_TIME_ZONE: defineOption({
    key: 'table.local-time-zone',
    type: 'string',
    defaultValue: 'default',
    description: 'The session time zone: TIMESTAMP_LTZ values are shown, cast and windowed in it. `default` is the zone of the process (the TZ environment variable); otherwise an IANA zone such as `Asia/Shanghai` or an offset such as `GMT+08:00`.',
  }),
  SOURCE_IDLE_TIMEOUT: defineOption({
    key: 'table.exec.source.idle-timeout',
    type: 'duration',
    defaultValue: 0,
    description: 'A source split that has sent no row for this long is marked idle, so that it does not hold back the watermark. 0 disables idleness detection.',
  }),
  STATE_TTL: defineOption({
    key: 'table.exec.state.ttl',
    type: 'duration',
    defaultValue: 0,
    description: 'Idle state of group aggregations expires after this long (processing time); a group that receives a row after its state expired starts again. 0 keeps state forever.',
  }),
  SINK_NOT_NULL_ENFORCER: defineOption({
    key: 'table.exec.sink.not-null-enforcer',
    type: 'enum',
    values: ['ERROR', 'DROP'],
    defaultValue: 'ERROR',
    description: 'What happens to a row with NULL in a NOT NULL column of a sink: ERROR fails the job naming the column, DROP drops the row.',
  }),
  SINK_TYPE_LENGTH_ENFORCER: defineOption({
    key: 'table.exec.sink.type-length-enforcer',
    type: 'enum',
    values: ['IGNORE', 'TRIM_PAD'],
    defaultValue: 'IGNORE',
    description: 'Strings written into CHAR/VARCHAR/BINARY/VARBINARY sink columns of a fixed length: IGNORE keeps them as they are (Flink\'s default), TRIM_PAD cuts them to the length (and pads CHAR/BINARY).',
  }),
  SINK_KEYED_SHUFFLE: defineOption({
    key: 'table.exec.sink.keyed-shuffle',
    type: 'enum',
    values: ['AUTO', 'FORCE', 'NONE'],
    defaultValue: 'AUTO',
    description: 'Hash-partitions the rows written to a sink table with a PRIMARY KEY by that key, so that the changes of one key reach one sink subtask in order. AUTO: when the sink\'s parallelism (`sink.parallelism`) is not 1 and differs from its input\'s; FORCE: whenever the sink\'s parallelism is not 1; NONE: never (the changes of a key may then reach different subtasks and be applied out of order).',
  }),
  MINI_BATCH_ENABLED: defineOption({
    key: 'table.exec.mini-batch.enabled',
    type: 'boolean',
    defaultValue: false,
    description: 'Mini-batch group aggregation, as Flink\'s: the groups a bundle of input rows touches are kept in memory; each group\'s state is read and written once per bundle and its change over the bundle is emitted once (fewer -U/+U reach the sink; the changelog applied is the same). A bundle is flushed at `size` rows, after `allow-latency`, before every checkpoint and at the end of the input. Needs `allow-latency` and `size`, as in Flink.',
  }),
  MINI_BATCH_ALLOW_LATENCY: defineOption({
    key: 'table.exec.mini-batch.allow-latency',
    type: 'duration',
    defaultValue: 0,
    description: 'How long a mini-batch bundle collects rows before it is flushed (processing time, at multiples of this interval; checkpoints and the end of the input flush it too). On the level state backend the flush waits for the next input rows, a checkpoint or the end of the input.',
  }),
  MINI_BATCH_SIZE: defineOption({
    key: 'table.exec.mini-batch.size',
    type: 'long',
    defaultValue: -1,
    description: 'Required with mini-batch, as in Flink (> 0): a bundle is flushed when it has taken this many input rows. Memory holds the groups a bundle touches (their state and result before the bundle), not the rows.',
  }),
  RESULT_MODE: defineOption({
    key: 'sql-client.execution.result-mode',
    type: 'enum',
    values: ['table', 'changelog', 'tableau'],
    defaultValue: 'table',
    description: 'How the SQL client shows the result of a SELECT: `table` (the current result, updated in place), `changelog` (every change with its kind) or `tableau` (a printed table with an `op` column; the default in scripts run with -f).',
  }),
  MAX_TABLE_RESULT_ROWS: defineOption({
    key: 'sql-client.execution.max-table-result.rows',
    type: 'int',
    defaultValue: 1_000_000,
    min: 1,
    description: 'The most rows a SELECT keeps in the SQL client in table mode.',
  }),
  DISPLAY_MAX_COLUMN_WIDTH: defineOption({
    key: 'sql-client.display.max-column-width',
    type: 'int',
    defaultValue: 30,
    min: 1,
    description: 'Wider values are cut in the SQL client\'s tables.',
  }),
} as const;

/** Every table option declaration. @public */
export const TABLE_OPTIONS: readonly AnyOptionDeclaration[] = Object.values(TableOptions);
