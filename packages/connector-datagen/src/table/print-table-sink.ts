// The `print` connector as a SQL table sink (Flink's `PrintTableSinkFactory`): every row is printed as Flink prints
// it (`+I[1, abc, 2020-01-01T10:00]`, see `row-text.ts`), behind the same prefix as the DataStream print sink
// (`<identifier>:<subtask>> `), on stdout or stderr. It accepts every changelog kind: printing is how one looks at
// a query's updates and retractions.
import type { Sink } from '@runnel/api/connector';
import type { ChangelogMode, Row, SinkRequest, TableSink } from '@runnel/api/table';
import { ConfigurationError } from '@runnel/api/config';
import { PrintSink, type TextWriter } from '../sinks/print-sink.js';
import { rowTextFormatter } from './row-text.js';

/**
 * Settings of a {@link PrintTableSink}.
 *
 * @public
 */
export interface PrintTableSinkSettings {
  /** The table's name, for messages. */
  readonly tableName: string;
  /** `print-identifier`: printed before every row. */
  readonly printIdentifier?: string;
  /** `standard-error`: print to stderr instead of stdout. */
  readonly standardError?: boolean;
  /** `sink.parallelism`: the parallelism the sink asks for (the planner decides; see {@link PrintTableSink.parallelism}). */
  readonly parallelism?: number;
  /** Where the text goes (default: `process.stdout` / `process.stderr`); for tests. */
  readonly writer?: TextWriter;
}

/**
 * The `print` table sink.
 *
 * @public
 */
export class PrintTableSink implements TableSink {
  /**
   * `sink.parallelism`, when given. The table-sink contract has no field for it yet, so it is offered here for a
   * planner that looks for it; without one the sink runs at the parallelism of its input.
   */
  readonly parallelism: number | undefined;

  constructor(private readonly settings: PrintTableSinkSettings) {
    this.parallelism = settings.parallelism;
  }

  /** Every kind is accepted: the requested mode is returned as is. */
  changelogMode(requested: ChangelogMode): ChangelogMode {
    return requested;
  }

  createSink(request: SinkRequest): Sink<Row, any, any> {
    if (request.metadataKeys.length > 0) {
      throw new ConfigurationError(`print table '${this.settings.tableName}': no writable metadata (asked for ${request.metadataKeys.join(', ')})`);
    }
    return new PrintSink<Row>({
      printIdentifier: this.settings.printIdentifier,
      standardError: this.settings.standardError,
      writer: this.settings.writer,
      format: rowTextFormatter(request.consumedType),
    });
  }

  summary(): string {
    return `Print to ${this.settings.standardError ? 'System.err' : 'System.out'}`;
  }
}
