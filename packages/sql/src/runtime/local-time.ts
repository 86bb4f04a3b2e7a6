// Window alignment in local time. Windows over TIMESTAMP align on the value itself (it is a local date-time
// already); windows over TIMESTAMP_LTZ align on the session time zone's wall clock, so a one-day window starts at
// local midnight, as in Flink. The zone's offset is looked up per timestamp (cached per hour), so DST changes are
// respected.

/**
 * Conversions between an instant and the local time used to align windows.
 *
 * @internal
 */
export interface LocalTime {
  toLocal(ts: number): number;
  toUtc(local: number): number;
  /** The value of window_start / window_end for a window bound given as an instant. */
  windowValue(ts: number): number;
}

/** Alignment on the value itself (TIMESTAMP, or a UTC session). @internal */
export const IDENTITY_TIME: LocalTime = { toLocal: (t) => t, toUtc: (t) => t, windowValue: (t) => t };

const HOUR = 3_600_000;

/** Alignment in a time zone (TIMESTAMP_LTZ). @internal */
export function zoneLocalTime(zone: string): LocalTime {
  if (zone === 'UTC' || zone === 'Z' || zone === 'GMT' || zone === '+00:00') return IDENTITY_TIME;
  const fixed = /^(?:GMT|UTC)?([+-])(\d{1,2}):?(\d{2})$/.exec(zone);
  if (fixed) {
    const off = (fixed[1] === '-' ? -1 : 1) * (Number(fixed[2]) * 60 + Number(fixed[3])) * 60_000;
    return { toLocal: (t) => t + off, toUtc: (t) => t - off, windowValue: (t) => t };
  }
  const fmt = new Intl.DateTimeFormat('en-US', { timeZone: zone, hourCycle: 'h23', year: 'numeric', month: 'numeric', day: 'numeric', hour: 'numeric', minute: 'numeric', second: 'numeric' });
  const cache = new Map<number, number>();
  const offsetAt = (t: number): number => {
    const h = Math.floor(t / HOUR);
    let o = cache.get(h);
    if (o === undefined) {
      const p: Record<string, number> = {};
      for (const part of fmt.formatToParts(new Date(h * HOUR))) if (part.type !== 'literal') p[part.type] = Number(part.value);
      o = Date.UTC(p.year!, p.month! - 1, p.day!, p.hour!, p.minute!, p.second!) - h * HOUR;
      if (cache.size > 100_000) cache.clear();
      cache.set(h, o);
    }
    return o;
  };
  return {
    toLocal: (t) => t + offsetAt(t),
    // The offset at the guessed instant; right except within a DST transition hour.
    toUtc: (l) => l - offsetAt(l - offsetAt(l)),
    windowValue: (t) => t,
  };
}
