// Formats turn bytes into rows and rows into bytes for a given row type (Flink's `DecodingFormat` and
// `EncodingFormat`). A format is found by its identifier (`'format' = 'json'`, `'value.format' = 'csv'`), takes its
// options under its own prefix (`json.fail-on-missing-field`) and declares the changelog it produces (a CDC format
// produces updates and deletes). Decoders throw a FormatError on bad input; the error policy (fail, skip,
// dead-letter) is applied around them by the planner, which knows where the bytes came from.
import type { OptionSet } from '../config/option-declaration.js';
import type { ChangelogMode } from './changelog-mode.js';
import type { LogicalType, RowType } from './logical-type.js';
import type { Row } from './row.js';

/**
 * What a format factory receives.
 *
 * @public
 */
export interface FormatContext {
  /** The rows to produce or consume. */
  readonly rowType: RowType;
  /** The format's options without their prefix (`fail-on-missing-field` for `json.fail-on-missing-field`). */
  readonly options: Readonly<Record<string, string>>;
  /** The session configuration (`table.local-time-zone`, ...). */
  readonly config: Readonly<Record<string, string>>;
  /**
   * Keys of the factory's `readableMetadata` that decoded rows carry after the fields of `rowType`, in this order
   * (a `debezium-json` value's `source.database`, asked for by a Kafka table's `METADATA FROM 'value.source.database'`
   * column). Absent or empty: none. Decoders only.
   */
  readonly metadataKeys?: readonly string[];
}

/**
 * Decodes one message (a line, a Kafka value) into zero or more rows.
 *
 * @public
 */
export interface RowDecoder {
  readonly changelogMode: ChangelogMode;
  /** Calls `emit` for each row of the message; throws a {@link FormatError} when the message is malformed. */
  decode(message: Uint8Array | string, emit: (row: Row) => void): void;
}

/**
 * Encodes one row into a message.
 *
 * @public
 */
export interface RowEncoder {
  /**
   * The row kinds the encoder can write (a CDC format such as `debezium-json` writes all four); absent means
   * insert-only. A sink that writes through the encoder accepts what it declares.
   */
  readonly changelogMode?: ChangelogMode;
  encode(row: Row): Uint8Array | string;
}

/**
 * A format, published by a formats package.
 *
 * @public
 */
export interface FormatFactory {
  /** Tells the plugin registry what this factory is. */
  readonly kind: 'format';
  /** The value of `format`, e.g. `json`. */
  readonly identifier: string;
  /** The semver range of `@runnel/api` this factory was built for. */
  readonly apiVersion: string;
  /** The options, declared without the prefix (`fail-on-missing-field`). */
  readonly options: OptionSet;
  /**
   * Optional capability (Flink's `DecodingFormat.listReadableMetadata`): the metadata a decoder can append to each
   * row, by key, with its type. A connector exposes it under its own prefix (`value.ingestion-timestamp`).
   */
  readonly readableMetadata?: Readonly<Record<string, LogicalType>>;
  createDecoder?(context: FormatContext): RowDecoder;
  createEncoder?(context: FormatContext): RowEncoder;
}

/**
 * A message a format could not decode or a row it could not encode. `position` is filled in by whoever knows where
 * the message came from (`orders.json:17`, `topic events, partition 2, offset 4711`).
 *
 * @public
 */
export class FormatError extends Error {
  override readonly name = 'FormatError';
  constructor(
    /** What is wrong, without the position. */
    readonly detail: string,
    /** Where the message came from, when known. */
    readonly position?: string,
  ) {
    super(position === undefined ? detail : `${detail} (at ${position})`);
  }

  /** The same error with the message's position. */
  at(position: string): FormatError {
    const e = new FormatError(this.detail, position);
    e.stack = this.stack;
    return e;
  }
}
