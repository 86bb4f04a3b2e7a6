// How the SQL client prints values, as Flink's client does: DECIMAL with its scale, TIMESTAMP(p) as
// `yyyy-MM-dd HH:mm:ss.SSS` (to its precision, at most milliseconds), TIMESTAMP_LTZ in the session time zone, bytes
// as `x'..'`, ROW as `(a, b)`, ARRAY as `[a, b]`, MAP as `{k=v}`, NULL as `<NULL>`.
import type { LogicalType } from '@runnel/api/table';

function pad(n: number, w: number): string {
  return String(n).padStart(w, '0');
}

/** `yyyy-MM-dd` of days since the epoch. @internal */
export function formatDate(days: number): string {
  const d = new Date(days * 86_400_000);
  const y = d.getUTCFullYear();
  return `${y < 0 ? '-' + pad(-y, 4) : pad(y, 4)}-${pad(d.getUTCMonth() + 1, 2)}-${pad(d.getUTCDate(), 2)}`;
}

/** `HH:mm:ss[.fff]` of milliseconds of the day. @internal */
export function formatTime(ms: number, precision = 0): string {
  const s = Math.floor(ms / 1000);
  const frac = ms % 1000;
  const base = `${pad(Math.floor(s / 3600), 2)}:${pad(Math.floor(s / 60) % 60, 2)}:${pad(s % 60, 2)}`;
  return precision > 0 ? `${base}.${pad(frac, 3).slice(0, Math.min(3, precision)).padEnd(precision, '0')}` : base;
}

/** `yyyy-MM-dd HH:mm:ss[.fff]` of a TIMESTAMP value. @internal */
export function formatTimestamp(ms: number, precision = 3): string {
  const days = Math.floor(ms / 86_400_000);
  return `${formatDate(days)} ${formatTime(ms - days * 86_400_000, precision)}`;
}

/** A DECIMAL's unscaled value with its scale: 12345n, 2 → `123.45`. @internal */
export function formatDecimal(unscaled: bigint, scale: number): string {
  if (scale === 0) return unscaled.toString();
  const neg = unscaled < 0n;
  const digits = (neg ? -unscaled : unscaled).toString().padStart(scale + 1, '0');
  return `${neg ? '-' : ''}${digits.slice(0, -scale)}.${digits.slice(-scale)}`;
}

/** Offset of a zone at an instant, in ms. @internal */
export function zoneOffset(zone: string, ms: number): number {
  if (zone === 'UTC' || zone === 'Z') return 0;
  const fixed = /^(?:GMT|UTC)?([+-])(\d{1,2}):?(\d{2})$/.exec(zone);
  if (fixed) return (fixed[1] === '-' ? -1 : 1) * (Number(fixed[2]) * 60 + Number(fixed[3])) * 60_000;
  const p: Record<string, number> = {};
  const f = new Intl.DateTimeFormat('en-US', { timeZone: zone, hourCycle: 'h23', year: 'numeric', month: 'numeric', day: 'numeric', hour: 'numeric', minute: 'numeric', second: 'numeric' });
  const t = Math.floor(ms / 1000) * 1000;
  for (const part of f.formatToParts(new Date(t))) if (part.type !== 'literal') p[part.type] = Number(part.value);
  return Date.UTC(p.year!, p.month! - 1, p.day!, p.hour!, p.minute!, p.second!) - t;
}

/**
 * The client's text of a value of a type.
 *
 * @internal
 */
export function formatValue(v: unknown, t: LogicalType, zone = 'UTC'): string {
  if (v === null || v === undefined) return '<NULL>';
  switch (t.root) {
    case 'DECIMAL':
      return formatDecimal(v as bigint, t.scale ?? 0);
    case 'DATE':
      return formatDate(v as number);
    case 'TIME':
      return formatTime(v as number, t.precision ?? 0);
    case 'TIMESTAMP':
      return formatTimestamp(v as number, Math.min(3, t.precision ?? 6) || 0);
    case 'TIMESTAMP_LTZ':
      return formatTimestamp((v as number) + zoneOffset(zone, v as number), Math.min(3, t.precision ?? 6) || 0);
    case 'FLOAT':
    case 'DOUBLE': {
      const n = v as number;
      if (Number.isNaN(n)) return 'NaN';
      if (!Number.isFinite(n)) return n > 0 ? 'Infinity' : '-Infinity';
      // Java's Double.toString: an integral value keeps `.0`; large or small magnitudes use E notation.
      const a = Math.abs(n);
      if (a !== 0 && (a >= 1e7 || a < 1e-3)) {
        const [m, e] = n.toExponential().split('e');
        return `${m!.includes('.') ? m : `${m}.0`}E${Number(e)}`;
      }
      return Number.isInteger(n) ? `${n}.0` : String(n);
    }
    case 'BINARY':
    case 'VARBINARY':
      return `x'${Buffer.from(v as Uint8Array).toString('hex')}'`;
    case 'ARRAY':
    case 'MULTISET':
      return `[${(v as unknown[]).map((x) => formatValue(x, t.element!, zone)).join(', ')}]`;
    case 'MAP':
      return `{${[...(v as Map<unknown, unknown>)].map(([k, x]) => `${formatValue(k, t.key!, zone)}=${formatValue(x, t.element!, zone)}`).join(', ')}}`;
    case 'ROW':
      return `(${(v as unknown[]).map((x, i) => formatValue(x, t.fields![i]!.type, zone)).join(', ')})`;
    case 'BOOLEAN':
      return v ? 'TRUE' : 'FALSE';
    default:
      return String(v);
  }
}
