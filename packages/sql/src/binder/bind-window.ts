// Window table-valued functions (`TABLE(TUMBLE(TABLE t, DESCRIPTOR(ts), INTERVAL '5' MINUTES))`, HOP, CUMULATE,
// SESSION, positional or named arguments) and the legacy group window functions of GROUP BY (`TUMBLE(ts, ...)`).
// The time column must be a time attribute: windows over other columns would never fire in order, and Flink
// refuses them with the same reason.
import type { LogicalType } from '@runnel/api/table';
import type { Expr, Pos, TvfArg, TvfRef } from '../parser/ast.js';
import type { Field, Rel, WindowSpec, WindowTableRel } from '../plan/rel.js';
import { SqlNotSupportedError, SqlValidationError } from '../validation-error.js';
import { bindExpr } from './bind-expression.js';
import type { BindEnv } from './bind-env.js';
import { Scope } from './scope.js';

const PARAMS: Record<string, readonly string[]> = {
  TUMBLE: ['DATA', 'TIMECOL', 'SIZE', 'OFFSET'],
  HOP: ['DATA', 'TIMECOL', 'SLIDE', 'SIZE', 'OFFSET'],
  CUMULATE: ['DATA', 'TIMECOL', 'STEP', 'SIZE', 'OFFSET'],
  SESSION: ['DATA', 'TIMECOL', 'GAP'],
};

/** window_start, window_end and window_time for a time attribute's type. @internal */
export function windowFields(time: LogicalType): Field[] {
  const ltz = time.root === 'TIMESTAMP_LTZ';
  const bound: LogicalType = { root: ltz ? 'TIMESTAMP_LTZ' : 'TIMESTAMP', nullable: false, precision: 3 };
  const wt: LogicalType = time.timeAttribute === 'proctime'
    ? { root: 'TIMESTAMP_LTZ', nullable: false, precision: 3, timeAttribute: 'proctime' }
    : { ...bound, timeAttribute: 'rowtime' };
  return [
    { name: 'window_start', type: bound },
    { name: 'window_end', type: bound },
    { name: 'window_time', type: wt },
  ];
}

/** A constant interval argument in milliseconds. @internal */
export function intervalMs(e: Expr, env: BindEnv, what: string): number {
  const r = bindExpr(e, { scope: new Scope([]), fn: env.fn, noAggregates: 'in a window argument' });
  if (r.kind !== 'literal' || r.type.root !== 'INTERVAL_DAY_TIME') {
    throw new SqlValidationError(`${what} must be a constant interval of days to seconds, e.g. INTERVAL '5' MINUTE`, e.pos);
  }
  return r.value as number;
}

/** Checks a window's sizes and returns its spec. @internal */
export function windowSpec(kind: WindowSpec['kind'], timeField: number, timeType: LogicalType, ms: { size?: number; slide?: number; step?: number; gap?: number; offset?: number }, pos: Pos): WindowSpec {
  if (!timeType.timeAttribute) {
    throw new SqlValidationError(`The window function requires the timecol is a time attribute type, but is ${timeType.root}${timeType.precision !== undefined ? `(${timeType.precision})` : ''}: declare a WATERMARK for it, or use PROCTIME()`, pos);
  }
  const positive = (v: number | undefined, what: string): number => {
    if (v === undefined || !(v > 0)) throw new SqlValidationError(`${kind} window ${what} must be a positive interval`, pos);
    return v;
  };
  const offset = ms.offset ?? 0;
  const eventTime = timeType.timeAttribute === 'rowtime';
  const timeTypeOut: LogicalType = { root: timeType.root === 'TIMESTAMP_LTZ' ? 'TIMESTAMP_LTZ' : 'TIMESTAMP', nullable: false, precision: 3 };
  switch (kind) {
    case 'TUMBLE':
      return { kind, timeField, eventTime, size: positive(ms.size, 'size'), offset, timeType: timeTypeOut };
    case 'HOP': {
      const size = positive(ms.size, 'size');
      const slide = positive(ms.slide, 'slide');
      if (size % slide !== 0) throw new SqlNotSupportedError(`HOP window whose size (${size} ms) is not a multiple of its slide (${slide} ms)`, pos);
      return { kind, timeField, eventTime, size, slide, offset, timeType: timeTypeOut };
    }
    case 'CUMULATE': {
      const size = positive(ms.size, 'max size');
      const step = positive(ms.step, 'step');
      if (size % step !== 0) throw new SqlValidationError(`CUMULATE window max size (${size} ms) must be a multiple of its step (${step} ms)`, pos);
      return { kind, timeField, eventTime, size, step, offset, timeType: timeTypeOut };
    }
    case 'SESSION':
      if (offset !== 0) throw new SqlValidationError('SESSION windows have no offset', pos);
      return { kind, timeField, eventTime, size: 0, gap: positive(ms.gap, 'gap'), offset, timeType: timeTypeOut };
  }
}

