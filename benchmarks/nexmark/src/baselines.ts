// Hand-written single-loop versions of the Nexmark queries: the generator and the query logic in one loop, no
// framework. They are the speed limit of the runtime on this machine: the DataStream versions pay for operators,
// state, timers and watermarks on top of the same generation and logic.
import { NexmarkGenerator, type Auction, type Bid, type Person } from '@runnel/connector-datagen';

/** Runs a baseline over `events` events and returns the number of output rows. */
export type Baseline = (events: number) => number;

const WM_EVERY = 1024;
const DELAY = 4000 + 1;

export const baselines: Record<string, Baseline> = {
  q0(events) {
    const g = new NexmarkGenerator({ eventsNum: events });
    let out = 0;
    for (let n = 0; n < events; n++) {
      const e = g.generate(n);
      if (e.eventType === 2) out += e.bid!.price > -1 ? 1 : 0;
    }
    return out;
  },
  q1(events) {
    const g = new NexmarkGenerator({ eventsNum: events });
    let out = 0;
    for (let n = 0; n < events; n++) {
      const e = g.generate(n);
      if (e.eventType !== 2) continue;
      const b = e.bid!;
      const r = { auction: b.auction, bidder: b.bidder, price: 0.908 * b.price, dateTime: b.dateTime, extra: b.extra };
      if (r.price >= 0) out++;
    }
    return out;
  },
  q2(events) {
    const g = new NexmarkGenerator({ eventsNum: events });
    let out = 0;
    for (let n = 0; n < events; n++) {
      const e = g.generate(n);
      if (e.eventType === 2 && e.bid!.auction % 123 === 0) out++;
    }
    return out;
  },
  q3(events) {
    const g = new NexmarkGenerator({ eventsNum: events });
    const persons = new Map<number, Person>();
    const auctions = new Map<number, Auction[]>();
    let out = 0;
    for (let n = 0; n < events; n++) {
      const e = g.generate(n);
      if (e.eventType === 1 && e.auction!.category === 10) {
        const a = e.auction!;
        if (persons.has(a.seller)) out++;
        const l = auctions.get(a.seller);
        if (l) l.push(a);
        else auctions.set(a.seller, [a]);
      } else if (e.eventType === 0) {
        const p = e.person!;
        if (p.state === 'OR' || p.state === 'ID' || p.state === 'CA') {
          persons.set(p.id, p);
          out += auctions.get(p.id)?.length ?? 0;
        }
      }
    }
    return out;
  },
  q5(events) {
    const g = new NexmarkGenerator({ eventsNum: events });
    const windows = new Map<number, Map<number, number>>();
    let maxTs = -Infinity;
    let out = 0;
    const fire = (wm: number): void => {
      for (const [start, counts] of windows) {
        if (start + 10_000 - 1 > wm) continue;
        let max = 0;
        for (const c of counts.values()) if (c > max) max = c;
        for (const c of counts.values()) if (c === max) out++;
        windows.delete(start);
      }
    };
    for (let n = 0; n < events; n++) {
      const e = g.generate(n);
      if (e.eventType === 2) {
        const b = e.bid!;
        const ts = b.dateTime;
        if (ts > maxTs) maxTs = ts;
        const last = ts - (ts % 2000);
        for (let start = last; start > ts - 10_000; start -= 2000) {
          let w = windows.get(start);
          if (!w) windows.set(start, (w = new Map()));
          w.set(b.auction, (w.get(b.auction) ?? 0) + 1);
        }
      }
      if (n % WM_EVERY === 0) fire(maxTs - DELAY);
    }
    fire(Infinity);
    return out;
  },
  q7(events) {
    const g = new NexmarkGenerator({ eventsNum: events });
    const windows = new Map<number, { price: number; bids: Bid[] }>();
    let maxTs = -Infinity;
    let out = 0;
    const fire = (wm: number): void => {
      for (const [start, m] of windows) {
        if (start + 10_000 - 1 > wm) continue;
        out += m.bids.length;
        windows.delete(start);
      }
    };
    for (let n = 0; n < events; n++) {
      const e = g.generate(n);
      if (e.eventType === 2) {
        const b = e.bid!;
        if (b.dateTime > maxTs) maxTs = b.dateTime;
        const start = b.dateTime - (b.dateTime % 10_000);
        const m = windows.get(start);
        if (!m || b.price > m.price) windows.set(start, { price: b.price, bids: [b] });
        else if (b.price === m.price) m.bids.push(b);
      }
      if (n % WM_EVERY === 0) fire(maxTs - DELAY);
    }
    fire(Infinity);
    return out;
  },
  q8(events) {
    const g = new NexmarkGenerator({ eventsNum: events });
    const windows = new Map<number, { people: Map<number, Person>; sellers: Set<number> }>();
    let maxTs = -Infinity;
    let out = 0;
    const win = (ts: number) => {
      const start = ts - (ts % 10_000);
      let w = windows.get(start);
      if (!w) windows.set(start, (w = { people: new Map(), sellers: new Set() }));
      return w;
    };
    const fire = (wm: number): void => {
      for (const [start, w] of windows) {
        if (start + 10_000 - 1 > wm) continue;
        for (const id of w.people.keys()) if (w.sellers.has(id)) out++;
        windows.delete(start);
      }
    };
    for (let n = 0; n < events; n++) {
      const e = g.generate(n);
      if (e.eventType === 0) {
        const p = e.person!;
        if (p.dateTime > maxTs) maxTs = p.dateTime;
        win(p.dateTime).people.set(p.id, p);
      } else if (e.eventType === 1) {
        const a = e.auction!;
        if (a.dateTime > maxTs) maxTs = a.dateTime;
        win(a.dateTime).sellers.add(a.seller);
      }
      if (n % WM_EVERY === 0) fire(maxTs - DELAY);
    }
    fire(Infinity);
    return out;
  },
  q11(events) {
    const g = new NexmarkGenerator({ eventsNum: events });
    const sessions = new Map<number, { start: number; end: number; count: number }>();
    let maxTs = -Infinity;
    let out = 0;
    const fire = (wm: number): void => {
      for (const [bidder, s] of sessions) {
        if (s.end - 1 > wm) continue;
        out++;
        sessions.delete(bidder);
      }
    };
    for (let n = 0; n < events; n++) {
      const e = g.generate(n);
      if (e.eventType === 2) {
        const b = e.bid!;
        const ts = b.dateTime;
        if (ts > maxTs) maxTs = ts;
        const s = sessions.get(b.bidder);
        // Sessions [start, end) that touch merge, as Flink's session windows do (TimeWindow.intersects is inclusive).
        if (s && ts <= s.end && ts + 10_000 >= s.start) {
          s.start = Math.min(s.start, ts);
          s.end = Math.max(s.end, ts + 10_000);
          s.count++;
        } else {
          if (s) out++;
          sessions.set(b.bidder, { start: ts, end: ts + 10_000, count: 1 });
        }
      }
      if (n % (WM_EVERY * 64) === 0) fire(maxTs - DELAY);
    }
    fire(Infinity);
    return out;
  },
};
