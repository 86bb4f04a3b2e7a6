// Binlog positions: a file and an offset in it (what `SHOW MASTER STATUS`, MariaDB's `binlog_snapshot_file` /
// `binlog_snapshot_position` and the binlog events report), plus the GTID position of the last transaction read
// (MariaDB `domain-server-seq`, comma-separated per domain), kept in checkpoints for operators and for resuming by
// GTID. Positions order by the file's sequence number, then the offset: the binlog index names files
// `<base>.<number>`, and rotations only ever increase the number.

/**
 * A position in the binlog: `file` and `pos` (an event boundary), and the GTID position there when known.
 *
 * @public
 */
export interface BinlogPosition {
  readonly file: string;
  readonly pos: number;
  /** GTID position (MariaDB `domain-server-seq[,...]`) of the transactions up to here, when known. */
  readonly gtid?: string;
}

/** The sequence number of a binlog file name (`binlog.000042` -> 42). */
export function binlogFileNumber(file: string): number {
  const m = /\.(\d+)$/.exec(file);
  if (m === null) throw new Error(`mysql-cdc: unexpected binlog file name '${file}' (expected <base>.<number>)`);
  return Number(m[1]);
}

/**
 * Compares two positions: negative, 0 or positive.
 *
 * @public
 */
export function compareBinlogPositions(a: { file: string; pos: number }, b: { file: string; pos: number }): number {
  if (a.file !== b.file) return binlogFileNumber(a.file) - binlogFileNumber(b.file);
  return a.pos - b.pos;
}

/** `binlog.000001:4 (gtid 0-1-5)`, for messages. */
export function formatBinlogPosition(p: BinlogPosition | undefined): string {
  if (p === undefined) return '(none)';
  return `${p.file}:${p.pos}${p.gtid ? ` (gtid ${p.gtid})` : ''}`;
}

/** Validates a decoded position. @internal */
export function validatePosition(v: unknown, what: string): BinlogPosition {
  const p = v as Partial<BinlogPosition> | null;
  if (typeof p !== 'object' || p === null || typeof p.file !== 'string' || !Number.isSafeInteger(p.pos) || (p.pos as number) < 0) {
    throw new Error(`${what}: invalid binlog position ${JSON.stringify(v)}`);
  }
  return p.gtid === undefined || p.gtid === null ? { file: p.file, pos: p.pos as number } : { file: p.file, pos: p.pos as number, gtid: String(p.gtid) };
}

/** Folds a transaction's GTID (`d-s-n`) into a GTID position (one entry per domain, the newest wins). */
export function advanceGtid(position: string | undefined, gtid: string): string {
  const domain = gtid.slice(0, gtid.indexOf('-'));
  if (position === undefined || position === '') return gtid;
  const parts = position.split(',');
  let found = false;
  for (let i = 0; i < parts.length; i++) {
    if (parts[i]!.slice(0, parts[i]!.indexOf('-')) === domain) {
      parts[i] = gtid;
      found = true;
    }
  }
  if (!found) parts.push(gtid);
  return parts.join(',');
}
