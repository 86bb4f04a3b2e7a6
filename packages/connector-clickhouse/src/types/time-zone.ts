// Local date-time → instant in a named time zone, computed here (Intl's zone data) rather than by the server, so
// that every server version reads the same instant: the sink sends epoch seconds. A local time that a DST change
// skips is moved forward by the gap and an ambiguous one takes the earlier instant (java.time's rules, as Flink).

const formats = new Map<string, Intl.DateTimeFormat>();

function format(zone: string): Intl.DateTimeFormat {
  let f = formats.get(zone);
  if (f === undefined) {
    f = new Intl.DateTimeFormat('en-US', {
      timeZone: zone,
      hourCycle: 'h23',
      year: 'numeric',
      month: 'numeric',
      day: 'numeric',
      hour: 'numeric',
      minute: 'numeric',
      second: 'numeric',
    });
    formats.set(zone, f);
  }
  return f;
}

/**
 * Whether the zone is known to this runtime's time-zone data.
 *
 * @internal
 */
export function knownTimeZone(zone: string): boolean {
  try {
    format(zone);
    return true;
  } catch {
    return false;
  }
}

/**
 * The zone's offset from UTC at an instant, ms (whole seconds).
 *
 * @internal
 */
export function offsetMs(zone: string, instantMs: number): number {
  if (zone === 'UTC' || zone === 'Etc/UTC') return 0;
  const t = Math.floor(instantMs / 1000) * 1000;
  const p: Record<string, number> = {};
  for (const part of format(zone).formatToParts(new Date(t))) if (part.type !== 'literal') p[part.type] = Number(part.value);
  const wall = Date.UTC(p['year']!, p['month']! - 1, p['day']!, p['hour']!, p['minute']!, p['second']!);
  return wall - t;
}

/**
 * The instant (epoch ms) of a local date-time (`localMs`: its fields read as UTC) in `zone`.
 *
 * @internal
 */
export function localToInstant(zone: string, localMs: number): number {
  if (zone === 'UTC' || zone === 'Etc/UTC') return localMs;
  const day = 86_400_000;
  const before = offsetMs(zone, localMs - day);
  const after = offsetMs(zone, localMs + day);
  const candidates = [localMs - before, localMs - after].filter((c) => offsetMs(zone, c) === localMs - c);
  if (candidates.length === 0) return localMs - before; // in a gap: forward by the gap
  return Math.min(...candidates); // an overlap: the earlier instant
}
