// Shared parts of the MySQL benchmarks: the row shape, timing (wall and this process's CPU), medians.
import { row, RowKind, type LogicalType, type Row } from '@runnel/api';

/** The benchmark table's columns. */
export const COLUMNS: readonly { name: string; type: LogicalType }[] = [
  { name: 'id', type: { root: 'BIGINT', nullable: false } },
  { name: 'name', type: { root: 'VARCHAR', nullable: true, precision: 32 } },
  { name: 'amount', type: { root: 'DECIMAL', nullable: true, precision: 12, scale: 2 } },
  { name: 'ts', type: { root: 'TIMESTAMP', nullable: true, precision: 3 } },
  { name: 'qty', type: { root: 'INTEGER', nullable: true } },
];

export const DDL = 'id BIGINT PRIMARY KEY, name VARCHAR(32), amount DECIMAL(12,2), ts DATETIME(3), qty INT';

const BASE = Date.UTC(2024, 0, 1);

/** Row `i` of round `round` (the values change per round, so later rounds update every row). */
export function benchRow(i: number, round: number): Row {
  return row(RowKind.INSERT, [BigInt(i), `name-${i}-${round}`, BigInt(i * 7 + round), BASE + i * 1000 + round, (i + round) % 1000]);
}

/** The same row as plain driver values. */
export function plainRow(i: number, round: number): (string | number)[] {
  const a = i * 7 + round;
  return [String(i), `name-${i}-${round}`, `${Math.floor(a / 100)}.${String(a % 100).padStart(2, '0')}`, new Date(BASE + i * 1000 + round).toISOString().replace('T', ' ').replace('Z', ''), (i + round) % 1000];
}

export interface Measured {
  readonly rows: number;
  readonly wallMs: number;
  readonly cpuMs: number;
}

export async function measure(rows: number, f: () => Promise<void>): Promise<Measured> {
  const c0 = process.cpuUsage();
  const t0 = performance.now();
  await f();
  const wallMs = performance.now() - t0;
  const c = process.cpuUsage(c0);
  return { rows, wallMs, cpuMs: (c.user + c.system) / 1000 };
}

export function median(xs: readonly number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  const m = Math.floor(s.length / 2);
  return s.length % 2 === 1 ? s[m]! : (s[m - 1]! + s[m]!) / 2;
}
