// Projection push-down into table sources (Flink's PushProjectIntoTableSourceScanRule, nested fields included): a
// source that declares `projectionPushDown` is asked for only the physical columns the job reads and, for
// `'nested'`, for ROW columns with only the fields read. Nexmark's DDL, say, declares `bid ROW<auction, bidder,
// price, channel, url, dateTime, extra>` and q2 reads `bid.auction` and `bid.price` (and `bid.dateTime` for the
// rowtime): the source then builds and converts three fields of each bid instead of seven, and none of the person's
// and auction's fields but their `dateTime`.
//
// What is read is found over the whole job before translation (every INSERT and the SELECT of a statement set share
// their scans): a scan is pruned only when every node reading it is a Calc fused with it (calc-fusion.ts), whose
// expressions over the raw row are known; any other reader (an aggregation straight over the scan, a Calc that is
// not fused, the scan as the result) takes the row as it is. A ROW column is pruned when it is read only through
// field accesses (`bid.price`); read whole anywhere, it is kept whole. The plan is not rewritten: the scan keeps its
// node (its uid and EXPLAIN text, hence savepoints, do not change); the translator requests the pruned type and
// rewrites the fused expressions over the pruned row. The Table API's incremental translation (a table turned into
// a DataStream, then another) does not know every reader in advance and prunes nothing.
import type { LogicalType } from '@runnel/api/table';
import { fieldAccess } from '../binder/rex-builders.js';
import { substituteInputs } from '../codegen/rex-substitute.js';
import { inputsOfRel, type Rel, type ScanRel } from '../plan/rel.js';
import type { Rex } from '../plan/rex.js';
import { fuseCalcs } from './calc-fusion.js';

/** How a job reads one raw field of a scan: whole, or only these fields of a ROW (absent: not at all). */
type FieldUse = 'whole' | Set<string>;

/** What each scan of a job reads of its raw row, per raw field; `'all'` where a reader takes the row as it is. @internal */
export type ScanUses = ReadonlyMap<ScanRel, readonly (FieldUse | undefined)[] | 'all'>;

/** What the nodes under `roots` read of each scan's raw row. @internal */
export function scanUses(roots: readonly Rel[]): ScanUses {
  const uses = new Map<ScanRel, (FieldUse | undefined)[] | 'all'>();
  const add = (scan: ScanRel, exprs: readonly Rex[]): void => {
    let u = uses.get(scan);
    if (u === 'all') return;
    if (u === undefined) {
      uses.set(scan, (u = new Array<FieldUse | undefined>(scan.rawFields.length)));
      // The timestamps (and a watermark that is not over the rowtime alone) are computed from the raw row.
      const wm = scan.watermark;
      if (wm) exprs = [...exprs, scan.projects[wm.rowtime]!, substituteInputs(wm.expr, scan.projects)];
    }
    for (const e of exprs) addUses(e, u);
  };
  // The nodes the translator translates on their own, as it does: a Calc with what it fuses, every other node with
  // its inputs. A Calc fused into the one above it is not a reader (unless another node translates it too).
  const seen = new Set<Rel>();
  const stack: Rel[] = [...roots];
  while (stack.length > 0) {
    const rel = stack.pop()!;
    if (seen.has(rel)) continue;
    seen.add(rel);
    if (rel.kind === 'scan') {
      uses.set(rel, 'all'); // translated on its own: the raw row through the table's projection
    } else if (rel.kind === 'calc') {
      const f = fuseCalcs(rel);
      if (f.scan !== undefined) add(f.scan, [...f.projects, ...f.conditions]);
      else stack.push(f.below);
    } else {
      stack.push(...inputsOfRel(rel));
    }
  }
  return uses;
}

function addUses(r: Rex, u: (FieldUse | undefined)[]): void {
  switch (r.kind) {
    case 'input':
      u[r.index] = 'whole';
      return;
    case 'literal':
    case 'proctime':
      return;
    case 'call': {
      const row = rowFieldOf(r);
      if (row !== undefined) {
        const known = u[row.index];
        if (known === 'whole') return;
        (known ?? (u[row.index] = new Set())).add(r.name.slice(1));
        return;
      }
      for (const o of r.operands) addUses(o, u);
      return;
    }
    case 'special':
      for (const o of r.operands) addUses(o, u);
  }
}

