// Connector factory `print` (Flink's option keys: `print-identifier`, `standard-error`).
import type { ConnectorContext, ConnectorFactory, Sink } from '@runnel/api/connector';
import { PrintSink } from '../sinks/print-sink.js';
import { parseBooleanOption } from '../internal/options.js';

/**
 * Factory of the `print` sink.
 *
 * @public
 */
export const printConnectorFactory: ConnectorFactory = {
  identifier: 'print',
  apiVersion: '^0.1.0',
  options: [
    { key: 'print-identifier', type: 'string', description: 'Prefix of every printed line.' },
    { key: 'standard-error', type: 'boolean', description: 'Print to stderr instead of stdout.', defaultValue: 'false' },
  ],
  createSink(context: ConnectorContext): Sink<unknown, any, any> {
    const o = context.options;
    return new PrintSink<unknown>({
      printIdentifier: o['print-identifier'],
      standardError: o['standard-error'] === undefined ? false : parseBooleanOption('standard-error', o['standard-error']),
    });
  },
};
