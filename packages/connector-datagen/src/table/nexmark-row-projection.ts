// Turns Nexmark events into rows of the columns a query asks for. The Nexmark DDL's physical schema is
// `event_type INT, person ROW<...>, auction ROW<...>, bid ROW<...>`; columns and the fields of the three ROWs are
// matched by name, so a DDL may order them as it likes, leave some out (the older DDL has no `bid.channel`), and a
// projection reads only what it needs. The part of the event that is not there (a bid's `person`) is null. Values
// take the declared type's representation: ids, prices and categories as bigint for BIGINT, timestamps as
// milliseconds. The projection is compiled once into a JavaScript function (`new Function`) that builds each row
// with array literals and direct property reads: the per-event work is no more than those (about half the cost of
// an interpreted projection, per field a switch and a conversion check). The property names generated come from
// the fixed lists below, never from the DDL text. Where code generation is disallowed
// (--disallow-code-generation-from-strings) the projection interprets small integer codes instead.
import { ConfigurationError, closestKey } from '@runnel/api/config';
import type { LogicalType, RowType } from '@runnel/api/table';
import { typeName } from './type-name.js';
import type { Auction, Bid, NexmarkEvent, Person } from '../nexmark/model.js';

/** What a Nexmark field holds: an integer (event type), a 64-bit number, text, or an event time. */
type SourceKind = 'int' | 'long' | 'string' | 'timestamp';

const PERSON: readonly (readonly [string, SourceKind])[] = [
  ['id', 'long'],
  ['name', 'string'],
  ['emailAddress', 'string'],
  ['creditCard', 'string'],
  ['city', 'string'],
  ['state', 'string'],
  ['dateTime', 'timestamp'],
  ['extra', 'string'],
];
const AUCTION: readonly (readonly [string, SourceKind])[] = [
  ['id', 'long'],
  ['itemName', 'string'],
  ['description', 'string'],
  ['initialBid', 'long'],
  ['reserve', 'long'],
  ['dateTime', 'timestamp'],
  ['expires', 'timestamp'],
  ['seller', 'long'],
  ['category', 'long'],
  ['extra', 'string'],
];
const BID: readonly (readonly [string, SourceKind])[] = [
  ['auction', 'long'],
  ['bidder', 'long'],
  ['price', 'long'],
  ['channel', 'string'],
  ['url', 'string'],
  ['dateTime', 'timestamp'],
  ['extra', 'string'],
];
const PARTS = { person: PERSON, auction: AUCTION, bid: BID } as const;
const TOP = ['event_type', 'person', 'auction', 'bid'] as const;

/** The declared types a Nexmark field of each kind can be read as. */
const ACCEPTED: Readonly<Record<SourceKind, readonly string[]>> = {
  int: ['INTEGER', 'BIGINT', 'SMALLINT', 'TINYINT'],
  long: ['BIGINT', 'DOUBLE'],
  string: ['VARCHAR', 'CHAR'],
  timestamp: ['TIMESTAMP', 'TIMESTAMP_LTZ'],
};

const AS_IS = 0;
const TO_BIGINT = 1;

/** A compiled ROW part: which field of the event object each position reads, and how it is converted. */
interface PartProjection {
  readonly fields: Int8Array;
  readonly convert: Int8Array;
}

/**
 * Events to rows of a requested physical type.
 *
 * @internal
 */
export class NexmarkRowProjection {
  /** Per requested column: 0 event_type, 1 person, 2 auction, 3 bid. */
  private readonly columns: Int8Array;
  private readonly parts: (PartProjection | undefined)[];
  private readonly eventTypeConvert: number;
  /** The row fields of one event. */
  readonly project: (event: NexmarkEvent) => unknown[];

  constructor(where: string, type: RowType) {
    const k = type.fields.length;
    this.columns = new Int8Array(k);
    this.parts = new Array<PartProjection | undefined>(k);
    let eventTypeConvert = AS_IS;
    type.fields.forEach((f, i) => {
      const column = (TOP as readonly string[]).indexOf(f.name);
      if (column < 0) throw unknownField(where, f.name, TOP);
      this.columns[i] = column;
      if (column === 0) {
        eventTypeConvert = conversion(where, 'event_type', f.type, 'int');
        return;
      }
      const name = f.name as keyof typeof PARTS;
      if (f.type.root !== 'ROW') {
        throw new ConfigurationError(`${where}: column '${name}' must be a ROW (of ${PARTS[name].map(([n]) => n).join(', ')}), is ${typeName(f.type)}`);
      }
      const layout = PARTS[name];
      const nested = f.type.fields ?? [];
      const fields = new Int8Array(nested.length);
      const convert = new Int8Array(nested.length);
      nested.forEach((nf, j) => {
        const at = layout.findIndex(([n]) => n === nf.name);
        if (at < 0) throw unknownField(where, `${name}.${nf.name}`, layout.map(([n]) => `${name}.${n}`));
        fields[j] = at;
        convert[j] = conversion(where, `${name}.${nf.name}`, nf.type, layout[at]![1]);
      });
      this.parts[i] = { fields, convert };
    });
    this.eventTypeConvert = eventTypeConvert;
    this.project = this.compile() ?? ((event) => this.interpret(event));
  }

