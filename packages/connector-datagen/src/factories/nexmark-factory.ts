// Connector factory `nexmark`: the Nexmark benchmark's source table, with nexmark-flink's option keys so the
// benchmark DDL (`'connector' = 'nexmark', 'first-event.rate' = ..., 'events.num' = ...`) runs unchanged.
import type { ConnectorContext, ConnectorFactory, Source } from '@runnel/api/connector';
import { NEXMARK_OPTIONS, nexmarkConfigFromOptions, nexmarkRateLimitFromOptions } from '../nexmark/nexmark-options.js';
import { NexmarkSource } from '../nexmark/nexmark-source.js';

/**
 * Factory of the `nexmark` source.
 *
 * @public
 */
export const nexmarkConnectorFactory: ConnectorFactory = {
  identifier: 'nexmark',
  apiVersion: '^0.1.0',
  options: NEXMARK_OPTIONS,
  createSource(context: ConnectorContext): Source<unknown, any, any> {
    const config = nexmarkConfigFromOptions(context.options);
    return new NexmarkSource(config, { rateLimit: nexmarkRateLimitFromOptions(context.options, config) }) as Source<unknown, any, any>;
  },
};
