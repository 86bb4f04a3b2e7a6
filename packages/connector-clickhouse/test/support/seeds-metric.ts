// The seeds' real-time metric as a test scenario, shared by the SQL end-to-end tests (18.16 and chdb) and the kill
// test: app events (app, amount DECIMAL(10, 2), event time) → (1) "today's cumulative count per app, per hour", a
// CUMULATE window (1 hour steps, 1 day) → an append table; (2) a retracting GROUP BY per app (count and exact
// decimal sum) → a ReplacingMergeTree upsert table; (3) apps with at most SMALL events, a HAVING that deletes an
// app's row once it has more → the same strategy with deletes. The oracle computes all three in plain JavaScript.
import { mkdirSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

export const APPS = ['shop', 'news', 'mail', 'maps', 'rare'] as const;
/** Apps with at most this many events stay in `app_small`. */
export const SMALL = 40;
const BASE = Date.UTC(2024, 0, 1, 20, 0, 0);

/** One event. */
export interface SeedEvent {
  readonly id: number;
  readonly app: string;
  /** Cents. */
  readonly cents: number;
  /** Event time, ms. */
  readonly t: number;
}

/** A seeded PRNG (mulberry32). */
export function rng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** `n` events over about 30 hours (across a midnight), mostly in time order (shuffled within 2 s). */
export function seedEvents(n: number, seed = 7): SeedEvent[] {
  const r = rng(seed);
  const span = 30 * 3_600_000;
  return Array.from({ length: n }, (_, i) => {
    const x = r();
    // `rare` gets few events, so that it stays in app_small; the others pass SMALL and are deleted from it.
    const app = x < 0.004 ? 'rare' : APPS[Math.floor(r() * 4)]!;
    return { id: i, app, cents: Math.floor(r() * 100_000) - 5_000, t: BASE + Math.floor((i * span) / n) + Math.floor(r() * 2_000) };
  });
}

const pad = (n: number, w = 2): string => String(n).padStart(w, '0');

/** A UTC instant as `YYYY-MM-DD hh:mm:ss[.fff]`. */
export function sqlTime(ms: number, millis = true): string {
  const d = new Date(ms);
  const s = `${d.getUTCFullYear()}-${pad(d.getUTCMonth() + 1)}-${pad(d.getUTCDate())} ${pad(d.getUTCHours())}:${pad(d.getUTCMinutes())}:${pad(d.getUTCSeconds())}`;
  return millis ? `${s}.${pad(d.getUTCMilliseconds(), 3)}` : s;
}

/** Exact decimal text of cents. */
export function centsText(c: bigint | number): string {
  const v = BigInt(c);
  const neg = v < 0n;
  const a = neg ? -v : v;
  return `${neg ? '-' : ''}${a / 100n}.${pad(Number(a % 100n))}`;
}

/** The events as JSON lines for the filesystem source. */
export function eventLines(events: readonly SeedEvent[]): string {
  return events.map((e) => `{"id":${e.id},"app":"${e.app}","amount":${centsText(e.cents)},"ts":"${sqlTime(e.t)}"}`).join('\n') + '\n';
}

/** What the three tables must hold, as the documented queries print them (see `readResults`). */
export interface SeedResults {
  /** `app|window_start|window_end|count`, sorted. */
  readonly cumulative: string[];
  /** `app|count|sum in cents`, sorted. */
  readonly totals: string[];
  /** `app|count`, sorted. */
  readonly small: string[];
}

/** The oracle: plain JavaScript over the events. */
export function oracle(events: readonly SeedEvent[]): SeedResults {
  const hour = 3_600_000;
  const day = 24 * hour;
  const cumulative = new Map<string, number>();
  for (const e of events) {
    const dayStart = Math.floor(e.t / day) * day;
    // Every window of the day that ends after the event: [dayStart, dayStart + k hours) for k past the event's hour.
    for (let end = Math.floor(e.t / hour) * hour + hour; end <= dayStart + day; end += hour) {
      const k = `${e.app}|${sqlTime(dayStart, false)}|${sqlTime(end, false)}`;
      cumulative.set(k, (cumulative.get(k) ?? 0) + 1);
    }
  }
  const totals = new Map<string, [number, bigint]>();
  for (const e of events) {
    const [n, s] = totals.get(e.app) ?? [0, 0n];
    totals.set(e.app, [n + 1, s + BigInt(e.cents)]);
  }
  return {
    cumulative: [...cumulative].map(([k, n]) => `${k}|${n}`).sort(),
    totals: [...totals].map(([app, [n, s]]) => `${app}|${n}|${s}`).sort(),
    small: [...totals].filter(([, [n]]) => n <= SMALL).map(([app, [n]]) => `${app}|${n}`).sort(),
  };
}

/**
 * The ClickHouse DDL of the three tables. `append` is a ReplacingMergeTree without a version keyed by the window,
 * so that the same DDL serves the exactly-once kill test (a re-committed batch replaces itself).
 */
export function clickhouseTables(db = 'default'): string[] {
  return [
    `CREATE TABLE ${db}.app_hourly (app String, window_start DateTime('UTC'), window_end DateTime('UTC'), cnt UInt64) ENGINE = ReplacingMergeTree ORDER BY (app, window_start, window_end)`,
    `CREATE TABLE ${db}.app_totals (app String, cnt UInt64, total Decimal(18, 2), _version UInt64, _is_deleted UInt8) ENGINE = ReplacingMergeTree(_version) ORDER BY app`,
    `CREATE TABLE ${db}.app_small (app LowCardinality(String), cnt UInt64, _version UInt64, _is_deleted UInt8) ENGINE = ReplacingMergeTree(_version) ORDER BY app`,
  ];
}

/** The documented queries (FINAL, deleted rows left out), in the oracle's text form. */
export const RESULT_QUERIES = {
  cumulative: `SELECT concat(app, '|', toString(window_start), '|', toString(window_end), '|', toString(cnt)) AS r FROM app_hourly FINAL ORDER BY r`,
  // Cents: servers print a Decimal's trailing zeros differently.
  totals: `SELECT concat(app, '|', toString(cnt), '|', toString(toInt64(total * 100))) AS r FROM app_totals FINAL WHERE _is_deleted = 0 ORDER BY r`,
  small: `SELECT concat(toString(app), '|', toString(cnt)) AS r FROM app_small FINAL WHERE _is_deleted = 0 ORDER BY r`,
} as const;

/** The SQL script: the events table, the three ClickHouse tables, and the statement set. */
export function seedsScript(eventsPath: string, url: string, extra: Record<string, string> = {}, watermarkSeconds = 5): string {
  const ch = (table: string, o: Record<string, string>): string =>
    Object.entries({ connector: 'clickhouse', url, 'table-name': table, 'sink.flush-interval': '200 ms', ...o, ...extra })
      .map(([k, v]) => `'${k}' = '${v.replace(/'/g, "''")}'`)
      .join(', ');
  return `
CREATE TABLE events (id BIGINT, app STRING, amount DECIMAL(10, 2), ts TIMESTAMP(3), WATERMARK FOR ts AS ts - INTERVAL '${watermarkSeconds}' SECOND)
  WITH ('connector' = 'filesystem', 'path' = '${eventsPath}', 'format' = 'json');
CREATE TABLE app_hourly (app STRING, window_start TIMESTAMP(3), window_end TIMESTAMP(3), cnt BIGINT) WITH (${ch('app_hourly', {})});
CREATE TABLE app_totals (app STRING, cnt BIGINT, total DECIMAL(38, 2), PRIMARY KEY (app) NOT ENFORCED) WITH (${ch('app_totals', { 'sink.update-strategy': 'replacing' })});
CREATE TABLE app_small (app STRING, cnt BIGINT, PRIMARY KEY (app) NOT ENFORCED) WITH (${ch('app_small', { 'sink.update-strategy': 'replacing' })});
EXECUTE STATEMENT SET BEGIN
  INSERT INTO app_hourly
    SELECT app, window_start, window_end, COUNT(*) FROM TABLE(CUMULATE(TABLE events, DESCRIPTOR(ts), INTERVAL '1' HOUR, INTERVAL '1' DAY))
    GROUP BY app, window_start, window_end;
  INSERT INTO app_totals SELECT app, COUNT(*), SUM(amount) FROM events GROUP BY app;
  INSERT INTO app_small SELECT app, COUNT(*) FROM events GROUP BY app HAVING COUNT(*) <= ${SMALL};
END;`;
}

const tempDirs: string[] = [];

/** Removes the temp dirs that `writeEvents` and `packagePluginPath` made (call in afterAll). */
export function removeTempDirs(): void {
  for (const d of tempDirs.splice(0)) rmSync(d, { recursive: true, force: true });
}

/** Writes the events into a fresh directory; returns its path (the filesystem source reads the directory). */
export function writeEvents(events: readonly SeedEvent[], files = 1): string {
  const dir = mkdtempSync(join(tmpdir(), 'runnel-ch-events-'));
  tempDirs.push(dir);
  const per = Math.ceil(events.length / files);
  for (let f = 0; f < files; f++) writeFileSync(join(dir, `events-${pad(f)}.json`), eventLines(events.slice(f * per, (f + 1) * per)));
  return dir;
}

const PACKAGE_DIR = resolve(dirname(fileURLToPath(import.meta.url)), '..', '..');

/** A plugin search path entry whose `node_modules` holds this package, as an installation would (under `parent`). */
export function packagePluginPath(parent = tmpdir()): string {
  const root = mkdtempSync(join(parent, 'runnel-ch-plugin-'));
  tempDirs.push(root);
  mkdirSync(join(root, 'node_modules', '@runnel'), { recursive: true });
  symlinkSync(PACKAGE_DIR, join(root, 'node_modules', '@runnel', 'connector-clickhouse'), 'dir');
  return join(root, 'script.sql');
}
