// The options of the `mysql-cdc` connector, declared as data with Flink CDC's keys, defaults and value syntax, so a
// Flink CDC DDL ports unchanged: connection (`hostname`, `port`, `username`, `password`, `connect.*`), what to
// capture (`database-name`, `table-name`: regular expressions matched against whole names; `table-name` may also be
// `db.table` qualified), reader identity (`server-id`: one id or a range, one id per parallel reader), where to start
// (`scan.startup.*`), the snapshot (`scan.incremental.snapshot.chunk.size`), newly added tables and heartbeats.
// `parseMySqlCdcOptions` turns them into the source's settings and checks what the declarations cannot.
import { ConfigurationError, defineOption, parseOptions, type OptionSet } from '@runnel/api/config';

/**
 * The option declarations of the `mysql-cdc` connector (Flink CDC's keys).
 *
 * @public
 */
export const MySqlCdcOptions = {
  hostname: defineOption({ key: 'hostname', type: 'string', required: true, description: 'IP address or host name of the MySQL / MariaDB server.' }),
  port: defineOption({ key: 'port', type: 'int', min: 1, max: 65535, defaultValue: 3306, description: 'Port of the server.' }),
  username: defineOption({ key: 'username', type: 'string', required: true, description: 'User name: needs SELECT on the captured tables, REPLICATION SLAVE and REPLICATION CLIENT (MariaDB: BINLOG MONITOR).' }),
  password: defineOption({ key: 'password', type: 'string', required: true, sensitive: true, description: 'Password of the user (never shown in messages, logs or EXPLAIN).' }),
  databaseName: defineOption({ key: 'database-name', type: 'string', required: true, description: 'Database(s) to capture: a regular expression matched against whole database names (`app_db`, `app_[0-9]+`).' }),
  tableName: defineOption({
    key: 'table-name',
    type: 'string',
    required: true,
    description: 'Table(s) to capture: a regular expression matched against whole table names, or against `db.table` when it contains an escaped dot (`app_db\\.orders_.*`).',
  }),
  serverId: defineOption({
    key: 'server-id',
    type: 'string',
    description:
      'Replica server id(s) the binlog reader(s) use: one id (`5400`) or a range (`5400-5404`) with at least one id per parallel reader; must be unique among the replicas of the server. Default: a random id in 5400-6400.',
  }),
  serverTimeZone: defineOption({
    key: 'server-time-zone',
    type: 'string',
    description:
      'The session time zone of the server (e.g. `UTC`, `Asia/Shanghai`). The source reads in UTC sessions, so TIMESTAMP values are instants whatever this is; accepted for Flink CDC compatibility and reported in EXPLAIN.',
  }),
  startupMode: defineOption({
    key: 'scan.startup.mode',
    type: 'enum',
    values: ['initial', 'earliest-offset', 'latest-offset', 'specific-offset', 'timestamp'],
    defaultValue: 'initial',
    description:
      '`initial`: a consistent snapshot of the captured tables, then the binlog; `earliest-offset`: the binlog from the oldest file kept; `latest-offset`: the binlog from now; `specific-offset`: from `scan.startup.specific-offset.*`; `timestamp`: the binlog from `scan.startup.timestamp-millis`.',
  }),
  specificOffsetFile: defineOption({ key: 'scan.startup.specific-offset.file', type: 'string', description: 'Binlog file to start from with `specific-offset`.' }),
  specificOffsetPos: defineOption({ key: 'scan.startup.specific-offset.pos', type: 'long', min: 4, description: 'Position in that file (an event boundary) with `specific-offset`.' }),
  specificOffsetGtidSet: defineOption({ key: 'scan.startup.specific-offset.gtid-set', type: 'string', description: 'GTID position to start after with `specific-offset` (MariaDB `domain-server-seq[,...]`); takes precedence over file and position.' }),
  timestampMillis: defineOption({ key: 'scan.startup.timestamp-millis', type: 'long', min: 0, description: 'With `timestamp`: the binlog events from this epoch-millisecond on.' }),
  chunkSize: defineOption({
    key: 'scan.incremental.snapshot.chunk.size',
    type: 'int',
    min: 1,
    defaultValue: 8096,
    description: 'Rows per snapshot chunk (a split): the unit of work handed to the parallel readers.',
  }),
  newlyAddedTables: defineOption({
    key: 'scan.newly-added-table.enabled',
    type: 'boolean',
    defaultValue: false,
    description: 'On a restore, capture tables that match `database-name` / `table-name` and were not captured before: a snapshot of them, then their binlog changes.',
  }),
  heartbeatInterval: defineOption({ key: 'heartbeat.interval', type: 'duration', defaultValue: 30_000, description: 'How often the server sends a heartbeat on an idle binlog connection.' }),
  connectTimeout: defineOption({ key: 'connect.timeout', type: 'duration', defaultValue: 30_000, description: 'How long to wait for a connection to the server.' }),
  connectMaxRetries: defineOption({ key: 'connect.max-retries', type: 'int', min: 0, defaultValue: 3, description: 'How often a failed connection is retried before the source fails.' }),
} as const;

/**
 * The declarations as a set (validation, `docs/options.md`).
 *
 * @public
 */
