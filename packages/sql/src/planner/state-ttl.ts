// Durations of the table options (`1 h`, `30 min`, `500 ms`) and the state TTL of SQL operators
// (`table.exec.state.ttl`).
import type { StateTtlConfig as Ttl } from '@runnel/api';
import { SqlValidationError } from '../validation-error.js';
import type { TranslateContext } from './translate-context.js';

/** Milliseconds of a duration option. @internal */
export function parseDurationMs(v: string, key: string): number {
  const m = /^\s*(\d+)\s*(ms|milli|millis|s|sec|second|seconds|min|minute|minutes|h|hour|hours|d|day|days)?\s*$/i.exec(v);
  if (!m) throw new SqlValidationError(`${key}: '${v}' is not a duration like '1 h' or '30 min'`);
  const unit = (m[2] ?? 'ms').toLowerCase();
  const f = unit.startsWith('ms') || unit.startsWith('milli') ? 1 : unit.startsWith('s') ? 1000 : unit.startsWith('min') ? 60_000 : unit.startsWith('h') ? 3_600_000 : 86_400_000;
  return Number(m[1]) * f;
}

/** The state TTL of SQL operators, when `table.exec.state.ttl` is set and positive. @internal */
export function stateTtl(ctx: TranslateContext): Ttl | undefined {
  const v = ctx.config['table.exec.state.ttl'];
  if (v === undefined) return undefined;
  const ms = parseDurationMs(v, 'table.exec.state.ttl');
  return ms > 0 ? { ttlMs: ms } : undefined;
}
