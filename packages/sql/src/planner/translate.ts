// Turns a relational plan into DataStream transformations: sources through their connectors, compiled calcs,
// keyed aggregation operators, unions. Each stateful operator gets a uid derived from the digest of its subtree, so
// that the same query restarted from a savepoint finds its state, at any parallelism. This pass also infers each
// node's changelog mode (Flink's changelog inference): what a node produces follows from what its inputs produce,
// and a node that cannot take its input's changes is refused here, before the job starts.
//
// Calcs are fused, as Flink's CalcMergeRule and its chaining do: a chain of Calcs, and the computed columns of a
// scan right under them, becomes one compiled function over the scan's raw rows (expressions substituted, the
// conditions checked in order), so a row crosses one operator and allocates one array instead of one per Calc.
// Nexmark's `SELECT ... FROM bid` is three Calcs over the table's computed `dateTime`. A Calc whose expressions are
// not deterministic (RAND, PROCTIME) is not fused into the one above it. The timestamps of a scan are computed from
// the raw row by the rowtime column's own expression, without the table's whole projection, and a watermark that
// reads only the rowtime column (`ts - INTERVAL ...`, the usual one) from the timestamp just extracted.
// A source that takes a projection is asked for only the columns and ROW fields the job reads (projection-pushdown.ts).
import { ALL_KINDS, DeadLetter, INSERT_ONLY, RowKind, type ChangelogMode, type Row, type RowType } from '@runnel/api/table';
import { WatermarkStrategyBuilder, type DataStream, type SingleOutputStreamOperator } from '@runnel/runtime';
import { rowCodec } from '../codec/row-codec.js';
import { inputsOfRel, type CalcRel, type Rel, type ScanRel, type UnionRel, type ValuesRel } from '../plan/rel.js';
import { nodeText } from '../plan/explain.js';
import { compileExpression, compileProjection } from '../codegen/expression-compiler.js';
import { substituteInputs } from '../codegen/rex-substitute.js';
import { inputsOf, type Rex } from '../plan/rex.js';
import { calcFunction } from '../runtime/calc-function.js';
import { tableContext, tablePolicies } from '../connectors/table-context.js';
import { SqlValidationError } from '../validation-error.js';
import type { TranslateContext, Translated } from './translate-context.js';
import { translateAggregate, translateSort, translateWindowAggregate, translateWindowTable } from './translate-aggregates.js';
import { uidOf } from './translate-common.js';
import { translateOverAggregate } from './translate-over.js';
import { emitDeadLetters, emitsDeadLetters } from './dead-letters.js';
import { normalizeChangelog } from './changelog-normalize.js';
import { fuseCalcs } from './calc-fusion.js';
import { pushDownProjection } from './projection-pushdown.js';

/** Translates a plan node (memoised). @internal */
export function translate(rel: Rel, ctx: TranslateContext): Translated {
  const done = ctx.done.get(rel);
  if (done) return done;
  ctx.translate ??= (r) => translate(r, ctx);
  let t: Translated;
  switch (rel.kind) {
    case 'scan':
      t = translateScan(rel, ctx);
      break;
    case 'calc':
      t = translateCalc(rel, ctx);
      break;
    case 'values':
      t = translateValues(rel, ctx);
      break;
    case 'union':
      t = translateUnion(rel, ctx);
      break;
    case 'aggregate':
      t = translateAggregate(rel, ctx);
      break;
    case 'window-aggregate':
      t = translateWindowAggregate(rel, ctx);
      break;
    case 'window-table':
      t = translateWindowTable(rel, ctx);
      break;
    case 'sort':
      t = translateSort(rel, ctx);
      break;
    case 'over-aggregate':
      t = translateOverAggregate(rel, ctx);
      break;
    case 'stream':
      t = { stream: rel.stream as DataStream<Row>, mode: rel.insertOnly ? INSERT_ONLY : ALL_KINDS };
      break;
  }
  // Rows leave this node in the binary layout of its row type (not as generic objects), where it is ours to set.
  if (rel.kind !== 'stream' && rel.kind !== 'union' && 'setRecordCodec' in t.stream) {
    (t.stream as SingleOutputStreamOperator<Row>).setRecordCodec(rowCodec(rel.fields));
  }
  if (t.bounded === undefined) {
    const bounded = rel.kind === 'values' ? true : rel.kind === 'stream' ? false : inputsOfRel(rel).every((i) => ctx.done.get(i)?.bounded === true);
    t = { ...t, bounded };
  }
  ctx.done.set(rel, t);
  ctx.modes.set(rel, t.mode);
  return t;
}

