// Text of plans, in the style of Flink's EXPLAIN (`GroupAggregate(groupBy=[a], select=[a, COUNT(*) AS cnt])` with
// `+-` children), optionally with each node's changelog mode and the state it keeps. The same text, without
// modes, is the digest that operator uids are derived from: a node's uid changes when what it computes changes.
import { formatLogicalType, type ChangelogMode } from '@runnel/api/table';
import { formatChangelogMode } from '@runnel/api/table';
import { rexToString } from './rex.js';
import { inputsOfRel, type AggCall, type Rel, type WindowSpec } from './rel.js';

function list(xs: readonly string[]): string {
  return `[${xs.join(', ')}]`;
}

function ms(v: number): string {
  if (v % 86_400_000 === 0) return `${v / 86_400_000} d`;
  if (v % 3_600_000 === 0) return `${v / 3_600_000} h`;
  if (v % 60_000 === 0) return `${v / 60_000} min`;
  return v % 1000 === 0 ? `${v / 1000} s` : `${v} ms`;
}

/** Flink-style text of a window. @internal */
export function windowText(w: WindowSpec, inputNames: readonly string[]): string {
  const time = inputNames[w.timeField] ?? `$${w.timeField}`;
  const off = w.offset ? `, offset=[${ms(w.offset)}]` : '';
  switch (w.kind) {
    case 'TUMBLE':
      return `TUMBLE(time_col=[${time}], size=[${ms(w.size)}]${off})`;
    case 'HOP':
      return `HOP(time_col=[${time}], size=[${ms(w.size)}], slide=[${ms(w.slide!)}]${off})`;
    case 'CUMULATE':
      return `CUMULATE(time_col=[${time}], max_size=[${ms(w.size)}], step=[${ms(w.step!)}]${off})`;
    case 'SESSION':
      return `SESSION(time_col=[${time}], gap=[${ms(w.gap!)}])`;
  }
}

function aggText(a: AggCall, names: readonly string[], out: string): string {
  const args = a.args.length === 0 ? '*' : a.args.map((i) => names[i] ?? `$${i}`).join(', ');
  const filter = a.filter !== undefined ? ` FILTER ${names[a.filter] ?? `$${a.filter}`}` : '';
  return `${a.name}(${a.distinct ? 'DISTINCT ' : ''}${args})${filter} AS ${out}`;
}

