// Nexmark generator configuration. Field names mirror the option keys of the `nexmark-flink` connector
// (`events.num` → `eventsNum`), so that Nexmark DDL ports unchanged; `seed` and `base-time` are Runnel's
// additions that make runs reproducible (Flink's generator uses wall-clock base time and unseeded randomness).

/**
 * Configuration of the Nexmark generator.
 *
 * @public
 */
export interface NexmarkConfig {
  /** `events.num`: number of events to generate; 0 means unbounded. */
  readonly eventsNum: number;
  /** `first-event.rate`: events per second of *event time* (spacing of `dateTime`), not wall-clock speed. */
  readonly firstEventRate: number;
  /** `person.proportion`. */
  readonly personProportion: number;
  /** `auction.proportion`. */
  readonly auctionProportion: number;
  /** `bid.proportion`. */
  readonly bidProportion: number;
  /** `person.avg-size`: average person size in bytes (the `extra` column pads to it). */
  readonly personAvgSize: number;
  /** `auction.avg-size`: average auction size in bytes. */
  readonly auctionAvgSize: number;
  /** `bid.avg-size`: average bid size in bytes. */
  readonly bidAvgSize: number;
  /** `bid.hot-ratio.auctions`: 1 in this many bids goes to a random auction, the rest to the hot one. */
  readonly hotAuctionRatio: number;
  /** `bid.hot-ratio.bidders`: 1 in this many bids comes from a random bidder, the rest from a hot one. */
  readonly hotBiddersRatio: number;
  /** `auction.hot-ratio.sellers`: 1 in this many auctions has a random seller, the rest a hot one. */
  readonly hotSellersRatio: number;
  /** Auctions considered in flight (random bids pick among the newest this many). */
  readonly numInFlightAuctions: number;
  /** People considered active (random sellers and bidders pick among the newest this many). */
  readonly numActivePeople: number;
  /** `base-time`: event time of event 0, epoch milliseconds. */
  readonly baseTime: number;
  /** `seed`: seed of all random choices. */
  readonly seed: number;
}

/**
 * Defaults: Nexmark's, except `first-event.rate` (the benchmark suite's 10 M/s) and a fixed `base-time`.
 *
 * @public
 */
export const DEFAULT_NEXMARK_CONFIG: NexmarkConfig = Object.freeze({
  eventsNum: 0,
  firstEventRate: 10_000_000,
  personProportion: 1,
  auctionProportion: 3,
  bidProportion: 46,
  personAvgSize: 200,
  auctionAvgSize: 500,
  bidAvgSize: 100,
  hotAuctionRatio: 2,
  hotBiddersRatio: 4,
  hotSellersRatio: 4,
  numInFlightAuctions: 100,
  numActivePeople: 1000,
  baseTime: Date.UTC(2024, 0, 1),
  seed: 0,
});

/**
 * Fills in defaults and validates.
 *
 * @public
 */
export function resolveNexmarkConfig(config: Partial<NexmarkConfig> = {}): NexmarkConfig {
  const c: NexmarkConfig = { ...DEFAULT_NEXMARK_CONFIG, ...stripUndefined(config) };
  const nonNegative = (name: string, v: number): void => {
    if (!Number.isSafeInteger(v) || v < 0) throw new Error(`nexmark: ${name} must be a non-negative integer, got ${v}`);
  };
  const positive = (name: string, v: number): void => {
    if (!Number.isSafeInteger(v) || v < 1) throw new Error(`nexmark: ${name} must be a positive integer, got ${v}`);
  };
  nonNegative('events.num', c.eventsNum);
  if (!(c.firstEventRate > 0) || !Number.isFinite(c.firstEventRate)) {
    throw new Error(`nexmark: first-event.rate must be positive, got ${c.firstEventRate}`);
  }
  // Ids are derived from the last person/auction of the current block of events, so both must occur.
  positive('person.proportion', c.personProportion);
  positive('auction.proportion', c.auctionProportion);
  nonNegative('bid.proportion', c.bidProportion);
  nonNegative('person.avg-size', c.personAvgSize);
  nonNegative('auction.avg-size', c.auctionAvgSize);
  nonNegative('bid.avg-size', c.bidAvgSize);
  positive('bid.hot-ratio.auctions', c.hotAuctionRatio);
  positive('bid.hot-ratio.bidders', c.hotBiddersRatio);
  positive('auction.hot-ratio.sellers', c.hotSellersRatio);
  positive('numInFlightAuctions', c.numInFlightAuctions);
  positive('numActivePeople', c.numActivePeople);
  if (!Number.isSafeInteger(c.baseTime)) throw new Error(`nexmark: base-time must be an integer, got ${c.baseTime}`);
  if (!Number.isFinite(c.seed)) throw new Error(`nexmark: seed must be a finite number, got ${c.seed}`);
  return Object.freeze(c);
}

function stripUndefined<T extends object>(o: T): Partial<T> {
  const out: Partial<T> = {};
  for (const k of Object.keys(o) as (keyof T)[]) if (o[k] !== undefined) out[k] = o[k];
  return out;
}
