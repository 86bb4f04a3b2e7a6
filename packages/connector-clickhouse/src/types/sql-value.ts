// Converts a SQL row's values (as `@runnel/api/table`'s logical-type.ts represents them) into the values the column
// encoders take: DECIMAL's unscaled bigint with the type's scale becomes an exact `{ unscaled, scale }`, TIMESTAMP
// (a local date-time) becomes local text read in the column's time zone, TIMESTAMP_LTZ stays an instant (epoch
// ms), DATE becomes `YYYY-MM-DD`, TIME `hh:mm:ss.fff`; arrays, maps and rows are converted element by element.
import type { LogicalType } from '@runnel/api/table';
import type { ExactDecimal } from './column-encoder.js';

const pad = (n: number, w = 2): string => String(n).padStart(w, '0');

/** `YYYY-MM-DD hh:mm:ss.fff` of a TIMESTAMP value (ms of the local date-time read as UTC). */
export function localDateTimeText(ms: number): string {
  const d = new Date(ms);
  if (Number.isNaN(d.getTime())) return String(ms);
  return `${pad(d.getUTCFullYear(), 4)}-${pad(d.getUTCMonth() + 1)}-${pad(d.getUTCDate())} ${pad(d.getUTCHours())}:${pad(d.getUTCMinutes())}:${pad(d.getUTCSeconds())}.${pad(d.getUTCMilliseconds(), 3)}`;
}

/**
 * The converter of a logical type's values (identity where no conversion is needed).
 *
 * @internal
 */
export function sqlValueConverter(type: LogicalType): ((v: unknown) => unknown) | undefined {
  switch (type.root) {
    case 'DECIMAL': {
      const scale = type.scale ?? 0;
      return (v) => (typeof v === 'bigint' ? ({ unscaled: v, scale } satisfies ExactDecimal) : v);
    }
    case 'TIMESTAMP':
      return (v) => (typeof v === 'number' ? localDateTimeText(v) : v);
    case 'DATE':
      return (v) => {
        if (typeof v !== 'number') return v;
        const d = new Date(v * 86_400_000);
        return `${pad(d.getUTCFullYear(), 4)}-${pad(d.getUTCMonth() + 1)}-${pad(d.getUTCDate())}`;
      };
    case 'TIME':
      return (v) => (typeof v === 'number' ? localDateTimeText(v).slice(11) : v);
    case 'ARRAY':
    case 'MULTISET': {
      const element = sqlValueConverter(type.element!);
      if (type.root === 'MULTISET') {
        return (v) => (v instanceof Map ? [...v.entries()].flatMap(([k, n]) => Array.from({ length: Number(n) }, () => (element ? element(k) : k))) : v);
      }
      return element === undefined ? undefined : (v) => (Array.isArray(v) ? v.map(element) : v);
    }
    case 'MAP': {
      const key = sqlValueConverter(type.key!);
      const value = sqlValueConverter(type.element!);
      if (key === undefined && value === undefined) return undefined;
      return (v) => (v instanceof Map ? new Map([...v].map(([k, x]) => [key ? key(k) : k, value ? value(x) : x])) : v);
    }
    case 'ROW': {
      const fields = (type.fields ?? []).map((f) => sqlValueConverter(f.type));
      if (fields.every((f) => f === undefined)) return undefined;
      return (v) => (Array.isArray(v) ? v.map((x, i) => (fields[i] ? fields[i]!(x) : x)) : v);
    }
    default:
      return undefined;
  }
}
