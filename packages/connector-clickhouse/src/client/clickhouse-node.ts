// The narrow interface the sink talks to one ClickHouse node through, and its implementation over
// `@clickhouse/client` (HTTP). Inserts send ready-made JSONEachRow text after `INSERT ... FORMAT JSONEachRow` in the
// request body, so the sink controls every byte: exact decimals, bigints, time zones, and batches that are identical when
// replayed (what deduplication needs). A custom factory plugs in another connection, e.g. chdb's in-process
// ClickHouse through `createClient({ connection })`.
import { ClickHouseLogLevel, createClient, type ClickHouseClient, type ClickHouseSettings } from '@clickhouse/client';

/**
 * One ClickHouse node.
 *
 * @public
 */
export interface ClickHouseNode {
  /** The node's address for messages (no credentials). */
  readonly address: string;
  /** Runs a statement that returns nothing (DDL, ALTER). */
  command(sql: string, settings?: Readonly<Record<string, string | number>>): Promise<void>;
  /** Runs a SELECT and returns its rows (JSONEachRow). */
  query<T = Record<string, unknown>>(sql: string): Promise<T[]>;
  /** Inserts JSONEachRow text with `statement` (`INSERT INTO ... FORMAT JSONEachRow`). */
  insert(statement: string, body: string, settings?: Readonly<Record<string, string | number>>): Promise<void>;
  close(): Promise<void>;
}

/**
 * What a node factory receives.
 *
 * @public
 */
export interface ClickHouseNodeConfig {
  /** `http://host:port` (or https), as given in `url`. */
  readonly url: string;
  readonly username: string;
  readonly password: string;
  readonly database: string;
  /** Timeout of one request, ms. */
  readonly requestTimeoutMs: number;
}

/**
 * Creates the connection to one node.
 *
 * @public
 */
export type ClickHouseNodeFactory = (config: ClickHouseNodeConfig) => ClickHouseNode;

/**
 * A node over an `@clickhouse/client` client (`createClient(...)`, or one with a custom `connection`).
 *
 * @public
 */
export class ClientClickHouseNode implements ClickHouseNode {
  constructor(
    private readonly client: ClickHouseClient,
    readonly address: string,
  ) {}

  async command(sql: string, settings?: Readonly<Record<string, string | number>>): Promise<void> {
    await this.client.command({ query: sql, clickhouse_settings: settings as ClickHouseSettings | undefined });
  }

  async query<T>(sql: string): Promise<T[]> {
    const rs = await this.client.query({ query: sql, format: 'JSONEachRow' });
    return (await rs.json()) as T[];
  }

  async insert(statement: string, body: string, settings?: Readonly<Record<string, string | number>>): Promise<void> {
    // The statement and its data in one request body (`INSERT ... FORMAT JSONEachRow` then the rows): the server
    // parses the statement and streams the rest into the format. A values stream (`exec({ values })`) left some
    // requests waiting for their body on a loaded machine.
    await this.client.command({ query: `${statement}\n${body}`, clickhouse_settings: settings as ClickHouseSettings | undefined });
  }

  async close(): Promise<void> {
    await this.client.close();
  }
}

/**
 * The default node factory: `@clickhouse/client` over HTTP, a connection per request, no compression (loopback and LAN inserts
 * are CPU-bound, not network-bound).
 *
 * @public
 */
export const httpClickHouseNodeFactory: ClickHouseNodeFactory = (config) =>
  new ClientClickHouseNode(
    createClient({
      url: config.url,
      username: config.username,
      password: config.password,
      database: config.database,
      request_timeout: config.requestTimeoutMs,
      compression: { request: false, response: false },
      max_open_connections: 16,
      // No keep-alive: a pooled socket the server closed (18.16 closes idle ones after 3 s) or a request queued for
      // a pooled socket stalled commits after a restore; a batch of thousands of rows pays the connect easily.
      keep_alive: { enabled: false },
      // The sink reports failures itself (translated, with the table and batch, password redacted).
      log: { level: ClickHouseLogLevel.OFF },
    }),
    config.url,
  );
