// The reference output of a scenario, computed without Runnel: plain loops over every input event. The inputs are
// built so that no record is late in any correct run (the watermark bound is never below the disorder, and files
// are read in time order), so the reference is every window or bucket of every event, fired once.
import { allEvents, type Ev } from './events.js';
import type { JobSpec } from './scenario.js';
import type { Acc, ConnectRow, WindowRow } from './job.js';
import { combine, rowOf, toAcc } from './job.js';

/** A canonical text of an output row (keys sorted), so that rows compare as strings. */
export function canonical(row: unknown): string {
  const o = row as Record<string, unknown>;
  return JSON.stringify(Object.fromEntries(Object.keys(o).sort().map((k) => [k, o[k]])));
}

function start(t: number, size: number): number {
  const r = t % size;
  return r < 0 ? t - (r + size) : t - r;
}

function addTo(map: Map<string, Acc>, id: string, a: Acc): void {
  const cur = map.get(id);
  map.set(id, cur === undefined ? a : combine(cur, a));
}

/** The rows of a tumbling (or sliding) window aggregation. */
function windows(events: Iterable<Ev>, size: number, slide: number): WindowRow[] {
  const acc = new Map<string, Acc>();
  for (const e of events) {
    const a = toAcc(e);
    for (let s = start(e.t, slide); s > e.t - size; s -= slide) addTo(acc, `${e.k}\u0000${s}`, a);
  }
  return [...acc.entries()].map(([id, a]) => {
    const s = Number(id.split('\u0000')[1]);
    return rowOf(a, s, s + size);
  });
}

/** Session windows: per key, events whose windows [t, t + gap) touch or overlap form one session. */
function sessions(events: Iterable<Ev>, gap: number): WindowRow[] {
  const byKey = new Map<string, Ev[]>();
  for (const e of events) {
    let l = byKey.get(e.k);
    if (!l) byKey.set(e.k, (l = []));
    l.push(e);
  }
  const rows: WindowRow[] = [];
  for (const list of byKey.values()) {
    list.sort((a, b) => a.t - b.t);
    let acc: Acc | undefined;
    let s = 0;
    let end = 0;
    for (const e of list) {
      // TimeWindow.intersects: start <= other.end && end >= other.start (touching windows merge).
      if (acc !== undefined && e.t <= end) {
        acc = combine(acc, toAcc(e));
        end = Math.max(end, e.t + gap);
      } else {
        if (acc !== undefined) rows.push(rowOf(acc, s, end));
        acc = toAcc(e);
        s = e.t;
        end = e.t + gap;
      }
    }
    if (acc !== undefined) rows.push(rowOf(acc, s, end));
  }
  return rows;
}

function connected(items: Iterable<{ ev: Ev; side: 1 | 2 }>, size: number): ConnectRow[] {
  const m = new Map<string, ConnectRow>();
  for (const { ev, side } of items) {
    const s = start(ev.t, size);
    const id = `${ev.k}\u0000${s}`;
    let r = m.get(id);
    if (!r) m.set(id, (r = { p: 'c', k: ev.k, s, e: s + size, n1: 0, s1: 0, n2: 0, s2: 0 }));
    if (side === 1) {
      r.n1++;
      r.s1 += ev.v;
    } else {
      r.n2++;
      r.s2 += ev.v;
    }
  }
  return [...m.values()];
}

function* eventsOf(items: Iterable<{ ev: Ev; side: 1 | 2 }>): Generator<Ev> {
  for (const { ev } of items) yield ev;
}

/**
 * The committed output of a correct run over `items` (by default every input event: an uninterrupted run), with
 * every window fired, as sorted canonical lines.
 */
export function referenceOutput(spec: JobSpec, items: Iterable<{ ev: Ev; side: 1 | 2 }> = allEvents(spec.input)): string[] {
  const events = eventsOf(items);
  let rows: unknown[];
  switch (spec.pipeline) {
    case 'slide-aggregate':
      rows = windows(events, spec.windowMs, spec.slideMs);
      break;
    case 'session-reduce':
      rows = sessions(events, spec.gapMs);
      break;
    case 'connect-timers':
      rows = connected(items, spec.windowMs);
      break;
    default:
      rows = windows(events, spec.windowMs, spec.windowMs);
  }
  return rows.map(canonical).sort();
}
