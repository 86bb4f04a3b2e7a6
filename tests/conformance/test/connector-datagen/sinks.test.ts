import { describe, expect, it } from 'vitest';
import { PrintSink, printPrefix, BlackholeSink, CollectSink } from '@runnel/connector-datagen';
import { recordContext, testSinkWriterContext } from '@runnel/testing';

describe('PrintSink', () => {
  it("prefixes lines like Flink's print sink", () => {
    expect(printPrefix(undefined, 0, 1)).toBe('');
    expect(printPrefix(undefined, 2, 4)).toBe('3> ');
    expect(printPrefix('q1', 0, 1)).toBe('q1> ');
    expect(printPrefix('q1', 1, 2)).toBe('q1:2> ');
  });

  it('writes one line per record, batched per flush', () => {
    const chunks: string[] = [];
    const sink = new PrintSink<unknown>({ writer: { write: (t) => chunks.push(t) } });
    const w = sink.createWriter(testSinkWriterContext(1, 2));
    w.write('hello', recordContext());
    w.write({ a: 1, b: 'x' }, recordContext());
    w.write(12n, recordContext());
    expect(chunks).toEqual([]);
    void w.flush(false);
    expect(chunks).toEqual(['2> hello\n2> {"a":1,"b":"x"}\n2> 12\n']);
    void w.flush(true);
    expect(chunks.length).toBe(1);
  });

  it('writes at the end of a synchronous batch without an explicit flush', async () => {
    const chunks: string[] = [];
    const sink = new PrintSink<number>({ printIdentifier: 'out', writer: { write: (t) => chunks.push(t) }, format: (n) => `n=${n}` });
    const w = sink.createWriter(testSinkWriterContext(0, 1));
    w.write(1, recordContext());
    w.write(2, recordContext());
    await Promise.resolve();
    expect(chunks).toEqual(['out> n=1\nout> n=2\n']);
  });
});

describe('BlackholeSink', () => {
  it('discards records and counts them', () => {
    const sink = new BlackholeSink<number>();
    const a = sink.createWriter(testSinkWriterContext(0, 2));
    const b = sink.createWriter(testSinkWriterContext(1, 2));
    for (let i = 0; i < 10; i++) a.write(i, recordContext());
    b.write(1, recordContext());
    expect(sink.count).toBe(11);
    void a.flush(true);
    void a.close();
    expect(sink.count).toBe(11);
  });
});

describe('CollectSink', () => {
  it('sends batches of 1024 to the client and the rest on flush', () => {
    const context = testSinkWriterContext(0, 1);
    const sent = context.sent;
    const w = new CollectSink<number>().createWriter(context);
    for (let i = 0; i < 2500; i++) w.write(i, recordContext());
    expect(sent.map((s) => s.values.length)).toEqual([1024, 1024]);
    void w.flush(false);
    void w.flush(true); // nothing left: no empty message
    expect(sent.map((s) => s.values.length)).toEqual([1024, 1024, 452]);
    expect(sent.every((s) => s.channel === 'collect')).toBe(true);
    expect(sent.flatMap((s) => s.values)).toEqual(Array.from({ length: 2500 }, (_, i) => i));
  });

  it('uses its channel and batch size', () => {
    const context = testSinkWriterContext(0, 1);
    const sent = context.sent;
    const w = new CollectSink<string>('results', 2).createWriter(context);
    for (const s of ['a', 'b', 'c']) w.write(s, recordContext());
    void w.flush(true);
    expect(sent).toEqual([
      { channel: 'results', values: ['a', 'b'] },
      { channel: 'results', values: ['c'] },
    ]);
  });

  it('does not send what was written after the last flush when closed without one (a failed or canceled task)', () => {
    const context = testSinkWriterContext(0, 1);
    const sent = context.sent;
    const w = new CollectSink<number>('results', 10).createWriter(context);
    w.write(1, recordContext());
    void w.flush(false);
    w.write(2, recordContext());
    void w.close();
    expect(sent).toEqual([{ channel: 'results', values: [1] }]);
  });
});
