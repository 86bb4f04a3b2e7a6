// The nodes the sink writes to, as shards of replicas: `url` lists them with `;` between shards and `,` between the
// replicas of a shard (`http://a:8123,http://b:8123;http://c:8123,http://d:8123`: two shards of two replicas). Each
// operation goes to one shard; within it, replicas take turns (load balancing, starting at a different replica per
// subtask) and a replica that fails with a retriable error is skipped for a while and the operation is retried on
// the next one (failover), with exponential backoff once every replica was tried. Fatal errors (the server refused
// the statement) are not retried.
import { ConfigurationError } from '@runnel/api/config';
import { ClickHouseSinkError, redact, translateClickHouseError } from './clickhouse-errors.js';
import type { ClickHouseNode, ClickHouseNodeConfig, ClickHouseNodeFactory } from './clickhouse-node.js';

/**
 * Parses `url` into shards of replica URLs.
 *
 * @throws ConfigurationError for an empty list, a URL that is not http(s) or one with credentials in it
 * @public
 */
export function parseClickHouseUrls(text: string, where: string): string[][] {
  const shards = text
    .split(';')
    .map((s) => s.split(',').map((u) => u.trim()).filter((u) => u !== ''))
    .filter((s) => s.length > 0);
  if (shards.length === 0) throw new ConfigurationError(`${where}: option 'url' must name at least one node (http://host:8123)`, 'url');
  for (const shard of shards) {
    for (const u of shard) {
      let parsed: URL;
      try {
        parsed = new URL(u);
      } catch {
        throw new ConfigurationError(`${where}: option 'url': '${redact(u, undefined)}' is not a URL (http://host:8123)`, 'url');
      }
      if (parsed.protocol !== 'http:' && parsed.protocol !== 'https:') {
        throw new ConfigurationError(`${where}: option 'url': '${redact(u, undefined)}' must be http:// or https:// (the HTTP interface)`, 'url');
      }
      if (parsed.username !== '' || parsed.password !== '') {
        throw new ConfigurationError(`${where}: option 'url': put credentials in 'username' and 'password', not in the URL`, 'url');
      }
    }
  }
  return shards;
}

/**
 * Retry settings of {@link ClickHouseCluster}.
 *
 * @public
 */
export interface RetrySettings {
  /** Retries after the first attempt. */
  readonly maxRetries: number;
  /** First backoff, ms (doubled per round, at most 5 s). */
  readonly backoffMs: number;
}

/** How long a failed replica is skipped, ms. */
const COOLDOWN_MS = 2_000;

interface Replica {
  readonly node: ClickHouseNode;
  downUntil: number;
}

/**
 * Shards of replicas with load balancing and failover.
 *
 * @public
 */
export class ClickHouseCluster {
  private readonly shards: Replica[][];
  private readonly next: number[];
  private closed = false;

  constructor(
    urls: readonly (readonly string[])[],
    config: Omit<ClickHouseNodeConfig, 'url'>,
    factory: ClickHouseNodeFactory,
    private readonly retry: RetrySettings,
    private readonly password: string | undefined,
    /** Where replicas start taking turns (the subtask index spreads subtasks over replicas). */
    offset = 0,
    /** Called on every failover, for logs and metrics. */
    private readonly onFailover: (message: string) => void = () => undefined,
  ) {
    this.shards = urls.map((shard) => shard.map((url) => ({ node: factory({ ...config, url }), downUntil: 0 })));
    this.next = this.shards.map((s) => offset % s.length);
  }

  get shardCount(): number {
    return this.shards.length;
  }

  /** The first node of the first shard that answers (for metadata queries). */
  anyNode(shard = 0): ClickHouseNode {
    return this.shards[shard]![0]!.node;
  }

  /** All nodes, by shard. */
  nodes(): ClickHouseNode[][] {
    return this.shards.map((s) => s.map((r) => r.node));
  }

  /**
   * Runs `op` on a replica of `shard`: the next one in turn that is not cooling down; on a retriable failure the next
   * replica, with backoff after each round, up to `maxRetries` retries.
   *
   * @throws ClickHouseSinkError (fatal at once, retriable after the last retry), its message starting with `where`
   */
  async run<T>(shard: number, where: string, op: (node: ClickHouseNode) => Promise<T>): Promise<T> {
    const replicas = this.shards[shard]!;
    let last: ClickHouseSinkError | undefined;
    for (let attempt = 0; attempt <= this.retry.maxRetries; attempt++) {
      if (this.closed) throw new ClickHouseSinkError(`${where}: the sink is closed`, 'fatal');
      const r = this.pick(shard);
      try {
        const result = await op(r.node);
        r.downUntil = 0;
        return result;
      } catch (e) {
        last = translateClickHouseError(e, `${where} on ${r.node.address}`, this.password);
        if (last.kind !== 'retriable') throw last;
        r.downUntil = Date.now() + COOLDOWN_MS;
        if (attempt < this.retry.maxRetries) {
          this.onFailover(`${last.message}; retry ${attempt + 1} of ${this.retry.maxRetries}${replicas.length > 1 ? ' on another replica' : ''}`);
          // Back off once every replica of the shard has been tried in this round.
          if ((attempt + 1) % replicas.length === 0) await sleep(Math.min(this.retry.backoffMs * 2 ** Math.floor(attempt / replicas.length), 5_000));
        }
      }
    }
    throw new ClickHouseSinkError(`${last!.message} (gave up after ${this.retry.maxRetries} retries)`, 'retriable', last!.code, { cause: last });
  }

  private pick(shard: number): Replica {
    const replicas = this.shards[shard]!;
    const now = Date.now();
    for (let i = 0; i < replicas.length; i++) {
      const index = (this.next[shard]! + i) % replicas.length;
      const r = replicas[index]!;
      if (r.downUntil <= now) {
        this.next[shard] = (index + 1) % replicas.length;
        return r;
      }
    }
    // Every replica is cooling down: the one that will be back first.
    const r = replicas.reduce((a, b) => (b.downUntil < a.downUntil ? b : a));
    return r;
  }

  async close(): Promise<void> {
    this.closed = true;
    await Promise.all(this.shards.flat().map((r) => r.node.close().catch(() => undefined)));
  }
}

const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));
