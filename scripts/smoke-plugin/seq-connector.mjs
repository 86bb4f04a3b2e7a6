// The acceptance test's third-party connector (`acme-seq`): a bounded source of the numbers 0..rows-1, cut into
// `splits` ranges that readers pull one at a time (FLIP-27 style), with positions in checkpoints. Plain JavaScript
// that depends on `@runnel/api` only, as a connector published by someone else would. It is also a SQL table
// source (`CREATE TABLE t (id BIGINT) WITH ('connector' = 'acme-seq', ...)`) producing rows of the requested column.
import { defineOption, parseOptions } from '@runnel/api/config';

const Rows = defineOption({ key: 'rows', type: 'int', defaultValue: 1000, min: 0, description: 'How many numbers the source produces.' });
const Splits = defineOption({ key: 'splits', type: 'int', defaultValue: 4, min: 1, description: 'Into how many ranges the numbers are cut.' });

/** JSON with an id and a version, as everything persisted must carry. */
function jsonSerializer(id, check) {
  return {
    id,
    version: 1,
    serialize: (v) => new TextEncoder().encode(JSON.stringify(v)),
    deserialize(bytes, version) {
      if (version !== 1) throw new Error(`${id}: unknown version ${version}`);
      const v = JSON.parse(new TextDecoder().decode(bytes));
      check(v);
      return v;
    },
  };
}

const isSplit = (s) => s && typeof s.splitId === 'string' && Number.isInteger(s.next) && Number.isInteger(s.to) && s.next <= s.to;
const splitSerializer = jsonSerializer('acme.seq.split', (s) => {
  if (!isSplit(s)) throw new Error('acme.seq.split: invalid split');
});
const enumeratorSerializer = jsonSerializer('acme.seq.enumerator', (s) => {
  if (!Array.isArray(s?.remaining) || !s.remaining.every(isSplit)) throw new Error('acme.seq.enumerator: invalid state');
});

/** Hands out the remaining ranges to readers that ask; a reader that asks when none is left is told so. */
class SeqEnumerator {
  constructor(context, remaining) {
    this.context = context;
    this.remaining = remaining;
  }
  start() {}
  addReader() {}
  handleSplitRequest(subtask) {
    const split = this.remaining.shift();
    if (split) this.context.assignSplit(split, subtask);
    else this.context.signalNoMoreSplits(subtask);
  }
  addSplitsBack(splits) {
    this.remaining.unshift(...splits);
  }
  snapshotState() {
    return { remaining: this.remaining.map((s) => ({ ...s })) };
  }
  close() {}
}

/** Reads its ranges one after another, 100 numbers per poll, each range through its own split output. */
class SeqReader {
  constructor(context, asRows) {
    this.context = context;
    this.asRows = asRows;
    this.splits = [];
    this.noMore = false;
    this.requested = false;
    this.wake = undefined;
    this.current = undefined;
  }
  start() {
    this.request();
  }
  request() {
    if (this.requested || this.noMore) return;
    this.requested = true;
    this.context.sendSplitRequest();
  }
  addSplits(splits) {
    this.splits.push(...splits.map((s) => ({ ...s })));
    this.requested = false;
    this.signal();
  }
  notifyNoMoreSplits() {
    this.noMore = true;
    this.signal();
  }
  signal() {
    const w = this.wake;
    this.wake = undefined;
    w?.resolve();
  }
  pollNext(output) {
    const s = this.splits[0];
    if (!s) {
      if (this.noMore) return 'end-of-input';
      this.request();
      return 'nothing-available';
    }
    const out = (this.current ??= output.createOutputForSplit(s.splitId));
    // SQL rows: the changelog kind (0, insert) and the fields; BIGINT values are bigints.
    for (let i = 0; i < 100 && s.next < s.to; i++, s.next++) out.collect(this.asRows ? { kind: 0, fields: [BigInt(s.next)] } : { id: s.next }, s.next);
    if (s.next >= s.to) {
      output.releaseOutputForSplit(s.splitId);
      this.current = undefined;
      this.splits.shift();
      if (this.splits.length === 0) this.request();
    }
    return 'more-available';
  }
  isAvailable() {
    if (this.splits.length > 0 || this.noMore) return Promise.resolve();
    if (!this.wake) {
      let resolve;
      const promise = new Promise((r) => (resolve = r));
      this.wake = { promise, resolve };
    }
    return this.wake.promise;
  }
  snapshotState() {
    return this.splits.map((s) => ({ ...s }));
  }
  close() {
    this.signal();
  }
}

/** The bounded sequence source. */
export class SeqSource {
  constructor(rows, splits, asRows = false) {
    this.asRows = asRows;
    this.rows = rows;
    this.splitCount = splits;
    this.boundedness = 'bounded';
    this.splitSerializer = splitSerializer;
    this.enumeratorStateSerializer = enumeratorSerializer;
  }
  createEnumerator(context) {
    const ranges = [];
    const per = Math.ceil(this.rows / this.splitCount);
    for (let i = 0; i * per < this.rows; i++) ranges.push({ splitId: `range-${i}`, next: i * per, to: Math.min(this.rows, (i + 1) * per) });
    return new SeqEnumerator(context, ranges);
  }
  restoreEnumerator(context, state) {
    return new SeqEnumerator(context, state.remaining.map((s) => ({ ...s })));
  }
  createReader(context) {
    return new SeqReader(context, this.asRows);
  }
}

/** The connector factory, listed in the package manifest as `acme-seq`. */
export const seqConnector = {
  identifier: 'acme-seq',
  apiVersion: '^0.1.0',
  options: [Rows, Splits],
  createSource(context) {
    const o = parseOptions(this.options, context.options, { context: `acme-seq source '${context.name}'` });
    return new SeqSource(o.get(Rows), o.get(Splits));
  },
  createTableSource(context) {
    const { connector: _, ...options } = context.options;
    const o = parseOptions(this.options, options, { context: `acme-seq table '${context.tableName}'` });
    return {
      changelogMode: { kinds: [0] },
      bounded: true,
      createSource(request) {
        const f = request.physicalType.fields;
        if (f.length !== 1 || f[0].type.root !== 'BIGINT' || request.metadataKeys.length > 0) {
          throw new Error(`acme-seq table '${context.tableName}' has one column of type BIGINT, no metadata`);
        }
        return new SeqSource(o.get(Rows), o.get(Splits), true);
      },
      summary: () => `acme-seq(rows=${o.get(Rows)})`,
    };
  },
};