  /** The projection as one generated function, or undefined where code generation is not allowed. */
  private compile(): ((event: NexmarkEvent) => unknown[]) | undefined {
    const value = (read: string, convert: number): string => (convert === TO_BIGINT ? `BigInt(${read})` : read);
    const parts: string[] = [];
    const locals: string[] = [];
    for (let i = 0; i < this.columns.length; i++) {
      const column = this.columns[i]!;
      if (column === 0) {
        parts.push(value('e.eventType', this.eventTypeConvert));
        continue;
      }
      const name = TOP[column]!;
      const layout = PARTS[name as keyof typeof PARTS];
      const p = this.parts[i]!;
      const x = `x${i}`;
      locals.push(`const ${x} = e.${name};`);
      const fields = Array.from(p.fields, (at, j) => value(`${x}.${layout[at]![0]}`, p.convert[j]!));
      parts.push(`${x} === null ? null : [${fields.join(', ')}]`);
    }
    try {
      const src = `return function project(e) { ${locals.join(' ')} return [${parts.join(', ')}]; };`;
      return new Function(src)() as (event: NexmarkEvent) => unknown[];
    } catch (e) {
      if (e instanceof EvalError) return undefined;
      throw e;
    }
  }

  /** The row fields of one event, interpreted (where code generation is not allowed). */
  interpret(event: NexmarkEvent): unknown[] {
    const columns = this.columns;
    const out = new Array<unknown>(columns.length);
    for (let i = 0; i < columns.length; i++) {
      switch (columns[i]) {
        case 0:
          out[i] = this.eventTypeConvert === TO_BIGINT ? BigInt(event.eventType) : event.eventType;
          break;
        case 1:
          out[i] = event.person === null ? null : part(event.person, this.parts[i]!, personField);
          break;
        case 2:
          out[i] = event.auction === null ? null : part(event.auction, this.parts[i]!, auctionField);
          break;
        default:
          out[i] = event.bid === null ? null : part(event.bid, this.parts[i]!, bidField);
      }
    }
    return out;
  }
}

function part<T>(value: T, p: PartProjection, field: (value: T, code: number) => number | string): unknown[] {
  const out = new Array<unknown>(p.fields.length);
  for (let j = 0; j < out.length; j++) {
    const v = field(value, p.fields[j]!);
    out[j] = p.convert[j] === TO_BIGINT ? BigInt(v) : v;
  }
  return out;
}

function personField(p: Person, code: number): number | string {
  switch (code) {
    case 0: return p.id;
    case 1: return p.name;
    case 2: return p.emailAddress;
    case 3: return p.creditCard;
    case 4: return p.city;
    case 5: return p.state;
    case 6: return p.dateTime;
    default: return p.extra;
  }
}

function auctionField(a: Auction, code: number): number | string {
  switch (code) {
    case 0: return a.id;
    case 1: return a.itemName;
    case 2: return a.description;
    case 3: return a.initialBid;
    case 4: return a.reserve;
    case 5: return a.dateTime;
    case 6: return a.expires;
    case 7: return a.seller;
    case 8: return a.category;
    default: return a.extra;
  }
}

function bidField(b: Bid, code: number): number | string {
  switch (code) {
    case 0: return b.auction;
    case 1: return b.bidder;
    case 2: return b.price;
    case 3: return b.channel;
    case 4: return b.url;
    case 5: return b.dateTime;
    default: return b.extra;
  }
}


/** How a field of `kind` becomes a value of the declared type; refuses types that would carry wrong values. */
function conversion(where: string, name: string, type: LogicalType, kind: SourceKind): number {
  if (!ACCEPTED[kind].includes(type.root)) {
    throw new ConfigurationError(`${where}: column '${name}' is declared ${typeName(type)}; nexmark produces ${ACCEPTED[kind].map((r) => (r === 'INTEGER' ? 'INT' : r)).join(' or ')} there`);
  }
  return type.root === 'BIGINT' ? TO_BIGINT : AS_IS;
}

function unknownField(where: string, name: string, known: readonly string[]): ConfigurationError {
  const near = closestKey(name, known);
  return new ConfigurationError(
    `${where}: nexmark has no column '${name}'${near === undefined ? '' : ` (did you mean '${near}'?)`}; its columns: ${known.join(', ')}`,
  );
}
