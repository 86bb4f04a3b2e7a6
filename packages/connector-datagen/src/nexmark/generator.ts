// The Nexmark event generator. Every event is a pure function of (config, event number): its kind comes from
// the position in a block of person+auction+bid proportion events, its ids from the event number, its event
// time from the event number and the rate, and its random choices from a counter-based stream seeded with
// (seed, event number). So any partition of event numbers over subtasks yields exactly the events of a single
// generator, and a split restored at "next event = k" resumes exactly.
//
// Semantics follow nexmark-flink's Person/Auction/BidGenerator (id formulas, hot-key ratios, price, category,
// channel/URL and `extra` sizes); the random streams differ (Flink's is unseeded java.util.Random). One
// deliberate difference: Flink adds the person id offset twice to bidders (nexmark issue #30); here bidder ids
// are person ids, as intended. The hot loop avoids per-event closures and string building: strings are
// table lookups or slices of per-seed random pools.
import type { ReaderOutput } from '@runnel/api/connector';
import { CounterRng } from '../internal/counter-rng.js';
import { resolveNexmarkConfig, type NexmarkConfig } from './config.js';
import type { Auction, Bid, NexmarkEvent, Person } from './model.js';
import {
  CHANNELS_NUMBER,
  FULL_NAMES,
  HOT_CHANNELS,
  nexmarkStrings,
  PAD4,
  US_CITIES,
  US_STATES,
  type NexmarkStrings,
} from './strings.js';

/** First person id and first auction id (Nexmark's `FIRST_PERSON_ID`, `FIRST_AUCTION_ID`). */
const FIRST_ID = 1000;
const FIRST_CATEGORY_ID = 10;
const NUM_CATEGORIES = 5;
/** Hot sellers/bidders/auctions are the first of each group of this many ids. */
const HOT_GROUP = 100;
/** Random person/auction ids may run this far ahead of the last generated one. */
const ID_LEAD = 10;
const HOT_CHANNELS_RATIO = 2;
const MIN_STRING_LENGTH = 3;
/**
 * ln(10) · 6: price = round(e^(u · ln 10 · 6) · 100) = round(10^(6u) · 100). A 32-bit u suffices: even at the
 * top price (10^8) consecutive u values are 0.3 apart, so every integer price stays reachable.
 */
const PRICE_EXP = Math.LN10 * 6;

/**
 * Generates Nexmark events by event number.
 *
 * @public
 */
export class NexmarkGenerator {
  /** The resolved configuration. */
  readonly config: NexmarkConfig;
  /** Event time of the event generated last (saves recomputing it when emitting). */
  lastTimestamp = 0;

  private readonly rng: CounterRng;
  private readonly strings: NexmarkStrings;
  private readonly total: number;
  private readonly personP: number;
  private readonly auctionP: number;
  private readonly auctionEnd: number;
  private readonly baseTime: number;
  private readonly delayUs: number;
  private readonly eventsForAuctions: number;
  private readonly hotAuctionRatio: number;
  private readonly hotBiddersRatio: number;
  private readonly hotSellersRatio: number;
  private readonly inFlightAuctions: number;
  private readonly activePeople: number;
  private readonly bidExtraMin: number;
  private readonly bidExtraSpan: number;
  private readonly letterRange: number;
  private readonly textRange: number;

  constructor(config: Partial<NexmarkConfig> = {}) {
    const c = resolveNexmarkConfig(config);
    this.config = c;
    this.rng = new CounterRng(c.seed);
    const maxExtra = Math.ceil(Math.max(c.personAvgSize, c.auctionAvgSize, c.bidAvgSize) * 1.25) + 1;
    this.strings = nexmarkStrings(c.seed, maxExtra);
    this.letterRange = this.strings.letters.length - maxExtra;
    this.textRange = this.strings.text.length - 100;
    this.personP = c.personProportion;
    this.auctionP = c.auctionProportion;
    this.total = c.personProportion + c.auctionProportion + c.bidProportion;
    this.auctionEnd = c.personProportion + c.auctionProportion;
    this.baseTime = c.baseTime;
    this.delayUs = 1_000_000 / c.firstEventRate;
    this.eventsForAuctions = Math.floor((c.numInFlightAuctions * this.total) / c.auctionProportion);
    this.hotAuctionRatio = c.hotAuctionRatio;
    this.hotBiddersRatio = c.hotBiddersRatio;
    this.hotSellersRatio = c.hotSellersRatio;
    this.inFlightAuctions = c.numInFlightAuctions;
    this.activePeople = c.numActivePeople;
    // A bid's fixed fields count 32 bytes (auction, bidder, price, dateTime); `extra` pads to the average.
    const [min, span] = extraBounds(32, c.bidAvgSize);
    this.bidExtraMin = min;
    this.bidExtraSpan = span;
  }

