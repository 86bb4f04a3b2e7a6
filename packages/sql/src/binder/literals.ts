// Literals as written → runtime values and their types, with Flink's typing: an integer literal is INT when it
// fits, else BIGINT (exact, as a bigint), else DECIMAL; `1.5` is DECIMAL(2, 1) (exact, never a binary float);
// `1e3` is DOUBLE; `'abc'` is CHAR(3); interval literals are milliseconds (DAY TO SECOND) or months (YEAR TO MONTH).
import type { LogicalType } from '@runnel/api/table';
import type { IntervalLiteral, LiteralExpr } from '../parser/ast.js';
import { SqlValidationError } from '../validation-error.js';
import type { RexLiteral } from '../plan/rex.js';
import { parseDateText, parseTimeText, parseTimestampText } from './temporal-literals.js';

const INT_MIN = -(2 ** 31);
const INT_MAX = 2 ** 31 - 1;
const LONG_MIN = -(2n ** 63n);
const LONG_MAX = 2n ** 63n - 1n;

function lit(value: unknown, type: LogicalType): RexLiteral {
  return { kind: 'literal', value, type };
}

/** The value and type of a literal. @internal */
export function bindLiteral(e: LiteralExpr): RexLiteral {
  switch (e.kind) {
    case 'null':
      return lit(null, { root: 'NULL', nullable: true });
    case 'bool':
      return lit(e.text.toUpperCase() === 'TRUE', { root: 'BOOLEAN', nullable: false });
    case 'string':
      return lit(e.text, { root: 'CHAR', nullable: false, precision: Math.max(1, e.text.length) });
    case 'binary': {
      const hex = e.text;
      if (hex.length % 2 !== 0 || !/^[0-9a-fA-F]*$/.test(hex)) throw new SqlValidationError(`binary literal X'${hex}' must have an even number of hex digits`, e.pos);
      return lit(Uint8Array.from(Buffer.from(hex, 'hex')), { root: 'BINARY', nullable: false, precision: Math.max(1, hex.length / 2) });
    }
    case 'number':
      return bindNumber(e);
    case 'date':
      return lit(parseDateText(e.text, e.pos), { root: 'DATE', nullable: false });
    case 'time':
      return lit(parseTimeText(e.text, e.pos), { root: 'TIME', nullable: false, precision: 0 });
    case 'timestamp': {
      const [ms, p] = parseTimestampText(e.text, e.pos);
      return lit(ms, { root: 'TIMESTAMP', nullable: false, precision: p });
    }
    case 'timestamp_ltz':
      throw new SqlValidationError('TIMESTAMP_LTZ literals are converted in the session time zone: write TO_TIMESTAMP_LTZ(...) or CAST(TIMESTAMP \'...\' AS TIMESTAMP_LTZ(3))', e.pos);
  }
}

function bindNumber(e: LiteralExpr): RexLiteral {
  const t = e.text;
  if (/[eE]/.test(t)) return lit(Number(t), { root: 'DOUBLE', nullable: false });
  const dot = t.indexOf('.');
  if (dot < 0) {
    const v = BigInt(t);
    if (v >= BigInt(INT_MIN) && v <= BigInt(INT_MAX)) return lit(Number(v), { root: 'INTEGER', nullable: false });
    if (v >= LONG_MIN && v <= LONG_MAX) return lit(v, { root: 'BIGINT', nullable: false });
    if (t.length > 38) throw new SqlValidationError(`numeric literal ${t} is out of range (at most 38 digits)`, e.pos);
    return lit(v, { root: 'DECIMAL', nullable: false, precision: t.length, scale: 0 });
  }
  const intPart = t.slice(0, dot).replace(/^0+/, '');
  const frac = t.slice(dot + 1);
  const digits = (intPart + frac).replace(/^0+/, '');
  const precision = Math.max(intPart.length + frac.length, frac.length, 1);
  if (precision > 38) throw new SqlValidationError(`numeric literal ${t} has more than 38 digits`, e.pos);
  return lit(BigInt(digits === '' ? '0' : digits), { root: 'DECIMAL', nullable: false, precision, scale: frac.length });
}

const UNIT_MS: Record<string, number> = { DAY: 86_400_000, HOUR: 3_600_000, MINUTE: 60_000, SECOND: 1000 };

/** An interval literal: milliseconds for DAY..SECOND, months for YEAR..MONTH. @internal */
export function bindInterval(e: IntervalLiteral): RexLiteral {
  const from = e.from;
  const to = e.to ?? from;
  const text = e.text.trim();
  const neg = e.negative !== text.startsWith('-');
  const body = text.replace(/^[-+]/, '');
  const bad = (): never => {
    throw new SqlValidationError(`invalid interval literal '${e.text}' for ${from}${e.to ? ` TO ${e.to}` : ''}`, e.pos);
  };
  if (from === 'YEAR' || from === 'MONTH') {
    let months: number;
    if (from === 'YEAR' && to === 'MONTH') {
      const m = /^(\d+)-(\d+)$/.exec(body) ?? bad();
      months = Number(m[1]) * 12 + Number(m[2]);
    } else {
      if (!/^\d+$/.test(body)) bad();
      months = Number(body) * (from === 'YEAR' ? 12 : 1);
    }
    return lit(neg ? -months : months, { root: 'INTERVAL_YEAR_MONTH', nullable: false });
  }
  const order = ['DAY', 'HOUR', 'MINUTE', 'SECOND'];
  const i0 = order.indexOf(from);
  const i1 = order.indexOf(to);
  if (i0 < 0 || i1 < i0) bad();
  // Split '1 02:03:04.5' into its parts in unit order.
  const parts = body.split(/[ :]/);
  if (parts.length !== i1 - i0 + 1) bad();
  let ms = 0;
  for (let i = 0; i < parts.length; i++) {
    const unit = order[i0 + i]!;
    const p = parts[i]!;
    if (unit === 'SECOND') {
      if (!/^\d+(\.\d+)?$/.test(p)) bad();
      ms += Math.round(Number(p) * 1000);
    } else {
      if (!/^\d+$/.test(p)) bad();
      ms += Number(p) * UNIT_MS[unit]!;
    }
  }
  return lit(neg ? -ms : ms, { root: 'INTERVAL_DAY_TIME', nullable: false, precision: 3 });
}
