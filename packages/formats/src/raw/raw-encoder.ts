// The `raw` encoder: the value of the row's single field as the message's bytes (STRING in the charset, BYTES as
// they are, numbers in the configured byte order). A null value cannot be written: Flink writes a null message
// (a Kafka tombstone), which a `RowEncoder` has no way to return, so it is a `FormatError` rather than a guess.
import { FormatError, formatLogicalType, type Row, type RowEncoder, type RowType } from '@runnel/api/table';
import { describeValue } from '../internal/field-error.js';
import type { RawSettings } from './raw-options.js';
import { rawFieldType } from './raw-row-type.js';

/** Writes the non-null value of the single field as bytes. */
type ValueWriter = (value: unknown) => Uint8Array;

/**
 * Encodes single-field rows as whole messages.
 *
 * @internal
 */
export class RawRowEncoder implements RowEncoder {
  private readonly write: ValueWriter;
  private readonly name: string;

  constructor(rowType: RowType, settings: RawSettings) {
    const type = rawFieldType(rowType);
    this.name = rowType.fields[0]!.name;
    const { charset, littleEndian } = settings;
    const what = formatLogicalType(type);
    const wrong = (v: unknown, expected: string): never => {
      throw new FormatError(`cannot encode: field '${this.name}': expected ${expected} for ${what}, got ${describeValue(v)}`);
    };
    const fixed = (size: number, set: (view: DataView, v: unknown) => void): ValueWriter => (v) => {
      const out = new Uint8Array(size);
      set(new DataView(out.buffer), v);
      return out;
    };
    const number = (v: unknown): number => (typeof v === 'number' ? v : wrong(v, 'a number'));
    switch (type.root) {
      case 'CHAR':
      case 'VARCHAR':
        this.write = (v) => (typeof v === 'string' ? charset.encode(v) : wrong(v, 'a string'));
        break;
      case 'BINARY':
      case 'VARBINARY':
        this.write = (v) => (v instanceof Uint8Array ? v : wrong(v, 'a Uint8Array'));
        break;
      case 'BOOLEAN':
        this.write = (v) => Uint8Array.of(typeof v === 'boolean' ? (v ? 1 : 0) : wrong(v, 'a boolean'));
        break;
      case 'TINYINT':
        this.write = fixed(1, (d, v) => d.setInt8(0, number(v)));
        break;
      case 'SMALLINT':
        this.write = fixed(2, (d, v) => d.setInt16(0, number(v), littleEndian));
        break;
      case 'INTEGER':
        this.write = fixed(4, (d, v) => d.setInt32(0, number(v), littleEndian));
        break;
      case 'BIGINT':
        this.write = fixed(8, (d, v) =>
          d.setBigInt64(0, typeof v === 'bigint' ? v : typeof v === 'number' && Number.isInteger(v) ? BigInt(v) : wrong(v, 'a bigint'), littleEndian),
        );
        break;
      case 'FLOAT':
        this.write = fixed(4, (d, v) => d.setFloat32(0, number(v), littleEndian));
        break;
      default: // DOUBLE; rawFieldType refused the other types
        this.write = fixed(8, (d, v) => d.setFloat64(0, number(v), littleEndian));
    }
  }

  encode(row: Row): Uint8Array {
    const v = row.fields[0];
    if (v === null || v === undefined) {
      throw new FormatError(`cannot encode: field '${this.name}' is null, and the raw format has no bytes for null (Flink writes a null message)`);
    }
    return this.write(v);
  }
}