  /** Event time (epoch ms) of event `n`: base + n · 10^6 / rate µs, truncated as Nexmark does. */
  timestampForEvent(n: number): number {
    return this.baseTime + Math.floor(Math.trunc(n * this.delayUs) / 1000);
  }

  /** The event with number `n` (a non-negative integer). */
  generate(n: number): NexmarkEvent {
    const total = this.total;
    const epoch = Math.floor(n / total);
    const offset = n - epoch * total;
    const ts = this.baseTime + Math.floor(Math.trunc(n * this.delayUs) / 1000);
    this.lastTimestamp = ts;
    this.rng.reset(n);
    if (offset >= this.auctionEnd) {
      return { eventType: 2, person: null, auction: null, bid: this.nextBid(epoch, ts) };
    }
    if (offset >= this.personP) {
      return { eventType: 1, person: null, auction: this.nextAuction(n, epoch, offset, ts), bid: null };
    }
    return { eventType: 0, person: this.nextPerson(epoch, offset, ts), auction: null, bid: null };
  }

  /**
   * Writes events `first`, `first + stride`, ... (`count` of them) into `out` from index `outOffset`.
   */
  fill(out: NexmarkEvent[], first: number, stride: number, count: number, outOffset = 0): void {
    for (let i = 0, n = first; i < count; i++, n += stride) out[outOffset + i] = this.generate(n);
  }

  /**
   * Emits events `first`, `first + stride`, ... (`count` of them) with their event times.
   */
  emitRange(output: ReaderOutput<NexmarkEvent>, first: number, stride: number, count: number): void {
    for (let i = 0, n = first; i < count; i++, n += stride) {
      const event = this.generate(n);
      output.collect(event, this.lastTimestamp);
    }
  }

  private nextBid(epoch: number, ts: number): Bid {
    const rng = this.rng;
    const lastAuction = epoch * this.auctionP + this.auctionP - 1;
    let auction: number;
    if (rng.nextInt(this.hotAuctionRatio) > 0) {
      auction = Math.floor(lastAuction / HOT_GROUP) * HOT_GROUP;
    } else {
      const min = lastAuction > this.inFlightAuctions ? lastAuction - this.inFlightAuctions : 0;
      auction = min + rng.nextLong(lastAuction - min + 1 + ID_LEAD);
    }
    const lastPerson = epoch * this.personP + this.personP - 1;
    let bidder: number;
    if (rng.nextInt(this.hotBiddersRatio) > 0) {
      // The second person of the group, so that hot bidders and hot sellers differ.
      bidder = Math.floor(lastPerson / HOT_GROUP) * HOT_GROUP + 1;
    } else {
      bidder = this.randomPerson(lastPerson);
    }
    const price = Math.round(Math.exp(rng.nextFloat() * PRICE_EXP) * 100);
    let channel: string;
    let url: string;
    if (rng.nextInt(HOT_CHANNELS_RATIO) > 0) {
      const i = rng.nextInt(HOT_CHANNELS.length);
      channel = HOT_CHANNELS[i]!;
      url = this.strings.hotUrls[i]!;
    } else {
      const c = rng.nextInt(CHANNELS_NUMBER);
      channel = this.strings.channelNames[c]!;
      url = this.strings.channelUrls[c]!;
    }
    const extra = this.extra(this.bidExtraMin, this.bidExtraSpan);
    return { auction: auction + FIRST_ID, bidder: bidder + FIRST_ID, price, channel, url, dateTime: ts, extra };
  }

