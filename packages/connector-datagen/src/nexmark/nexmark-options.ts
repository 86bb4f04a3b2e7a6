// The options of the `nexmark` connector, declared as data, and the generator config they make. Keys are
// nexmark-flink's, so that the benchmark DDL (`'connector' = 'nexmark', 'first-event.rate' = ..., 'events.num' = ...`)
// runs unchanged. The generator's own checks (`resolveNexmarkConfig`) stay with the config, so programmatic configs
// get them too.
import { defineOption, parseOptions, type OptionSet } from '@runnel/api/config';
import { DEFAULT_NEXMARK_CONFIG as D, resolveNexmarkConfig, type NexmarkConfig } from './config.js';

/**
 * The options of the `nexmark` connector.
 *
 * @public
 */
export const NexmarkOptions = {
  eventsNum: defineOption({ key: 'events.num', type: 'long', min: 0, defaultValue: D.eventsNum, description: 'Events to generate; 0 = unbounded.' }),
  firstEventRate: defineOption({
    key: 'first-event.rate',
    type: 'double',
    defaultValue: D.firstEventRate,
    description: 'Events per second of event time (spacing of `dateTime`); not a wall-clock rate.',
  }),
  nextEventRate: defineOption({
    key: 'next-event.rate',
    type: 'double',
    defaultDescription: '= first-event.rate',
    description: 'Accepted only equal to `first-event.rate` (Runnel generates a constant rate).',
  }),
  rateShape: defineOption({ key: 'rate.shape', type: 'enum', values: ['SQUARE', 'SINE'], description: 'Ignored: the rate is constant.' }),
  ratePeriod: defineOption({
    key: 'rate.period',
    type: 'duration',
    description: 'The period of `rate.shape`; ignored: the rate is constant (accepted so that nexmark-flink DDL runs unchanged).',
  }),
  personProportion: defineOption({ key: 'person.proportion', type: 'int', defaultValue: D.personProportion, description: 'Persons per block of events.' }),
  auctionProportion: defineOption({ key: 'auction.proportion', type: 'int', defaultValue: D.auctionProportion, description: 'Auctions per block of events.' }),
  bidProportion: defineOption({ key: 'bid.proportion', type: 'int', defaultValue: D.bidProportion, description: 'Bids per block of events.' }),
  personAvgSize: defineOption({ key: 'person.avg-size', type: 'memory', defaultValue: D.personAvgSize, description: 'Average person size (the `extra` column pads events to it).' }),
  auctionAvgSize: defineOption({ key: 'auction.avg-size', type: 'memory', defaultValue: D.auctionAvgSize, description: 'Average auction size.' }),
  bidAvgSize: defineOption({ key: 'bid.avg-size', type: 'memory', defaultValue: D.bidAvgSize, description: 'Average bid size.' }),
  hotAuctionRatio: defineOption({
    key: 'bid.hot-ratio.auctions',
    type: 'int',
    defaultValue: D.hotAuctionRatio,
    description: '1 in N bids go to a random auction, the rest to the hot one.',
  }),
  hotBiddersRatio: defineOption({
    key: 'bid.hot-ratio.bidders',
    type: 'int',
    defaultValue: D.hotBiddersRatio,
    description: '1 in N bids come from a random bidder, the rest from a hot one.',
  }),
  hotSellersRatio: defineOption({
    key: 'auction.hot-ratio.sellers',
    type: 'int',
    defaultValue: D.hotSellersRatio,
    description: '1 in N auctions have a random seller, the rest a hot one.',
  }),
  baseTime: defineOption({ key: 'base-time', type: 'long', defaultValue: D.baseTime, description: 'Event time of the first event, epoch ms (2024-01-01 by default).' }),
  seed: defineOption({ key: 'seed', type: 'long', defaultValue: D.seed, description: 'Seed of the random choices.' }),
  rateLimit: defineOption({
    key: 'rate-limit',
    type: 'double',
    min: 0,
    defaultValue: 0,
    description: 'Events per wall-clock second over all subtasks; 0 = unlimited.',
  }),
  rateLimited: defineOption({
    key: 'rate.limited',
    type: 'boolean',
    defaultValue: false,
    description: 'Pace events in wall-clock time at `first-event.rate` (when `rate-limit` is not given).',
  }),
} as const;

/**
 * Every option of the `nexmark` connector (the factory's `options`).
 *
 * @public
 */
export const NEXMARK_OPTIONS: OptionSet = Object.values(NexmarkOptions);

/**
 * Builds a config from connector options keyed as in `nexmark-flink` (`events.num`, `first-event.rate`, ...);
 * unknown keys and bad values fail naming the key. `next-event.rate` is accepted when it equals
 * `first-event.rate` (Runnel generates a constant rate only). `context` starts every message (default `nexmark`).
 *
 * @public
 */
export function nexmarkConfigFromOptions(options: Readonly<Record<string, string>>, context = 'nexmark'): NexmarkConfig {
  const o = parseOptions(NEXMARK_OPTIONS, options, { context });
  const N = NexmarkOptions;
  const resolved = resolveNexmarkConfig({
    eventsNum: o.getOptional(N.eventsNum),
    firstEventRate: o.getOptional(N.firstEventRate),
    personProportion: o.getOptional(N.personProportion),
    auctionProportion: o.getOptional(N.auctionProportion),
    bidProportion: o.getOptional(N.bidProportion),
    personAvgSize: o.getOptional(N.personAvgSize),
    auctionAvgSize: o.getOptional(N.auctionAvgSize),
    bidAvgSize: o.getOptional(N.bidAvgSize),
    hotAuctionRatio: o.getOptional(N.hotAuctionRatio),
    hotBiddersRatio: o.getOptional(N.hotBiddersRatio),
    hotSellersRatio: o.getOptional(N.hotSellersRatio),
    baseTime: o.getOptional(N.baseTime),
    seed: o.getOptional(N.seed),
  });
  const next = o.getOptional(N.nextEventRate);
  if (next !== undefined && next !== resolved.firstEventRate) {
    throw new Error(
      `not supported: ${context} 'next-event.rate' (${next}) different from 'first-event.rate' (${resolved.firstEventRate}); ` +
        'Runnel generates a constant event rate',
    );
  }
  return resolved;
}

/**
 * Reads `rate-limit` (events per wall-clock second, 0 = unlimited), or, with `rate.limited` = true, the event
 * rate `first-event.rate` (Flink's way of pacing the generator in real time).
 *
 * @public
 */
export function nexmarkRateLimitFromOptions(options: Readonly<Record<string, string>>, config: NexmarkConfig, context = 'nexmark'): number {
  const o = parseOptions(NEXMARK_OPTIONS, options, { context });
  const limit = o.getOptional(NexmarkOptions.rateLimit);
  if (limit !== undefined) return limit;
  return o.get(NexmarkOptions.rateLimited) ? config.firstEventRate : 0;
}
