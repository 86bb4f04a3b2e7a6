// Connector factory `blackhole`: discards everything (benchmarks).
import type { ConnectorContext, ConnectorFactory, Sink } from '@runnel/api/connector';
import { parseOptions } from '@runnel/api/config';
import { BlackholeSink } from '../sinks/blackhole-sink.js';

/**
 * Factory of the `blackhole` sink.
 *
 * @public
 */
export const blackholeConnectorFactory: ConnectorFactory = {
  identifier: 'blackhole',
  apiVersion: '^0.1.0',
  options: [],
  createSink(context: ConnectorContext): Sink<unknown, any, any> {
    // No options: anything given is a mistake worth reporting.
    parseOptions([], context.options, { context: `blackhole table '${context.name}'` });
    return new BlackholeSink<unknown>();
  },
};
