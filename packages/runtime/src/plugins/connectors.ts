// Connectors by identifier in a DataStream job: `await connectorSource('kafka', { topic: 'events', ... })` finds the
// installed package whose manifest provides the connector (the same lookup SQL's `'connector' = '...'` uses), checks
// its `@runnel/api` range, and has its factory validate the options (text, as in a table's WITH clause) and create
// the Source or Sink. The job function awaits it; it runs in the coordinator and again in every worker, which find
// the same package. Trade-off: the lookup is asynchronous (it may import the package), so these are functions a job
// awaits rather than methods of the (synchronous) stream builders.
import type { ColumnSpec, ConnectorFactory, Sink, Source } from '@runnel/api';
import { ConfigurationError } from '@runnel/api/config';
import { pluginRegistry } from './plugin-registry.js';

/**
 * Where to look up a connector, and what it is told besides its options.
 *
 * @public
 */
export interface ConnectorSettings {
  /** The name of the table or stream, for error messages (default: the identifier). */
  readonly name?: string;
  /** The columns, for connectors that are told their schema (as a SQL table's columns; `datagen` needs them). */
  readonly columns?: readonly ColumnSpec[];
  /**
   * The job module (`import.meta.url` or a path): packages installed around it are searched first. Without it,
   * those around the working directory and the runtime are searched.
   */
  readonly from?: string;
}

/**
 * A connector's options: text, as in a table's `WITH (...)`, which the connector declares and parses (numbers and
 * booleans are written as text).
 *
 * @public
 */
export type ConnectorOptions = Readonly<Record<string, string | number | boolean>>;

function textOptions(identifier: string, options: ConnectorOptions): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [k, v] of Object.entries(options)) {
    if (k === 'connector') throw new ConfigurationError(`connector '${identifier}': the option 'connector' is the identifier itself; remove it`, 'connector');
    if (typeof v !== 'string' && typeof v !== 'number' && typeof v !== 'boolean') {
      throw new ConfigurationError(`connector '${identifier}': option '${k}' must be text, a number or a boolean`, k);
    }
    out[k] = String(v);
  }
  return out;
}

async function factoryFor(identifier: string, settings: ConnectorSettings): Promise<ConnectorFactory> {
  return pluginRegistry(settings.from).find<ConnectorFactory>('connectors', identifier);
}

/**
 * Creates the source of the installed connector `identifier` with `options` (its declared options; unknown keys
 * fail with the closest valid one). Use it with `env.fromSource(...)`.
 *
 * @public
 */
export async function connectorSource<T>(identifier: string, options: ConnectorOptions = {}, settings: ConnectorSettings = {}): Promise<Source<T, any, any>> {
  const factory = await factoryFor(identifier, settings);
  if (!factory.createSource) throw new ConfigurationError(`connector '${identifier}' cannot be read from: it provides a sink only`, 'connector');
  return factory.createSource({ name: settings.name ?? identifier, options: textOptions(identifier, options), columns: settings.columns }) as Source<T, any, any>;
}

/**
 * Creates the sink of the installed connector `identifier` with `options`. Use it with `stream.sinkTo(...)`.
 *
 * @public
 */
export async function connectorSink<T>(identifier: string, options: ConnectorOptions = {}, settings: ConnectorSettings = {}): Promise<Sink<T, any, any>> {
  const factory = await factoryFor(identifier, settings);
  if (!factory.createSink) throw new ConfigurationError(`connector '${identifier}' cannot be written to: it provides a source only`, 'connector');
  return factory.createSink({ name: settings.name ?? identifier, options: textOptions(identifier, options), columns: settings.columns }) as Sink<T, any, any>;
}
