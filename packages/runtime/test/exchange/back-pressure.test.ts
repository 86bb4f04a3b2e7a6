// Back-pressure: a fast source into a deliberately slow sink over the network exchange with small buffers. Every
// record must arrive, and the records buffered on the producer side must stay under a bound that follows from the
// exchange settings alone, whatever the number of records (credit-based flow control stops the source).
import { describe, expect, it } from 'vitest';
import type { Sink } from '@runnel/api';
import { StreamExecutionEnvironment } from '../../src/index.js';
import { ScriptedSource } from '../fixtures/scripted-source.js';

describe('back-pressure', () => {
  it('a slow sink slows the source; every record arrives and buffers stay bounded', async () => {
    const records = 200_000;
    const buffersPerChannel = 2;
    const bufferMaxRecords = 100;
    const sinkParallelism = 2;
    const sourceBatch = 50;
    const env = StreamExecutionEnvironment.create({
      'parallelism.default': 1,
      'taskmanager.network.buffers-per-channel': buffersPerChannel,
      'execution.buffer-max-records': bufferMaxRecords,
    });
    const seen = new Uint8Array(records);
    let pauses = 0;
    // The writer asks the task to wait for a timer every 300 records; while it waits its task takes no input,
    // returns no credit, and the producer runs out of credit.
    const slowSink: Sink<number> = {
      createWriter: () => {
        let written = 0;
        let lastPause = 0;
        return {
          write(v: number) {
            seen[v]! += 1;
            written++;
          },
          isAvailable() {
            if (written - lastPause < 300) return undefined;
            lastPause = written;
            pauses++;
            return new Promise<void>((r) => setTimeout(r, 1));
          },
          flush() {},
          close() {},
        };
      },
    };
    env
      .fromSource(new ScriptedSource<number>({ subtasks: [[{ count: records, make: (i) => i }]], batch: sourceBatch }), undefined, 'Fast Source')
      .rebalance()
      .sinkTo(slowSink, 'Slow Sink')
      .setParallelism(sinkParallelism)
      .disableChaining();
    expect(env.explain()).toMatch(/#0 \[p=1\] Fast Source => rebalance -> 1\n#1 \[p=2\] Slow Sink/);
    const result = await env.execute();

    let missing = 0;
    let duplicated = 0;
    for (let i = 0; i < records; i++) {
      if (seen[i] === 0) missing++;
      else if (seen[i]! > 1) duplicated++;
    }
    expect({ missing, duplicated }).toEqual({ missing: 0, duplicated: 0 });
    expect(pauses).toBeGreaterThan(records / 300 / 2);

    const source = result.buffers.filter((b) => b.vertex === 0);
    expect(source).toHaveLength(1);
    // Per channel: `buffersPerChannel` buffers in flight against credit plus one full buffer queued without
    // credit, which makes the channel unavailable and stops the task. A source poll (50 records over 2 channels)
    // fills less than one buffer per channel, so it cannot queue a second one before the task checks again. At end
    // of input the last, partial buffer (which carries end-of-partition) may queue behind that full one: one more.
    const channels = sinkParallelism;
    const bound = (buffersPerChannel + 2) * bufferMaxRecords * channels;
    for (const b of source) {
      expect(b.maxBufferedRecords).toBeGreaterThan(0);
      expect(b.maxBufferedRecords).toBeLessThanOrEqual(bound);
      expect(b.maxBuffersInFlight).toBeLessThanOrEqual(buffersPerChannel + 2);
      // The producer did run out of credit: back-pressure reached the source.
      expect(b.maxBuffersInFlight).toBeGreaterThan(buffersPerChannel);
    }
    // The bound is three orders of magnitude below the record count: memory does not grow with the input.
    expect(bound * 100).toBeLessThan(records);
  });
});
