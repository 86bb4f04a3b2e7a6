// Connector factory `blackhole`: discards everything (benchmarks).
import type { ConnectorContext, ConnectorFactory, Sink } from '@runnel/api/connector';
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
  createSink(_context: ConnectorContext): Sink<unknown, any, any> {
    return new BlackholeSink<unknown>();
  },
};