/** The idle timeout of sources (`table.exec.source.idle-timeout`), 0 when disabled. @internal */
function idleTimeout(ctx: TranslateContext): number {
  const v = ctx.config['table.exec.source.idle-timeout'];
  if (v === undefined) return 0;
  const m = /^\s*(\d+)\s*(ms|s|min|h)?\s*$/.exec(v);
  if (!m) throw new SqlValidationError(`table.exec.source.idle-timeout: '${v}' is not a duration like '5 s'`);
  return Number(m[1]) * ({ ms: 1, s: 1000, min: 60_000, h: 3_600_000 }[m[2] ?? 'ms'] ?? 1);
}

/** A scan's rows before its computed columns: the source, its watermarks and dead letters. */
interface ScanRows {
  readonly rows: DataStream<Row>;
  readonly mode: ChangelogMode;
  readonly bounded: boolean;
  /** An expression over the declared raw row, over the rows of this source (changed where a projection was pushed in). */
  readonly remap: (r: Rex) => Rex;
}

/** The raw rows of each scan of a translation (one source per scan, whoever reads it). */
const scanRowsOf = new WeakMap<TranslateContext, Map<ScanRel, ScanRows>>();

function translateScan(rel: ScanRel, ctx: TranslateContext): Translated {
  const { rows, mode, bounded, remap } = scanRows(rel, ctx);
  const table = rel.table;
  const projects = rel.projects.map(remap);
  const identity = projects.every((p, i) => p.kind === 'input' && p.index === i) && projects.length === rel.rawFields.length;
  const out = identity ? rows : rows.flatMap(calcFunction(compileProjection(projects), `the computed columns of table '${table.name}'`), `Calc(${table.name})`);
  return { stream: out, mode, upsertKey: undefined, bounded };
}

