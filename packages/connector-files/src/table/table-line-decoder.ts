// Lines of a `filesystem` table through its format: each line goes to the table's `TableDecoder` (the format with
// the table's error policy applied) with its file and line number, so a malformed line is reported, skipped or
// dead-lettered as `file:line`. Rows are cut to the requested physical columns (the format decodes the whole
// physical row: a positional format such as CSV cannot decode a projection) and get the requested metadata
// appended; dead letters pass through as they come (the planner splits them off after the source).
import { basename } from 'node:path';
import { DeadLetter, type Row, type TableDecoder } from '@runnel/api/table';
import type { LineDecoder, SourceFile } from '../line-decoder.js';

/**
 * The metadata a `filesystem` table can read (Flink's keys).
 *
 * @internal
 */
export type FileMetadataKey = 'file.path' | 'file.name' | 'file.size' | 'file.modification-time';

/**
 * Decodes a table's lines into rows of the requested columns and metadata.
 *
 * @internal
 */
export class TableLineDecoder implements LineDecoder<Row | DeadLetter> {
  readonly needsFileStats: boolean;
  private out: (record: Row | DeadLetter) => void = () => {};
  private file: SourceFile | undefined;
  private metadata: unknown[] = [];
  /** Called by the format for each decoded row: bound once, so a line costs no new closure. */
  private readonly onDecoded = (record: Row | DeadLetter): void => {
    if (record instanceof DeadLetter) {
      this.out(record);
      return;
    }
    const projection = this.projection;
    const metadata = this.metadata;
    if (projection === undefined && metadata.length === 0) {
      this.out(record);
      return;
    }
    const source = record.fields;
    const k = projection === undefined ? source.length : projection.length;
    const fields = new Array<unknown>(k + metadata.length);
    for (let i = 0; i < k; i++) fields[i] = source[projection === undefined ? i : projection[i]!];
    for (let i = 0; i < metadata.length; i++) fields[k + i] = metadata[i];
    this.out({ kind: record.kind, fields });
  };

  constructor(
    private readonly decoder: TableDecoder,
    /** Positions of the requested columns in the decoded row; undefined when they are all of them, in order. */
    private readonly projection: readonly number[] | undefined,
    private readonly metadataKeys: readonly FileMetadataKey[],
  ) {
    this.needsFileStats = metadataKeys.some((k) => k === 'file.size' || k === 'file.modification-time');
  }

  decode(text: string, emit: (record: Row | DeadLetter) => void, file: SourceFile, line: number): void {
    this.out = emit;
    if (file !== this.file) {
      this.file = file;
      this.metadata = this.metadataKeys.map((k) => metadataValue(k, file));
    }
    this.decoder.decode(text, this.onDecoded, file.path, line);
  }
}

function metadataValue(key: FileMetadataKey, file: SourceFile): unknown {
  switch (key) {
    case 'file.path':
      return file.path;
    case 'file.name':
      return basename(file.path);
    case 'file.size':
      return BigInt(file.size ?? 0);
    case 'file.modification-time':
      return Math.floor(file.modificationTime ?? 0);
  }
}
