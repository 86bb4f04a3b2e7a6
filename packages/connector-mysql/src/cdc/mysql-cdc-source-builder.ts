// The builder of the mysql-cdc source, with Flink CDC's `MySqlSource.builder()` method names: `databaseList` and
// `tableList` take regular expressions (joined as alternatives; `tableList` entries are `db.table` patterns as in
// Flink CDC), `serverId('5400-5404')`, `startupOptions(...)`, `splitSize(...)` and `deserializer(...)` (the change
// mapper). `build()` checks what is missing.
import { ConfigurationError } from '@runnel/api/config';
import type { ChangeMapper } from './binlog-stream.js';
import { parseServerIds, type MySqlCdcStartup } from './mysql-cdc-options.js';
import type { ChunkReadEvent } from './mysql-cdc-reader.js';
import type { MySqlCdcSource, MySqlCdcSourceSettings } from './mysql-cdc-source.js';

/**
 * Startup options of the builder (Flink CDC's `StartupOptions`).
 *
 * @public
 */
export const StartupOptions = {
  initial: (): MySqlCdcStartup => ({ mode: 'initial' }),
  earliest: (): MySqlCdcStartup => ({ mode: 'earliest-offset' }),
  latest: (): MySqlCdcStartup => ({ mode: 'latest-offset' }),
  specificOffset: (file: string, pos: number): MySqlCdcStartup => ({ mode: 'specific-offset', file, pos }),
  specificGtid: (gtidSet: string): MySqlCdcStartup => ({ mode: 'specific-offset', gtidSet }),
  timestamp: (timestampMillis: number): MySqlCdcStartup => ({ mode: 'timestamp', timestampMillis }),
} as const;

/**
 * Builds a {@link MySqlCdcSource}.
 *
 * @public
 */
export class MySqlCdcSourceBuilder<T> {
  private s: Partial<{ -readonly [K in keyof MySqlCdcSourceSettings<T>]: MySqlCdcSourceSettings<T>[K] }> = {};

  constructor(private readonly make: (settings: MySqlCdcSourceSettings<T>) => MySqlCdcSource<T>) {}

  hostname(v: string): this {
    this.s.hostname = v;
    return this;
  }
  port(v: number): this {
    this.s.port = v;
    return this;
  }
  username(v: string): this {
    this.s.username = v;
    return this;
  }
  password(v: string): this {
    this.s.password = v;
    return this;
  }
  /** Database name patterns (whole-name regular expressions). */
  databaseList(...patterns: string[]): this {
    this.s.databaseName = patterns.map((p) => `(?:${p})`).join('|');
    return this;
  }
  /** Table patterns: `db.table` regular expressions (escape the dot: `app\\.orders_.*`), or table-name patterns. */
  tableList(...patterns: string[]): this {
    this.s.tableName = patterns.map((p) => `(?:${p})`).join('|');
    return this;
  }
  /** `5400` or `5400-5404`: one id per parallel reader. */
  serverId(v: string): this {
    this.s.serverIds = parseServerIds(v);
    return this;
  }
  serverTimeZone(v: string): this {
    this.s.serverTimeZone = v;
    return this;
  }
  startupOptions(v: MySqlCdcStartup): this {
    this.s.startup = v;
    return this;
  }
  /** `scan.incremental.snapshot.chunk.size`. */
  splitSize(v: number): this {
    this.s.chunkSize = v;
    return this;
  }
  scanNewlyAddedTableEnabled(v: boolean): this {
    this.s.newlyAddedTables = v;
    return this;
  }
  connectTimeout(ms: number): this {
    this.s.connectTimeoutMs = ms;
    return this;
  }
  connectMaxRetries(n: number): this {
    this.s.connectMaxRetries = n;
    return this;
  }
  heartbeatInterval(ms: number): this {
    this.s.heartbeatIntervalMs = ms;
    return this;
  }
  /** Turns changes into records (default: {@link defaultCdcMapper}'s rows). */
  deserializer<U>(mapper: ChangeMapper<U>): MySqlCdcSourceBuilder<U> {
    const b = this as unknown as MySqlCdcSourceBuilder<U>;
    b.s.mapper = mapper;
    return b;
  }
  maxBufferedRecords(n: number): this {
    this.s.maxBufferedRecords = n;
    return this;
  }
  onChunkRead(fn: (event: ChunkReadEvent) => void): this {
    this.s.onChunkRead = fn;
    return this;
  }

  build(): MySqlCdcSource<T> {
    const s = this.s;
    for (const k of ['hostname', 'username', 'databaseName', 'tableName'] as const) {
      if (s[k] === undefined) throw new ConfigurationError(`mysql-cdc source builder: ${k === 'databaseName' ? 'databaseList' : k === 'tableName' ? 'tableList' : k} is not set`);
    }
    const chunkSize = s.chunkSize ?? 8096;
    if (!Number.isSafeInteger(chunkSize) || chunkSize < 1) throw new ConfigurationError(`mysql-cdc source builder: splitSize must be a positive integer, got ${chunkSize}`);
    return this.make({
      ...s,
      hostname: s.hostname!,
      port: s.port ?? 3306,
      username: s.username!,
      password: s.password ?? '',
      databaseName: s.databaseName!,
      tableName: s.tableName!,
      serverIds: s.serverIds ?? parseServerIds(undefined),
      startup: s.startup ?? { mode: 'initial' },
      chunkSize,
      newlyAddedTables: s.newlyAddedTables ?? false,
      heartbeatIntervalMs: s.heartbeatIntervalMs ?? 30_000,
      connectTimeoutMs: s.connectTimeoutMs ?? 30_000,
      connectMaxRetries: s.connectMaxRetries ?? 3,
    });
  }
}