/** The raw field a field access (`.name` of a ROW input) reads from, or undefined for any other call. */
function rowFieldOf(r: Extract<Rex, { kind: 'call' }>): Extract<Rex, { kind: 'input' }> | undefined {
  if (!r.name.startsWith('.') || r.operands.length !== 1) return undefined;
  const o = r.operands[0]!;
  return o.kind === 'input' && o.type.root === 'ROW' ? o : undefined;
}

/** A pruned scan: the physical columns to request and the rewrite of expressions over the raw row. @internal */
export interface PushedProjection {
  /** The physical columns to read (indexes into the raw row) with their types, ROWs pruned. */
  readonly columns: readonly { readonly index: number; readonly type: LogicalType }[];
  /** An expression over the declared raw row, over the pruned raw row (the requested columns, then the metadata). */
  readonly remap: (r: Rex) => Rex;
}

const NO_POS = { line: 0, col: 0, offset: 0 };

/**
 * The projection to push into `scan`'s source, or undefined when it would read every column as declared.
 *
 * @internal
 */
export function pushDownProjection(scan: ScanRel, uses: ScanUses, mode: 'columns' | 'nested'): PushedProjection | undefined {
  const use = uses.get(scan);
  if (use === undefined || use === 'all') return undefined;
  const physical = scan.physical.length;
  const raw = scan.rawFields;
  const at = new Int32Array(raw.length).fill(-1);
  const types: LogicalType[] = new Array<LogicalType>(raw.length);
  const columns: { index: number; type: LogicalType }[] = [];
  let pruned = false;
  for (let i = 0; i < physical; i++) {
    const u = use[i];
    if (u === undefined) {
      pruned = true;
      continue;
    }
    let type = raw[i]!.type;
    if (u !== 'whole' && mode === 'nested' && type.root === 'ROW') {
      const kept = (type.fields ?? []).filter((f) => u.has(f.name));
      if (kept.length < (type.fields ?? []).length) {
        type = { ...type, fields: kept };
        pruned = true;
      }
    }
    at[i] = columns.length;
    types[i] = type;
    columns.push({ index: i, type });
  }
  if (!pruned) return undefined;
  if (columns.length === 0 && physical > 0) {
    // Nothing read (COUNT(*) without a rowtime): the first column, so that no source is asked for rows of no
    // columns (`SELECT  FROM t` is no query); its values are not read.
    at[0] = 0;
    types[0] = raw[0]!.type;
    columns.push({ index: 0, type: raw[0]!.type });
  }
  for (let i = physical; i < raw.length; i++) {
    at[i] = columns.length + (i - physical);
    types[i] = raw[i]!.type;
  }
  const input = (r: Extract<Rex, { kind: 'input' }>): Rex => {
    const j = at[r.index]!;
    // The uses were collected from the very expressions rewritten here: a pruned field is never read.
    if (j < 0) throw new Error(`projection push-down: field ${r.index} of '${scan.table.name}' was pruned but is read`);
    return { kind: 'input', index: j, type: types[r.index]! };
  };
  const remap = (r: Rex): Rex => {
    switch (r.kind) {
      case 'input':
        if (types[r.index] !== raw[r.index]!.type) throw new Error(`projection push-down: ROW field ${r.index} of '${scan.table.name}' was pruned but is read whole`);
        return input(r);
      case 'literal':
      case 'proctime':
        return r;
      case 'call': {
        const row = rowFieldOf(r);
        if (row !== undefined) return fieldAccess(input(row), r.name.slice(1), NO_POS);
        return { ...r, operands: r.operands.map(remap) };
      }
      case 'special':
        return { ...r, operands: r.operands.map(remap) };
    }
  };
  return { columns, remap };
}
