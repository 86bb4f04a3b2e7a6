// Connector factory `nexmark`: the Nexmark benchmark's source table, with nexmark-flink's option keys so the
// benchmark DDL (`'connector' = 'nexmark', 'first-event.rate' = ..., 'events.num' = ...`) runs unchanged.
import type { ConnectorContext, ConnectorFactory, OptionSpec, Source } from '@runnel/api/connector';
import { DEFAULT_NEXMARK_CONFIG as D, nexmarkConfigFromOptions, nexmarkRateLimitFromOptions } from '../nexmark/config.js';
import { NexmarkSource } from '../nexmark/nexmark-source.js';

const options: readonly OptionSpec[] = [
  { key: 'events.num', type: 'int', description: 'Events to generate; 0 = unbounded.', defaultValue: '0' },
  {
    key: 'first-event.rate',
    type: 'int',
    description: 'Events per second of event time (spacing of dateTime); not a wall-clock rate.',
    defaultValue: String(D.firstEventRate),
  },
  { key: 'next-event.rate', type: 'int', description: 'Accepted only equal to first-event.rate (constant rate).' },
  { key: 'rate.shape', type: 'enum', enumValues: ['SQUARE', 'SINE'], description: 'Ignored: the rate is constant.' },
  { key: 'person.proportion', type: 'int', description: 'Persons per block of events.', defaultValue: '1' },
  { key: 'auction.proportion', type: 'int', description: 'Auctions per block of events.', defaultValue: '3' },
  { key: 'bid.proportion', type: 'int', description: 'Bids per block of events.', defaultValue: '46' },
  { key: 'person.avg-size', type: 'memory-size', description: 'Average person size.', defaultValue: '200b' },
  { key: 'auction.avg-size', type: 'memory-size', description: 'Average auction size.', defaultValue: '500b' },
  { key: 'bid.avg-size', type: 'memory-size', description: 'Average bid size.', defaultValue: '100b' },
  { key: 'bid.hot-ratio.auctions', type: 'int', description: '1 in N bids go to a random auction, the rest to the hot one.', defaultValue: '2' },
  { key: 'bid.hot-ratio.bidders', type: 'int', description: '1 in N bids come from a random bidder, the rest from a hot one.', defaultValue: '4' },
  { key: 'auction.hot-ratio.sellers', type: 'int', description: '1 in N auctions have a random seller, the rest a hot one.', defaultValue: '4' },
  { key: 'base-time', type: 'int', description: 'Event time of the first event, epoch ms.', defaultValue: String(D.baseTime) },
  { key: 'seed', type: 'int', description: 'Seed of the random choices.', defaultValue: '0' },
  { key: 'rate-limit', type: 'double', description: 'Events per wall-clock second over all subtasks; 0 = unlimited.', defaultValue: '0' },
  { key: 'rate.limited', type: 'boolean', description: 'Pace events in wall-clock time at first-event.rate.', defaultValue: 'false' },
];

/**
 * Factory of the `nexmark` source.
 *
 * @public
 */
export const nexmarkConnectorFactory: ConnectorFactory = {
  identifier: 'nexmark',
  apiVersion: '^0.1.0',
  options,
  createSource(context: ConnectorContext): Source<unknown, any, any> {
    const config = nexmarkConfigFromOptions(context.options);
    return new NexmarkSource(config, { rateLimit: nexmarkRateLimitFromOptions(context.options, config) }) as Source<unknown, any, any>;
  },
};
