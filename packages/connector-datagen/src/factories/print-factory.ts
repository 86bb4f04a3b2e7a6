// Connector factory `print` (Flink's option keys: `print-identifier`, `standard-error`).
import type { ConnectorContext, ConnectorFactory, Sink } from '@runnel/api/connector';
import { defineOption, parseOptions } from '@runnel/api/config';
import { PrintSink } from '../sinks/print-sink.js';

/**
 * The options of the `print` connector.
 *
 * @public
 */
export const PrintOptions = {
  printIdentifier: defineOption({ key: 'print-identifier', type: 'string', description: 'Prefix of every printed line.' }),
  standardError: defineOption({ key: 'standard-error', type: 'boolean', defaultValue: false, description: 'Print to stderr instead of stdout.' }),
} as const;

/**
 * Factory of the `print` sink.
 *
 * @public
 */
export const printConnectorFactory: ConnectorFactory = {
  identifier: 'print',
  apiVersion: '^0.1.0',
  options: Object.values(PrintOptions),
  createSink(context: ConnectorContext): Sink<unknown, any, any> {
    const o = parseOptions(Object.values(PrintOptions), context.options, { context: `print table '${context.name}'` });
    return new PrintSink<unknown>({
      printIdentifier: o.get(PrintOptions.printIdentifier),
      standardError: o.get(PrintOptions.standardError),
    });
  },
};