function scanRows(rel: ScanRel, ctx: TranslateContext): ScanRows {
  let memo = scanRowsOf.get(ctx);
  if (!memo) scanRowsOf.set(ctx, (memo = new Map()));
  const known = memo.get(rel);
  if (known) return known;
  const table = rel.table;
  const prepared = ctx.prepared.get(table.name);
  if (!prepared) throw new Error(`table ${table.name} was not prepared`);
  if (!prepared.factory.createTableSource) throw new SqlValidationError(`connector '${rel.options['connector']}' of table '${table.name}' cannot be read from in SQL`);
  const tctx = tableContext(table.name, table.schema, rel.options, prepared, ctx.config);
  const tableSource = prepared.factory.createTableSource(tctx);
  const physical = table.schema.columns.filter((c) => c.kind === 'physical');
  // Only what the job reads, where the source takes a projection (projection-pushdown.ts); a source of deletes by
  // key alone is normalized over its whole row.
  const pushed =
    ctx.scanUses !== undefined && tableSource.projectionPushDown !== undefined && !tableSource.changelogMode.keyOnlyDeletes
      ? pushDownProjection(rel, ctx.scanUses, tableSource.projectionPushDown)
      : undefined;
  const remap = pushed?.remap ?? ((r: Rex): Rex => r);
  const columns = pushed?.columns ?? rel.physical.map((i) => ({ index: i, type: rel.rawFields[i]!.type }));
  const physicalType: RowType = { root: 'ROW', nullable: false, fields: columns.map((c) => ({ name: physical[rel.physical[c.index]!]!.name, type: c.type })) };
  for (const k of rel.metadataKeys) {
    if (!tableSource.readableMetadata?.[k]) {
      const avail = Object.keys(tableSource.readableMetadata ?? {});
      throw new SqlValidationError(`Invalid metadata key '${k}' in column of table '${table.name}': connector '${rel.options['connector']}' has ${avail.length ? `the metadata keys ${avail.join(', ')}` : 'no metadata'}`);
    }
  }
  const source = tableSource.createSource({ physicalType, metadataKeys: rel.metadataKeys });
  const policies = tablePolicies(rel.options, prepared);
  // Whether anything but rows can come out of the source: only then do the timestamp assigner and the watermark
  // generator below check each record for a dead letter (two `instanceof` per record on the hot path otherwise).
  const letters = emitsDeadLetters(policies);
  let strategy: WatermarkStrategyBuilder<Row | DeadLetter> | undefined;
  if (rel.watermark) {
    // The rowtime column's expression over the raw row; the watermark's over the raw row too, or, when it reads only
    // the rowtime column, over a row holding just the extracted timestamp (the same value: the rowtime column's).
    const at = rel.watermark.rowtime;
    const rowtime = compileExpression(remap(rel.projects[at]!));
    const fromTimestamp = [...inputsOf(rel.watermark.expr)].every((i) => i === at);
    const wmExpr = compileExpression(fromTimestamp ? rel.watermark.expr : remap(substituteInputs(rel.watermark.expr, rel.projects)));
    const monotone = fromTimestamp && monotoneInRowtime(rel.watermark.expr, at);
    const idle = idleTimeout(ctx);
    strategy = new WatermarkStrategyBuilder<Row | DeadLetter>(
      () => {
        let max = Number.NEGATIVE_INFINITY;
        const timeRow: unknown[] = new Array<unknown>(rel.fields.length).fill(null);
        if (monotone) {
          // The largest watermark is that of the largest timestamp: one evaluation per emission, not per event. A dead
          // letter's timestamp is -Infinity (the assigner's), never the largest.
          let maxTimestamp = Number.NEGATIVE_INFINITY;
          return {
            onEvent(_event: Row | DeadLetter, timestamp: number) {
              if (timestamp > maxTimestamp) maxTimestamp = timestamp;
            },
            onPeriodicEmit(output) {
              if (maxTimestamp === Number.NEGATIVE_INFINITY) return;
              timeRow[at] = maxTimestamp;
              const w = wmExpr(timeRow) as number | null;
              if (w !== null && w > max) max = w;
              if (max !== Number.NEGATIVE_INFINITY) output.emitWatermark(max);
            },
          };
        }
        return {
          onEvent(event: Row | DeadLetter, timestamp: number) {
            if (letters && event instanceof DeadLetter) return;
            let w: number | null;
            if (fromTimestamp) {
              // The timestamp of a NULL rowtime is -Infinity (a TIMESTAMP is finite): the expression sees the NULL.
              timeRow[at] = timestamp === Number.NEGATIVE_INFINITY ? null : timestamp;
              w = wmExpr(timeRow) as number | null;
            } else {
              w = wmExpr((event as Row).fields) as number | null;
            }
            if (w !== null && w > max) max = w;
          },
          onPeriodicEmit(output) {
            if (max !== Number.NEGATIVE_INFINITY) output.emitWatermark(max);
          },
        };
      },
      letters
        ? (event: Row | DeadLetter) => (event instanceof DeadLetter ? Number.NEGATIVE_INFINITY : ((rowtime(event.fields) as number | null) ?? Number.NEGATIVE_INFINITY))
        : (event: Row | DeadLetter) => (rowtime((event as Row).fields) as number | null) ?? Number.NEGATIVE_INFINITY,
      idle > 0 ? idle : undefined,
    );
  }
  const scanName = nodeText(rel);
  const raw: DataStream<Row | DeadLetter> = ctx.env.fromSource(source, strategy, scanName).uid(uidOf(rel, ctx, 'source'));
  const rows = emitDeadLetters(raw, policies, table.name, ctx);
  const out: ScanRows = tableSource.changelogMode.keyOnlyDeletes
    ? { rows: normalizeChangelog(rows, rel, ctx), mode: ALL_KINDS, bounded: tableSource.bounded, remap }
    : { rows, mode: tableSource.changelogMode, bounded: tableSource.bounded, remap };
  memo.set(rel, out);
  return out;
}