export const MYSQL_CDC_OPTIONS: OptionSet = Object.values(MySqlCdcOptions);

/**
 * Where a `mysql-cdc` source starts.
 *
 * @public
 */
export type MySqlCdcStartup =
  | { readonly mode: 'initial' }
  | { readonly mode: 'earliest-offset' }
  | { readonly mode: 'latest-offset' }
  | { readonly mode: 'specific-offset'; readonly file?: string; readonly pos?: number; readonly gtidSet?: string }
  | { readonly mode: 'timestamp'; readonly timestampMillis: number };

/**
 * Connection and capture settings of a `mysql-cdc` source (what the options say, typed).
 *
 * @public
 */
export interface MySqlCdcSettings {
  readonly hostname: string;
  readonly port: number;
  readonly username: string;
  readonly password: string;
  /** Whole-name regular expression of the databases. */
  readonly databaseName: string;
  /** Whole-name regular expression of the tables (or of `db.table`). */
  readonly tableName: string;
  /** First and last replica server id of the readers. */
  readonly serverIds: readonly [number, number];
  readonly serverTimeZone?: string;
  readonly startup: MySqlCdcStartup;
  readonly chunkSize: number;
  readonly newlyAddedTables: boolean;
  readonly heartbeatIntervalMs: number;
  readonly connectTimeoutMs: number;
  readonly connectMaxRetries: number;
}

/** Parses `server-id`: `5400` or `5400-5404`. @internal */
export function parseServerIds(text: string | undefined): readonly [number, number] {
  if (text === undefined) {
    const id = 5400 + Math.floor(Math.random() * 1000);
    return [id, id + 63];
  }
  const m = /^\s*(\d+)\s*(?:-\s*(\d+)\s*)?$/.exec(text);
  if (m === null) throw new ConfigurationError(`option 'server-id': '${text}' is not an id or a range such as '5400-5404'`, 'server-id');
  const from = Number(m[1]);
  const to = m[2] === undefined ? from : Number(m[2]);
  if (!(from >= 1 && to >= from && to <= 4294967295)) throw new ConfigurationError(`option 'server-id': '${text}' is not a range of ids in 1..4294967295`, 'server-id');
  return [from, to];
}

/**
 * Parses a `mysql-cdc` table's options (without `connector`).
 *
 * @public
 */
export function parseMySqlCdcOptions(raw: Readonly<Record<string, string>>, context?: string): MySqlCdcSettings {
  const o = parseOptions(MYSQL_CDC_OPTIONS, raw, { context });
  const mode = o.get(MySqlCdcOptions.startupMode);
  let startup: MySqlCdcStartup;
  if (mode === 'specific-offset') {
    const file = o.getOptional(MySqlCdcOptions.specificOffsetFile);
    const pos = o.getOptional(MySqlCdcOptions.specificOffsetPos);
    const gtidSet = o.getOptional(MySqlCdcOptions.specificOffsetGtidSet);
    if (gtidSet === undefined && (file === undefined || pos === undefined)) {
      throw new ConfigurationError(
        "option 'scan.startup.mode' = 'specific-offset' needs 'scan.startup.specific-offset.gtid-set', or both 'scan.startup.specific-offset.file' and '.pos'",
        'scan.startup.mode',
      );
    }
    startup = { mode, file, pos, gtidSet };
  } else if (mode === 'timestamp') {
    const ts = o.getOptional(MySqlCdcOptions.timestampMillis);
    if (ts === undefined) throw new ConfigurationError("option 'scan.startup.mode' = 'timestamp' needs 'scan.startup.timestamp-millis'", 'scan.startup.timestamp-millis');
    startup = { mode, timestampMillis: ts };
  } else {
    startup = { mode };
  }
  for (const [key, pattern] of [['database-name', o.get(MySqlCdcOptions.databaseName)], ['table-name', o.get(MySqlCdcOptions.tableName)]] as const) {
    try {
      new RegExp(pattern ?? '');
    } catch (e) {
      throw new ConfigurationError(`option '${key}': '${pattern}' is not a regular expression: ${(e as Error).message}`, key);
    }
  }
  return {
    hostname: o.get(MySqlCdcOptions.hostname)!,
    port: o.get(MySqlCdcOptions.port),
    username: o.get(MySqlCdcOptions.username)!,
    password: o.get(MySqlCdcOptions.password)!,
    databaseName: o.get(MySqlCdcOptions.databaseName)!,
    tableName: o.get(MySqlCdcOptions.tableName)!,
    serverIds: parseServerIds(o.getOptional(MySqlCdcOptions.serverId)),
    serverTimeZone: o.getOptional(MySqlCdcOptions.serverTimeZone),
    startup,
    chunkSize: o.get(MySqlCdcOptions.chunkSize),
    newlyAddedTables: o.get(MySqlCdcOptions.newlyAddedTables),
    heartbeatIntervalMs: o.get(MySqlCdcOptions.heartbeatInterval),
    connectTimeoutMs: o.get(MySqlCdcOptions.connectTimeout),
    connectMaxRetries: o.get(MySqlCdcOptions.connectMaxRetries),
  };
}
