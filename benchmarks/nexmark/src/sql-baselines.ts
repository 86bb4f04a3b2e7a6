// Hand-written single-loop versions of the Nexmark queries run in SQL, with the SQL queries' output columns and
// changelogs: the generator and the query logic in one loop, plain Maps and Sets, no framework. Each hashes every
// row it emits as the SQL sink does (sqlRowHash, field by field) — for the updating queries (q15, q16, q17), the
// whole changelog a group aggregation emits: +I for a new group, then -U of the old row and +U of the new one for
// every bid, as Flink's GroupAggFunction does — so the runner can check that the SQL run produced the same result
// (table and number of changelog messages).
//
// q2 and q11 have the same output rows in SQL as in the DataStream versions, so their baselines are the
// DataStream baselines (baselines.ts). q0 and q1 differ: SQL's q0 has five of the bid's columns, not the whole
// bid, and SQL's q1 computes `0.908 * price` exactly, as a DECIMAL(23, 3) (unscaled: price × 908), not as a double.
import { NexmarkGenerator } from '@runnel/connector-datagen';
import { baselines, type Baseline } from './baselines.js';
import { DigestBuilder, HASH_SEED, hashEnd, hashNull, hashNum, hashStr } from './result-digest.js';

const generator = (events: number, firstEventRate?: number): NexmarkGenerator =>
  new NexmarkGenerator({ eventsNum: events, ...(firstEventRate ? { firstEventRate } : {}) });

const DAY_MS = 86_400_000;
const MINUTE_MS = 60_000;

/** DATE_FORMAT(ts, 'yyyy-MM-dd') and (ts, 'HH:mm') of TIMESTAMP(3) milliseconds, formatted once per day / minute. */
class DateText {
  private dayNum = NaN;
  private dayText = '';
  private minuteNum = NaN;
  private minuteText = '';
  day(ts: number): string {
    const d = Math.floor(ts / DAY_MS);
    if (d !== this.dayNum) {
      this.dayNum = d;
      this.dayText = new Date(d * DAY_MS).toISOString().slice(0, 10);
    }
    return this.dayText;
  }
  minute(ts: number): string {
    const m = Math.floor(ts / MINUTE_MS);
    if (m !== this.minuteNum) {
      this.minuteNum = m;
      this.minuteText = new Date(m * MINUTE_MS).toISOString().slice(11, 16);
    }
    return this.minuteText;
  }
}

/** The price ranks of q15–q17: 0 below 10 000, 1 below 1 000 000, 2 from there. */
const rank = (price: number): number => (price < 10_000 ? 0 : price < 1_000_000 ? 1 : 2);

/** q15/q16's aggregates per group: counts and distinct bidders and auctions, in total and per rank. */
class BidStats {
  readonly counts = [0, 0, 0, 0];
  readonly bidders = [new Set<number>(), new Set<number>(), new Set<number>(), new Set<number>()];
  readonly auctions = [new Set<number>(), new Set<number>(), new Set<number>(), new Set<number>()];
  add(price: number, bidder: number, auction: number): void {
    const r = 1 + rank(price);
    this.counts[0]!++;
    this.counts[r]!++;
    this.bidders[0]!.add(bidder);
    this.bidders[r]!.add(bidder);
    this.auctions[0]!.add(auction);
    this.auctions[r]!.add(auction);
  }
  /** Adds the 12 aggregate columns to a row hash. */
  hash(h: number): number {
    for (let i = 0; i < 4; i++) h = hashNum(h, this.counts[i]!);
    for (let i = 0; i < 4; i++) h = hashNum(h, this.bidders[i]!.size);
    for (let i = 0; i < 4; i++) h = hashNum(h, this.auctions[i]!.size);
    return h;
  }
}

/** The position of `channel_id=`'s value in a URL as REGEXP_EXTRACT(url, '(&|^)channel_id=([^&]*)', 2) finds it, or -1. */
function channelIdStart(url: string): number {
  const key = 'channel_id=';
  if (url.startsWith(key)) return key.length;
  const at = url.indexOf('&' + key);
  return at < 0 ? -1 : at + 1 + key.length;
}

