// The `raw` decoder: the whole message is the value of the row's single field. STRING values are decoded in the
// charset (a text message is taken as is), BYTES are the message's bytes (not copied), numbers are read from exactly
// as many bytes as the type has, in the configured byte order, as Flink's raw format does.
import { FormatError, formatLogicalType, INSERT_ONLY, RowKind, type ChangelogMode, type Row, type RowDecoder, type RowType } from '@runnel/api/table';
import type { RawSettings } from './raw-options.js';
import { rawFieldType } from './raw-row-type.js';

/** Reads the value of the single field from the message. */
type ValueReader = (message: Uint8Array | string) => unknown;

/**
 * Decodes whole messages into single-field rows.
 *
 * @internal
 */
export class RawRowDecoder implements RowDecoder {
  readonly changelogMode: ChangelogMode = INSERT_ONLY;
  private readonly read: ValueReader;

  constructor(rowType: RowType, settings: RawSettings) {
    const type = rawFieldType(rowType);
    const { charset, littleEndian } = settings;
    const bytesOf = (m: Uint8Array | string): Uint8Array => (typeof m === 'string' ? charset.encode(m) : m);
    /** A reader of a number of `size` bytes. */
    const fixed = (size: number, get: (view: DataView) => unknown): ValueReader => {
      const typeName = formatLogicalType({ ...type, nullable: true });
      return (m) => {
        const b = bytesOf(m);
        if (b.length !== size) throw new FormatError(`expected ${size} byte${size === 1 ? '' : 's'} for ${typeName}, got ${b.length}`);
        return get(new DataView(b.buffer, b.byteOffset, size));
      };
    };
    switch (type.root) {
      case 'CHAR':
      case 'VARCHAR':
        this.read = (m) => (typeof m === 'string' ? m : charset.decode(m));
        break;
      case 'BINARY':
      case 'VARBINARY':
        this.read = bytesOf;
        break;
      case 'BOOLEAN':
        this.read = fixed(1, (v) => v.getUint8(0) !== 0);
        break;
      case 'TINYINT':
        this.read = fixed(1, (v) => v.getInt8(0));
        break;
      case 'SMALLINT':
        this.read = fixed(2, (v) => v.getInt16(0, littleEndian));
        break;
      case 'INTEGER':
        this.read = fixed(4, (v) => v.getInt32(0, littleEndian));
        break;
      case 'BIGINT':
        this.read = fixed(8, (v) => v.getBigInt64(0, littleEndian));
        break;
      case 'FLOAT':
        this.read = fixed(4, (v) => v.getFloat32(0, littleEndian));
        break;
      default: // DOUBLE; rawFieldType refused the other types
        this.read = fixed(8, (v) => v.getFloat64(0, littleEndian));
    }
  }

  decode(message: Uint8Array | string, emit: (row: Row) => void): void {
    emit({ kind: RowKind.INSERT, fields: [this.read(message)] });
  }
}