/** One node's text (without children). @internal */
export function nodeText(rel: Rel): string {
  const inNames = inputsOfRel(rel)[0]?.fields.map((f) => f.name) ?? [];
  const outNames = rel.fields.map((f) => f.name);
  switch (rel.kind) {
    case 'scan': {
      const t = `TableSourceScan(table=[[default_catalog, default_database, ${rel.table.name}]], fields=${list(rel.rawFields.map((f) => f.name))}`;
      const computed = rel.projects.some((p, i) => p.kind !== 'input' || rel.rawFields[p.index]?.name !== outNames[i]);
      const calc = computed ? `, project=${list(rel.projects.map((p, i) => `${rexToString(p, rel.rawFields.map((f) => f.name))} AS ${outNames[i]}`))}` : '';
      const wm = rel.watermark ? `, watermark=[${rexToString(rel.watermark.expr, outNames)}], rowtime=[${outNames[rel.watermark.rowtime]}]` : '';
      return `${t}${calc}${wm})`;
    }
    case 'calc': {
      const sel = rel.projects.map((p, i) => {
        const s = rexToString(p, inNames);
        return s === outNames[i] ? s : `${s} AS ${outNames[i]}`;
      });
      return `Calc(select=${list(sel)}${rel.condition ? `, where=[${rexToString(rel.condition, inNames)}]` : ''})`;
    }
    case 'values':
      return `Values(tuples=[${rel.rows.length} rows], fields=${list(outNames)})`;
    case 'union':
      return `Union(all=[true], union=${list(outNames)})`;
    case 'aggregate': {
      const keys = rel.groupKeys.map((k) => inNames[k] ?? `$${k}`);
      const sets = rel.groupingSets ? `, groupingSets=[${rel.groupingSets.map((s) => `{${s.map((k) => keys[k]).join(', ')}}`).join(', ')}]` : '';
      const aggs = rel.aggs.map((a, i) => aggText(a, inNames, outNames[rel.groupKeys.length + i]!));
      return `GroupAggregate(${keys.length ? `groupBy=${list(keys)}, ` : ''}${sets ? sets.slice(2) + ', ' : ''}select=${list([...keys, ...aggs])})`;
    }
    case 'window-aggregate': {
      const keys = rel.groupKeys.map((k) => inNames[k] ?? `$${k}`);
      const base = rel.groupKeys.length + 3;
      const aggs = rel.aggs.map((a, i) => aggText(a, inNames, outNames[base + i]!));
      return `WindowAggregate(${keys.length ? `groupBy=${list(keys)}, ` : ''}window=[${windowText(rel.window, inNames)}], select=${list([...keys, ...aggs, 'start(\'w$) AS window_start', 'end(\'w$) AS window_end', 'rowtime(\'w$) AS window_time'])})`;
    }
    case 'window-table':
      return `WindowTableFunction(window=[${windowText(rel.window, inNames)}])`;
    case 'over-aggregate': {
      const frame = `${rel.unit} BETWEEN ${rel.preceding === Infinity ? 'UNBOUNDED' : rel.unit === 'RANGE' ? ms(rel.preceding) : rel.preceding} PRECEDING AND CURRENT ROW`;
      const base = rel.input.fields.length;
      const aggs = rel.aggs.map((a, i) => aggText(a, inNames, outNames[base + i]!));
      return `OverAggregate(${rel.partitionKeys.length ? `partitionBy=${list(rel.partitionKeys.map((k) => inNames[k]!))}, ` : ''}orderBy=[${inNames[rel.orderField]} ASC], window=[${frame}], select=${list([...inNames, ...aggs])})`;
    }
    case 'stream':
      return `DataStreamScan(table=[[default_catalog, default_database, ${rel.name}]], fields=${list(outNames)})`;
    case 'sort': {
      const keys = rel.keys.map((k) => `${inNames[k.field]} ${k.desc ? 'DESC' : 'ASC'}`);
      return `${rel.limit !== undefined ? 'SortLimit' : 'Sort'}(orderBy=${list(keys)}${rel.offset ? `, offset=[${rel.offset}]` : ''}${rel.limit !== undefined ? `, fetch=[${rel.limit}]` : ''})`;
    }
  }
}

/** Options of plan text. @internal */
export interface ExplainOptions {
  /** Each node's changelog mode. */
  readonly changelogModes?: ReadonlyMap<Rel, ChangelogMode>;
  /** Each node's state, when it keeps any. */
  readonly state?: ReadonlyMap<Rel, string>;
  /** Output types. */
  readonly types?: boolean;
}

/** The indented text of a plan. @internal */
export function explainRel(rel: Rel, opts: ExplainOptions = {}, prefix = '', childPrefix = ''): string {
  let line = nodeText(rel);
  const mode = opts.changelogModes?.get(rel);
  if (mode) line = line.replace(/\)$/, `, changelogMode=${formatChangelogMode(mode)})`);
  const state = opts.state?.get(rel);
  if (state) line = line.replace(/\)$/, `, state=[${state}])`);
  if (opts.types) line += ` : ROW<${rel.fields.map((f) => `${f.name} ${formatLogicalType(f.type)}`).join(', ')}>`;
  let out = `${prefix}${line}\n`;
  const inputs = inputsOfRel(rel);
  inputs.forEach((child, i) => {
    const last = i === inputs.length - 1;
    out += explainRel(child, opts, `${childPrefix}+- `, `${childPrefix}${last ? '   ' : ':  '}`);
  });
  return out;
}

/** A stable 64-bit hash (FNV-1a) of a text, as 16 hex digits. @internal */
export function stableHash(text: string): string {
  let h = 0xcbf29ce484222325n;
  const p = 0x100000001b3n;
  for (let i = 0; i < text.length; i++) {
    h ^= BigInt(text.charCodeAt(i));
    h = (h * p) & 0xffffffffffffffffn;
  }
  return h.toString(16).padStart(16, '0');
}