export const sqlBaselines: Record<string, Baseline> = {
  /** SELECT auction, bidder, price, dateTime, extra FROM bid. */
  q0(events, rate) {
    const g = generator(events, rate);
    const out = new DigestBuilder();
    for (let n = 0; n < events; n++) {
      const e = g.generate(n);
      if (e.eventType !== 2) continue;
      const b = e.bid!;
      out.add(hashEnd(hashStr(hashNum(hashNum(hashNum(hashNum(HASH_SEED, b.auction), b.bidder), b.price), b.dateTime), b.extra)));
    }
    return out.changelogDigest();
  },
  /** SELECT auction, bidder, 0.908 * price AS price (DECIMAL(23, 3)), dateTime, extra FROM bid. */
  q1(events, rate) {
    const g = generator(events, rate);
    const out = new DigestBuilder();
    for (let n = 0; n < events; n++) {
      const e = g.generate(n);
      if (e.eventType !== 2) continue;
      const b = e.bid!;
      // The DECIMAL's unscaled value: exact below 2^53 (prices are far below 10^12).
      out.add(hashEnd(hashStr(hashNum(hashNum(hashNum(hashNum(HASH_SEED, b.auction), b.bidder), b.price * 908), b.dateTime), b.extra)));
    }
    return out.changelogDigest();
  },
  q2: baselines.q2!,
  q11: baselines.q11!,
  /** Per day: bids, distinct bidders and distinct auctions, in total and per price rank (an updating result). */
  q15(events, rate) {
    const g = generator(events, rate);
    const out = new DigestBuilder();
    const dates = new DateText();
    const groups = new Map<string, BidStats>();
    for (let n = 0; n < events; n++) {
      const e = g.generate(n);
      if (e.eventType !== 2) continue;
      const b = e.bid!;
      const day = dates.day(b.dateTime);
      let s = groups.get(day);
      if (s === undefined) groups.set(day, (s = new BidStats()));
      else out.remove(hashEnd(s.hash(hashStr(HASH_SEED, day))));
      s.add(b.price, b.bidder, b.auction);
      out.add(hashEnd(s.hash(hashStr(HASH_SEED, day))));
    }
    return out.changelogDigest();
  },
  /** q15 per channel and day, with the latest minute (MAX of 'HH:mm') of the group's bids. */
  q16(events, rate) {
    const g = generator(events, rate);
    const out = new DigestBuilder();
    const dates = new DateText();
    type Group = { stats: BidStats; minute: string };
    const days = new Map<string, Map<string, Group>>();
    const row = (channel: string, day: string, s: Group): number => hashEnd(s.stats.hash(hashStr(hashStr(hashStr(HASH_SEED, channel), day), s.minute)));
    for (let n = 0; n < events; n++) {
      const e = g.generate(n);
      if (e.eventType !== 2) continue;
      const b = e.bid!;
      const day = dates.day(b.dateTime);
      const minute = dates.minute(b.dateTime);
      let channels = days.get(day);
      if (channels === undefined) days.set(day, (channels = new Map()));
      let s = channels.get(b.channel);
      if (s === undefined) channels.set(b.channel, (s = { stats: new BidStats(), minute }));
      else out.remove(row(b.channel, day, s));
      s.stats.add(b.price, b.bidder, b.auction);
      if (minute > s.minute) s.minute = minute;
      out.add(row(b.channel, day, s));
    }
    return out.changelogDigest();
  },
  /** Per auction and day: bids in total and per rank, min, max, average (BIGINT: truncated) and sum of prices. */
  q17(events, rate) {
    const g = generator(events, rate);
    const out = new DigestBuilder();
    const dates = new DateText();
    type Group = { counts: number[]; min: number; max: number; sum: number };
    const days = new Map<string, Map<number, Group>>();
    const row = (auction: number, day: string, s: Group): number => {
      let h = hashStr(hashNum(HASH_SEED, auction), day);
      for (let i = 0; i < 4; i++) h = hashNum(h, s.counts[i]!);
      return hashEnd(hashNum(hashNum(hashNum(hashNum(h, s.min), s.max), Math.trunc(s.sum / s.counts[0]!)), s.sum));
    };
    for (let n = 0; n < events; n++) {
      const e = g.generate(n);
      if (e.eventType !== 2) continue;
      const b = e.bid!;
      const day = dates.day(b.dateTime);
      let auctions = days.get(day);
      if (auctions === undefined) days.set(day, (auctions = new Map()));
      let s = auctions.get(b.auction);
      if (s === undefined) auctions.set(b.auction, (s = { counts: [0, 0, 0, 0], min: b.price, max: b.price, sum: 0 }));
      else out.remove(row(b.auction, day, s));
      s.counts[0]!++;
      s.counts[1 + rank(b.price)]!++;
      if (b.price < s.min) s.min = b.price;
      if (b.price > s.max) s.max = b.price;
      s.sum += b.price;
      out.add(row(b.auction, day, s));
    }
    return out.changelogDigest();
  },
  /** Bids of the four named channels or with a `channel_id` in their URL, with the channel's id. */
  q21(events, rate) {
    const g = generator(events, rate);
    const out = new DigestBuilder();
    const named = new Map([['apple', '0'], ['google', '1'], ['facebook', '2'], ['baidu', '3']]);
    for (let n = 0; n < events; n++) {
      const e = g.generate(n);
      if (e.eventType !== 2) continue;
      const b = e.bid!;
      let id = named.get(b.channel.toLowerCase());
      if (id === undefined) {
        const at = channelIdStart(b.url);
        if (at < 0) continue;
        const end = b.url.indexOf('&', at);
        id = b.url.slice(at, end < 0 ? b.url.length : end);
      }
      out.add(hashEnd(hashStr(hashStr(hashNum(hashNum(hashNum(HASH_SEED, b.auction), b.bidder), b.price), b.channel), id)));
    }
    return out.changelogDigest();
  },
  /** Bids with the first three directories of their URL (SPLIT_INDEX(url, '/', 3..5), NULL past the end). */
  q22(events, rate) {
    const g = generator(events, rate);
    const out = new DigestBuilder();
    const part = (h: number, parts: string[], i: number): number => (i < parts.length ? hashStr(h, parts[i]!) : hashNull(h));
    for (let n = 0; n < events; n++) {
      const e = g.generate(n);
      if (e.eventType !== 2) continue;
      const b = e.bid!;
      const parts = b.url.split('/');
      out.add(hashEnd(part(part(part(hashStr(hashNum(hashNum(hashNum(HASH_SEED, b.auction), b.bidder), b.price), b.channel), parts, 3), parts, 4), parts, 5)));
    }
    return out.changelogDigest();
  },
};