/**
 * Whether a watermark expression is the rowtime column itself or the rowtime minus a constant day-time interval (a
 * fixed number of milliseconds): then it grows with the rowtime, so the largest
 * watermark over many rows is the watermark of the largest rowtime, and a NULL rowtime (no timestamp) gives none.
 */
function monotoneInRowtime(expr: Rex, rowtime: number): boolean {
  if (expr.kind === 'input') return expr.index === rowtime;
  if (expr.kind !== 'call' || expr.name !== '-' || expr.operands.length !== 2) return false;
  const [t, d] = expr.operands;
  return t!.kind === 'input' && t!.index === rowtime && d!.kind === 'literal' && d!.value !== null && d!.type.root === 'INTERVAL_DAY_TIME' && (expr.type.root === 'TIMESTAMP' || expr.type.root === 'TIMESTAMP_LTZ');
}

function translateCalc(rel: CalcRel, ctx: TranslateContext): Translated {
  // This Calc fused with the Calcs under it (calc-fusion.ts): their conditions first, each over its own input, and
  // the projections substituted down to the input of the lowest one, or to a scan's raw rows.
  const fusion = fuseCalcs(rel);
  const { fused, below, scan } = fusion;
  let { projects, conditions } = fusion;
  let input: Translated;
  if (scan) {
    // The scan's computed columns too: this function reads the source's raw rows (pruned when a projection was
    // pushed into the source).
    const raw = scanRows(scan, ctx);
    projects = projects.map(raw.remap);
    conditions = conditions.map(raw.remap);
    input = { stream: raw.rows, mode: raw.mode, bounded: raw.bounded };
    ctx.modes.set(scan, raw.mode);
  } else {
    input = translate(below, ctx);
  }
  // The fused Calcs pass their input's changelog on (EXPLAIN shows it on each).
  for (const f of fused) ctx.modes.set(f, input.mode);
  const project = compileProjection(projects, conditions);
  const text = nodeText(rel);
  const stream = input.stream.flatMap(calcFunction(project, text), text.length > 200 ? text.slice(0, 200) + '…)' : text);
  // An upsert key survives when all its fields are projected unchanged.
  let upsertKey: number[] | undefined;
  if (input.upsertKey) {
    const mapped = input.upsertKey.map((k) => projects.findIndex((p) => p.kind === 'input' && p.index === k));
    if (mapped.every((i) => i >= 0)) upsertKey = mapped;
  }
  return { stream, mode: input.mode, upsertKey, bounded: input.bounded };
}

function translateValues(rel: ValuesRel, ctx: TranslateContext): Translated {
  const rows: Row[] = rel.rows.map((r) => ({ kind: RowKind.INSERT, fields: [...r] }));
  return { stream: ctx.env.fromCollection(rows, nodeText(rel)).uid(uidOf(rel, ctx)), mode: INSERT_ONLY };
}

function translateUnion(rel: UnionRel, ctx: TranslateContext): Translated {
  const inputs = rel.inputs.map((r) => translate(r, ctx));
  const [first, ...rest] = inputs;
  const kinds = new Set(inputs.flatMap((i) => i.mode.kinds));
  const mode: ChangelogMode = kinds.size === 1 ? INSERT_ONLY : ALL_KINDS;
  return { stream: first!.stream.union(...rest.map((r) => r.stream)), mode };
}

