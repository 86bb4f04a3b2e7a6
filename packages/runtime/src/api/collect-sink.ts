// The sink behind DataStream.collect(): sends records to the client in batches over the control channel. For tests
// and small results; large outputs belong in a real sink.
import type { Sink, SinkWriter, SinkWriterContext } from '@runnel/api';

/** @internal */
export class CollectSinkFunction<T> implements Sink<T> {
  constructor(private readonly channel: string) {}
  createWriter(ctx: SinkWriterContext): SinkWriter<T> {
    let buf: T[] = [];
    const channel = this.channel;
    return {
      write(v: T) {
        buf.push(v);
        if (buf.length >= 1024) {
          ctx.sendToClient(channel, buf);
          buf = [];
        }
      },
      flush() {
        if (buf.length > 0) {
          ctx.sendToClient(channel, buf);
          buf = [];
        }
      },
      close() {},
    };
  }
}
