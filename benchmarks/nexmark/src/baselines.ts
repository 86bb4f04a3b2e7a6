// Hand-written single-loop versions of the Nexmark queries: the generator and the query logic in one loop, no
// framework. They are the speed limit of the runtime on this machine: the DataStream versions pay for operators,
// state, timers and watermarks on top of the same generation and logic. Each one also produces the query's rows
// and adds each row's hash to a digest, as the DataStream version's sink does (result-digest.ts): the runner
// checks that both computed the same result.
import { NexmarkGenerator, type Auction, type Bid, type Person } from '@runnel/connector-datagen';
import { DigestBuilder, rowHash, type ResultDigest } from './result-digest.js';

/**
 * Runs a baseline over `events` events and returns the digest of its output rows. `firstEventRate` (events per
 * second of event time) is for tests; the benchmark keeps the generator's default.
 */
export type Baseline = (events: number, firstEventRate?: number) => ResultDigest;

const generator = (events: number, firstEventRate?: number): NexmarkGenerator =>
  new NexmarkGenerator({ eventsNum: events, ...(firstEventRate ? { firstEventRate } : {}) });

const WM_EVERY = 1024;
const DELAY = 4000 + 1;

export const baselines: Record<string, Baseline> = {
  q0(events, rate) {
    const g = generator(events, rate);
    const out = new DigestBuilder();
    for (let n = 0; n < events; n++) {
      const e = g.generate(n);
      if (e.eventType === 2) out.add(rowHash.q0(e.bid!));
    }
    return out.digest();
  },
  q1(events, rate) {
    const g = generator(events, rate);
    const out = new DigestBuilder();
    for (let n = 0; n < events; n++) {
      const e = g.generate(n);
      if (e.eventType !== 2) continue;
      const b = e.bid!;
      out.add(rowHash.q1({ auction: b.auction, bidder: b.bidder, price: 0.908 * b.price, dateTime: b.dateTime, extra: b.extra }));
    }
    return out.digest();
  },
  q2(events, rate) {
    const g = generator(events, rate);
    const out = new DigestBuilder();
    for (let n = 0; n < events; n++) {
      const e = g.generate(n);
      if (e.eventType === 2 && e.bid!.auction % 123 === 0) out.add(rowHash.q2({ auction: e.bid!.auction, price: e.bid!.price }));
    }
    return out.digest();
  },
  q3(events, rate) {
    const g = generator(events, rate);
    const persons = new Map<number, Person>();
    const auctions = new Map<number, Auction[]>();
    const out = new DigestBuilder();
    const row = (p: Person, a: Auction): void => out.add(rowHash.q3({ name: p.name, city: p.city, state: p.state, id: a.id }));
    for (let n = 0; n < events; n++) {
      const e = g.generate(n);
      if (e.eventType === 1 && e.auction!.category === 10) {
        const a = e.auction!;
        const p = persons.get(a.seller);
        if (p) row(p, a);
        const l = auctions.get(a.seller);
        if (l) l.push(a);
        else auctions.set(a.seller, [a]);
      } else if (e.eventType === 0) {
        const p = e.person!;
        if (p.state === 'OR' || p.state === 'ID' || p.state === 'CA') {
          persons.set(p.id, p);
          for (const a of auctions.get(p.id) ?? []) row(p, a);
        }
      }
    }
    return out.digest();
  },
  q5(events, rate) {
    const g = generator(events, rate);
    const windows = new Map<number, Map<number, number>>();
    let maxTs = -Infinity;
    const out = new DigestBuilder();
    const fire = (wm: number): void => {
      for (const [start, counts] of windows) {
        if (start + 10_000 - 1 > wm) continue;
        let max = 0;
        for (const c of counts.values()) if (c > max) max = c;
        for (const [auction, c] of counts) if (c === max) out.add(rowHash.q5({ auction, num: c, end: start + 10_000 }));
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
    return out.digest();
  },
  q7(events, rate) {
    const g = generator(events, rate);
    const windows = new Map<number, { price: number; bids: Bid[] }>();
    let maxTs = -Infinity;
    const out = new DigestBuilder();
    const fire = (wm: number): void => {
      for (const [start, m] of windows) {
        if (start + 10_000 - 1 > wm) continue;
        for (const b of m.bids) out.add(rowHash.q7(b));
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
    return out.digest();
  },
  q8(events, rate) {
    const g = generator(events, rate);
    const windows = new Map<number, { people: Map<number, Person>; sellers: Set<number> }>();
    let maxTs = -Infinity;
    const out = new DigestBuilder();
    const win = (ts: number) => {
      const start = ts - (ts % 10_000);
      let w = windows.get(start);
      if (!w) windows.set(start, (w = { people: new Map(), sellers: new Set() }));
      return w;
    };
    const fire = (wm: number): void => {
      for (const [start, w] of windows) {
        if (start + 10_000 - 1 > wm) continue;
        for (const [id, p] of w.people) if (w.sellers.has(id)) out.add(rowHash.q8({ id, name: p.name, starttime: start }));
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
    return out.digest();
  },
  q11(events, rate) {
    const g = generator(events, rate);
    const sessions = new Map<number, { start: number; end: number; count: number }>();
    let maxTs = -Infinity;
    const out = new DigestBuilder();
    const emit = (bidder: number, s: { start: number; end: number; count: number }): void =>
      out.add(rowHash.q11({ bidder, bidCount: s.count, start: s.start, end: s.end }));
    const fire = (wm: number): void => {
      for (const [bidder, s] of sessions) {
        if (s.end - 1 > wm) continue;
        emit(bidder, s);
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
          if (s) emit(b.bidder, s);
          sessions.set(b.bidder, { start: ts, end: ts + 10_000, count: 1 });
        }
      }
      if (n % (WM_EVERY * 64) === 0) fire(maxTs - DELAY);
    }
    fire(Infinity);
    return out.digest();
  },
};