  private nextAuction(n: number, epoch: number, offset: number, ts: number): Auction {
    const rng = this.rng;
    const id = epoch * this.auctionP + (offset - this.personP) + FIRST_ID;
    const lastPerson = epoch * this.personP + this.personP - 1;
    const seller =
      (rng.nextInt(this.hotSellersRatio) > 0 ? Math.floor(lastPerson / HOT_GROUP) * HOT_GROUP : this.randomPerson(lastPerson)) +
      FIRST_ID;
    const category = FIRST_CATEGORY_ID + rng.nextInt(NUM_CATEGORIES);
    const initialBid = Math.round(Math.exp(rng.nextFloat() * PRICE_EXP) * 100);
    // Auctions last on average until `numInFlightAuctions` more auctions have been generated.
    const horizonMs = this.timestampForEvent(n + this.eventsForAuctions) - ts;
    const expires = ts + 1 + rng.nextLong(Math.max(horizonMs * 2, 1));
    const itemName = this.nextString(20);
    const description = this.nextString(100);
    const reserve = initialBid + Math.round(Math.exp(rng.nextFloat() * PRICE_EXP) * 100);
    const [min, span] = extraBounds(8 + itemName.length + description.length + 40, this.config.auctionAvgSize);
    const extra = this.extra(min, span);
    return { id, itemName, description, initialBid, reserve, dateTime: ts, expires, seller, category, extra };
  }

  private nextPerson(epoch: number, offset: number, ts: number): Person {
    const rng = this.rng;
    const id = epoch * this.personP + offset + FIRST_ID;
    const name = FULL_NAMES[rng.nextInt(FULL_NAMES.length)]!;
    const emailAddress = `${this.nextString(7)}@${this.nextString(5)}.com`;
    const creditCard = `${PAD4[rng.nextInt(10_000)]} ${PAD4[rng.nextInt(10_000)]} ${PAD4[rng.nextInt(10_000)]} ${PAD4[rng.nextInt(10_000)]}`;
    const city = US_CITIES[rng.nextInt(US_CITIES.length)]!;
    const state = US_STATES[rng.nextInt(US_STATES.length)]!;
    const size = 8 + name.length + emailAddress.length + creditCard.length + city.length + state.length;
    const [min, span] = extraBounds(size, this.config.personAvgSize);
    const extra = this.extra(min, span);
    return { id, name, emailAddress, creditCard, city, state, dateTime: ts, extra };
  }

  /** A random person among the active ones plus a few not generated yet (base 0). */
  private randomPerson(lastPerson: number): number {
    const numPeople = lastPerson + 1;
    const active = numPeople < this.activePeople ? numPeople : this.activePeople;
    return numPeople - active + this.rng.nextLong(active + ID_LEAD);
  }

  /** Nexmark's `nextString(max)`: 3..max-1 characters, about one in 13 a space, trimmed. */
  private nextString(max: number): string {
    const len = MIN_STRING_LENGTH + this.rng.nextInt(max - MIN_STRING_LENGTH);
    const off = this.rng.nextInt(this.textRange);
    return this.strings.text.slice(off, off + len).trim();
  }

  private extra(min: number, span: number): string {
    const size = span === 0 ? min : min + this.rng.nextInt(span);
    if (size <= 0) return '';
    const off = this.rng.nextInt(this.letterRange);
    return this.strings.letters.slice(off, off + size);
  }
}

/** Nexmark's `nextExtra` size law: uniform in [d − δ, d + δ) with d = avg − current and δ = round(0.2 · d). */
function extraBounds(currentSize: number, averageSize: number): [min: number, span: number] {
  if (currentSize > averageSize) return [0, 0];
  const d = averageSize - currentSize;
  const delta = Math.round(d * 0.2);
  return [d - delta, 2 * delta];
}

const generators = new WeakMap<object, NexmarkGenerator>();
let defaultGenerator: NexmarkGenerator | undefined;

/**
 * The event with number `eventNumber` under `config` (a pure function of the two). Generators are cached per
 * config object; for bulk generation use a {@link NexmarkGenerator} directly.
 *
 * @public
 */
export function generateEvent(eventNumber: number, config?: Partial<NexmarkConfig>): NexmarkEvent {
  let g: NexmarkGenerator | undefined;
  if (config === undefined) {
    g = defaultGenerator ??= new NexmarkGenerator();
  } else {
    g = generators.get(config);
    if (g === undefined) {
      g = new NexmarkGenerator(config);
      generators.set(config, g);
    }
  }
  return g.generate(eventNumber);
}
