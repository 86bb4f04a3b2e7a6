// `runnel sql -f` on a script in the style of Flink's documentation: "today's cumulative count per app, every hour"
// with CUMULATE windows, printed as a tableau changelog that must equal the counts computed here directly.
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { main } from '../../src/main.js';
import { fakeIo, tableauRows } from './fake-io.js';

const HOUR = 3_600_000;
const DAY = 24 * HOUR;
const APPS = ['shop', 'news', 'mail'];

function text(ms: number): string {
  return new Date(ms).toISOString().replace('T', ' ').replace('Z', '');
}

describe('runnel sql -f: CUMULATE windows', () => {
  it("prints today's cumulative count per app, every hour", async () => {
    const dir = mkdtempSync(join(tmpdir(), 'runnel-sql-cumulate-'));
    const base = Date.UTC(2026, 11, 1);
    const events: { app: string; ts: number }[] = [];
    let seed = 7;
    const rnd = (): number => ((seed = (seed * 1103515245 + 12345) % 2147483648) / 2147483648);
    // 30 hours of events, a few per hour and app, 0–2 s out of order; some hours empty for some apps.
    for (let t = base; t < base + 30 * HOUR; t += 157_000) {
      const app = APPS[Math.floor(rnd() * 3)]!;
      if (app === 'mail' && Math.floor((t - base) / HOUR) % 5 === 2) continue;
      events.push({ app, ts: t + Math.floor(rnd() * 2000) });
    }
    writeFileSync(join(dir, 'events.json'), events.map((e) => JSON.stringify({ app: e.app, ts: text(e.ts) })).join('\n') + '\n');
    const script = join(dir, 'cumulative.sql');
    writeFileSync(
      script,
      `-- Today's cumulative page views per app, updated every hour.
CREATE TABLE events (
  app STRING,
  ts TIMESTAMP(3),
  WATERMARK FOR ts AS ts - INTERVAL '5' SECOND
) WITH (
  'connector' = 'filesystem',
  'path' = '${join(dir, 'events.json')}',
  'format' = 'json'
);

SET 'sql-client.execution.result-mode' = 'tableau';

SELECT window_start, window_end, app, COUNT(*) AS pv
FROM TABLE(
  CUMULATE(TABLE events, DESCRIPTOR(ts), INTERVAL '1' HOUR, INTERVAL '1' DAY))
GROUP BY window_start, window_end, app;
`,
    );
    const io = fakeIo(dir);
    const code = await main(['sql', '-f', script, '-p', '2'], io);
    expect(io.errors()).not.toContain('[ERROR]');
    expect(code).toBe(0);
    // Expected: for every day, hour end and app, the events of that day before the hour end (when there are any).
    const expected = new Map<string, number>();
    for (const e of events) {
      const day = Math.floor(e.ts / DAY) * DAY;
      for (let end = Math.floor((e.ts - day) / HOUR) * HOUR + HOUR + day; end <= day + DAY; end += HOUR) {
        const k = `${text(day)}|${text(end)}|${e.app}`;
        expected.set(k, (expected.get(k) ?? 0) + 1);
      }
    }
    const rows = tableauRows(io.text());
    expect(rows.every((r) => r[0] === '+I')).toBe(true);
    const actual = rows.map((r) => `${r[1]}|${r[2]}|${r[3]}|${r[4]}`).sort();
    const want = [...expected].map(([k, n]) => `${k}|${n}`).sort();
    expect(actual.length).toBe(want.length);
    expect(actual).toEqual(want);
    expect(io.text()).toContain(`Received a total of ${want.length} rows`);
  });
});
