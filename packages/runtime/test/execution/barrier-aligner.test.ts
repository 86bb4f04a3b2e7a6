// Barrier alignment, one ordering at a time: which channels are blocked, when the task's part is taken, and that a
// late barrier of an aborted or completed checkpoint never starts an alignment that cannot end (campaign seed 100136).
import { describe, expect, it } from 'vitest';
import { BarrierAligner, type AlignedChannel } from '../../src/execution/barrier-aligner.js';

function setup(n: number): { chans: (AlignedChannel & { ended: boolean })[]; aligner: BarrierAligner<AlignedChannel & { ended: boolean }>; taken: number[] } {
  const chans = Array.from({ length: n }, () => ({ blocked: false, ended: false }));
  const taken: number[] = [];
  const aligner = new BarrierAligner(chans, (id) => {
    taken.push(id);
    aligner.release(); // the task captures synchronously here
  });
  return { chans, aligner, taken };
}

describe('barrier alignment', () => {
  it('blocks each channel that delivered the barrier until all did, then takes the checkpoint once', () => {
    const { chans, aligner, taken } = setup(3);
    aligner.onBarrier(chans[0]!, 1, 0);
    aligner.onBarrier(chans[2]!, 1, 0);
    expect(chans.map((c) => c.blocked)).toEqual([true, false, true]);
    expect(taken).toEqual([]);
    aligner.onBarrier(chans[1]!, 1, 0);
    expect(taken).toEqual([1]);
    expect(chans.map((c) => c.blocked)).toEqual([false, false, false]);
  });

  it('counts an ended channel as aligned', () => {
    const { chans, aligner, taken } = setup(2);
    aligner.onBarrier(chans[0]!, 4, 0);
    chans[1]!.ended = true;
    aligner.onChannelEnded();
    expect(taken).toEqual([4]);
    expect(chans[0]!.blocked).toBe(false);
  });

  it('ignores the late barriers of an aborted checkpoint instead of blocking a channel forever', () => {
    const { chans, aligner, taken } = setup(3);
    aligner.onBarrier(chans[0]!, 5, 0);
    aligner.onBarrier(chans[1]!, 5, 0);
    aligner.abort(5); // a task finished: checkpoint 5 can never complete
    expect(chans.map((c) => c.blocked)).toEqual([false, false, false]);
    // Channel 2's barrier 5 was still in flight: it must not start a new alignment (channels 0 and 1 never resend it).
    aligner.onBarrier(chans[2]!, 5, 0);
    expect(chans.map((c) => c.blocked)).toEqual([false, false, false]);
    expect(aligner.aligningId).toBeUndefined();
    expect(taken).toEqual([]);
  });

  it('ignores barriers of a checkpoint aborted before any of them arrived', () => {
    const { chans, aligner } = setup(2);
    aligner.abort(7);
    aligner.onBarrier(chans[0]!, 7, 0);
    aligner.onBarrier(chans[0]!, 6, 0);
    expect(chans[0]!.blocked).toBe(false);
    aligner.onBarrier(chans[0]!, 8, 0);
    expect(chans[0]!.blocked).toBe(true);
  });

  it('abandons an alignment when a newer checkpoint’s barrier arrives, and ignores the older one’s late barriers', () => {
    const { chans, aligner, taken } = setup(2);
    aligner.onBarrier(chans[0]!, 2, 0);
    aligner.onBarrier(chans[1]!, 3, 0); // checkpoint 2 was abandoned upstream of channel 1
    expect(aligner.aligningId).toBe(3);
    expect(chans.map((c) => c.blocked)).toEqual([false, true]);
    aligner.onBarrier(chans[0]!, 2, 0); // stale
    expect(chans[0]!.blocked).toBe(false);
    aligner.onBarrier(chans[0]!, 3, 0);
    expect(taken).toEqual([3]);
  });

  it('calls the task once per alignment even if a channel ends while the task is still capturing', () => {
    const chans = [
      { blocked: false, ended: false },
      { blocked: false, ended: false },
      { blocked: false, ended: false },
    ];
    const taken: number[] = [];
    const aligner = new BarrierAligner(chans, (id) => taken.push(id)); // the capture is asynchronous: no release yet
    aligner.onBarrier(chans[0]!, 1, 0);
    aligner.onBarrier(chans[1]!, 1, 0);
    chans[2]!.ended = true;
    aligner.onChannelEnded();
    aligner.onChannelEnded();
    expect(taken).toEqual([1]);
    aligner.release();
    expect(chans.map((c) => c.blocked)).toEqual([false, false, false]);
  });
});
