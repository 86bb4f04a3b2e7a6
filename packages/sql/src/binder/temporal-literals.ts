// Parsing of DATE, TIME and TIMESTAMP literals (`DATE '2020-01-31'`, `TIMESTAMP '2020-01-31 10:00:00.123'`) into
// their runtime values (days, milliseconds of the day, milliseconds of the local date-time read as UTC).
import type { Pos } from '../parser/ast.js';
import { SqlValidationError } from '../validation-error.js';

/** Days since 1970-01-01 of `yyyy-MM-dd`. @internal */
export function parseDateText(text: string, pos?: Pos): number {
  const m = /^\s*(\d{1,4})-(\d{1,2})-(\d{1,2})\s*$/.exec(text);
  if (!m) throw new SqlValidationError(`invalid DATE literal '${text}': expected yyyy-MM-dd`, pos);
  const y = Number(m[1]), mo = Number(m[2]), d = Number(m[3]);
  const ms = Date.UTC(y, mo - 1, d);
  const back = new Date(ms);
  if (mo < 1 || mo > 12 || back.getUTCDate() !== d) throw new SqlValidationError(`invalid DATE literal '${text}': no such day`, pos);
  // Date.UTC maps years 0..99 to 1900..1999.
  const fixed = y < 100 ? new Date(ms).setUTCFullYear(y) : ms;
  return Math.floor(fixed / 86_400_000);
}

/** Milliseconds of the day of `HH:mm:ss[.fff]`. @internal */
export function parseTimeText(text: string, pos?: Pos): number {
  const m = /^\s*(\d{1,2}):(\d{2})(?::(\d{2})(?:\.(\d{1,9}))?)?\s*$/.exec(text);
  if (!m) throw new SqlValidationError(`invalid TIME literal '${text}': expected HH:mm:ss`, pos);
  const h = Number(m[1]), mi = Number(m[2]), s = Number(m[3] ?? 0);
  if (h > 23 || mi > 59 || s > 59) throw new SqlValidationError(`invalid TIME literal '${text}'`, pos);
  return ((h * 60 + mi) * 60 + s) * 1000 + Number((m[4] ?? '').padEnd(3, '0').slice(0, 3));
}

/** Milliseconds and precision of `yyyy-MM-dd HH:mm:ss[.fff]` (also with `T`). @internal */
export function parseTimestampText(text: string, pos?: Pos): [number, number] {
  const m = /^\s*(\d{1,4}-\d{1,2}-\d{1,2})(?:[ T](\d{1,2}:\d{2}(?::\d{2}(?:\.(\d{1,9}))?)?))?\s*$/.exec(text);
  if (!m) throw new SqlValidationError(`invalid TIMESTAMP literal '${text}': expected yyyy-MM-dd HH:mm:ss[.fff]`, pos);
  const days = parseDateText(m[1]!, pos);
  const ms = m[2] ? parseTimeText(m[2], pos) : 0;
  return [days * 86_400_000 + ms, m[3] ? m[3].length : 0];
}