function argsByName(f: TvfRef): Map<string, TvfArg> {
  const params = PARAMS[f.name]!;
  const out = new Map<string, TvfArg>();
  f.args.forEach((a, i) => {
    const name = a.name ?? params[i];
    if (name === undefined) throw new SqlValidationError(`${f.name} takes at most ${params.length} arguments`, a.pos);
    if (!params.includes(name)) throw new SqlValidationError(`${f.name} has no parameter ${name} (parameters: ${params.join(', ')})`, a.pos);
    if (out.has(name)) throw new SqlValidationError(`${f.name}: parameter ${name} given twice`, a.pos);
    out.set(name, a);
  });
  return out;
}

/**
 * A window TVF in FROM: the data argument's rows with window_start, window_end, window_time appended.
 *
 * @internal
 */
export function bindWindowTvf(f: TvfRef, env: BindEnv, input: Rel | undefined): WindowTableRel {
  if (f.lateral || !PARAMS[f.name]) throw new SqlNotSupportedError(`the table function ${f.name} (window TVFs TUMBLE, HOP, CUMULATE and SESSION are supported)`, f.pos);
  const args = argsByName(f);
  const data = args.get('DATA');
  const timecol = args.get('TIMECOL');
  if (!data || !timecol) throw new SqlValidationError(`${f.name} needs a table and a DESCRIPTOR(time column)`, f.pos);
  if (!input) throw new SqlValidationError(`the first argument of ${f.name} must be TABLE name or a subquery`, data.pos);
  if (data.partitionBy?.length) throw new SqlNotSupportedError(`${f.name} with PARTITION BY (write the partition keys in GROUP BY)`, data.pos);
  if (timecol.value.kind !== 'descriptor' || timecol.value.columns.length !== 1) throw new SqlValidationError(`the time column of ${f.name} must be DESCRIPTOR(column)`, timecol.pos);
  const col = timecol.value.columns[0]!;
  const timeField = input.fields.findIndex((x) => x.name === col);
  if (timeField < 0) throw new SqlValidationError(`Column '${col}' not found in the table of ${f.name}`, timecol.pos);
  const ms = (name: string): number | undefined => {
    const a = args.get(name);
    if (!a) return undefined;
    if (a.value.kind !== 'expr') throw new SqlValidationError(`${name} of ${f.name} must be an interval`, a.pos);
    return intervalMs(a.value.expr, env, `${name} of ${f.name}`);
  };
  const spec = windowSpec(f.name as WindowSpec['kind'], timeField, input.fields[timeField]!.type, { size: ms('SIZE'), slide: ms('SLIDE'), step: ms('STEP'), gap: ms('GAP'), offset: ms('OFFSET') }, f.pos);
  return { kind: 'window-table', input, window: spec, fields: [...input.fields, ...windowFields(input.fields[timeField]!.type)] };
}
