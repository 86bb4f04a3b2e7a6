import { describe, expect, it } from 'vitest';
import type { CheckpointStats, JobEvent } from '@runnel/runtime';
import {
  CheckpointTally,
  countRestarts,
  formatBytes,
  formatCheckpoint,
  formatCheckpointProgress,
  formatEvent,
  formatMillis,
  isAbortedByJobEnd,
} from '../src/checkpoints.js';

function chk(id: number, status: CheckpointStats['status'], extra: Partial<CheckpointStats> = {}): CheckpointStats {
  return { id, kind: 'checkpoint', status, triggeredAt: 1_000 * id, ...extra };
}

describe('CheckpointTally', () => {
  it('counts each finished checkpoint once across repeated observations', () => {
    const t = new CheckpointTally();
    t.observe([chk(1, 'completed', { durationMs: 10 }), chk(2, 'in-progress')]);
    expect(t.counts()).toMatchObject({ completed: 1, failed: 0, last: { id: 1 } });
    // The same history again, now with 2 done and 3 failed: only the new outcomes count.
    t.observe([chk(1, 'completed'), chk(2, 'completed', { sizeBytes: 100 }), chk(3, 'failed', { failure: 'checkpoint 3 expired after 600000 ms' })]);
    t.observe([chk(1, 'completed'), chk(2, 'completed', { sizeBytes: 100 }), chk(3, 'failed', { failure: 'checkpoint 3 expired after 600000 ms' })]);
    const c = t.counts();
    expect([c.completed, c.failed, c.last?.id, c.last?.sizeBytes]).toEqual([2, 1, 2, 100]);
  });

  it('keeps counting after a restart replaces the history (ids keep increasing)', () => {
    const t = new CheckpointTally();
    t.observe([chk(1, 'completed'), chk(2, 'completed'), chk(3, 'failed', { failure: 'checkpoint 3 declined: disk full' })]);
    t.observe([]); // the new attempt has no checkpoints yet
    t.observe([chk(4, 'completed'), chk(5, 'completed')]);
    expect(t.counts()).toMatchObject({ completed: 4, failed: 1, last: { id: 5 } });
  });

  it('ignores savepoints and checkpoints aborted because the job was ending', () => {
    const t = new CheckpointTally();
    t.observe([
      chk(1, 'completed'),
      { id: 2, kind: 'savepoint', status: 'completed', triggeredAt: 2000, path: '/sp' },
      chk(3, 'failed', { failure: 'a task finished before the checkpoint completed' }),
      chk(4, 'failed', { failure: 'the job stopped' }),
    ]);
    expect(t.counts()).toMatchObject({ completed: 1, failed: 0, last: { id: 1 } });
    expect(isAbortedByJobEnd(chk(4, 'failed', { failure: 'the job stopped' }))).toBe(true);
    expect(isAbortedByJobEnd(chk(4, 'failed', { failure: 'checkpoint 4 declined: the job stopped' }))).toBe(false);
  });

  it('forgets ids that left the history, so its memory stays bounded', () => {
    const t = new CheckpointTally();
    for (let first = 1; first <= 1000; first++) {
      // A sliding history of 3 entries, as the runtime's is of 100.
      t.observe([chk(first, 'completed'), chk(first + 1, 'completed'), chk(first + 2, 'in-progress')]);
    }
    expect(t.counts().completed).toBe(1001);
    expect((t as unknown as { counted: Set<number> }).counted.size).toBeLessThanOrEqual(3);
  });
});

describe('formatting', () => {
  it('formats sizes with binary units', () => {
    expect([0, 512, 1024, 1260, 1.2 * 1024 * 1024, 150 * 1024 * 1024, 1023.99 * 1024, 3 * 1024 ** 3].map(formatBytes)).toEqual([
      '0 B',
      '512 B',
      '1.0 KB',
      '1.2 KB',
      '1.2 MB',
      '150 MB',
      '1.0 MB',
      '3.0 GB',
    ]);
    expect(formatBytes(Number.NaN)).toBe('-');
  });

  it('formats durations', () => {
    expect([0, 84.4, 999, 1200, 59_940, 65_000].map(formatMillis)).toEqual(['0 ms', '84 ms', '999 ms', '1.2 s', '59.9 s', '1.1 min']);
  });

  it('formats a checkpoint and the status-line part', () => {
    const last = chk(12, 'completed', { durationMs: 84, sizeBytes: 1.2 * 1024 * 1024 });
    expect(formatCheckpoint(last)).toBe('12 (84 ms, 1.2 MB)');
    expect(formatCheckpoint(chk(7, 'completed'))).toBe('7');
    expect(formatCheckpointProgress({ completed: 12, failed: 0, last })).toBe('chk 12 (84 ms, 1.2 MB)');
    expect(formatCheckpointProgress({ completed: 12, failed: 2, last })).toBe('chk 12 (84 ms, 1.2 MB), 2 failed');
    expect(formatCheckpointProgress({ completed: 0, failed: 0, last: undefined })).toBe('chk none yet');
  });

  it('counts restarts and formats events', () => {
    const events: JobEvent[] = [
      { type: 'checkpoint-corrupted', timestamp: Date.UTC(2024, 4, 1, 10, 0, 0, 123), message: 'checkpoint 9 failed verification and is skipped: bad crc', checkpointId: 9 },
      { type: 'restored', timestamp: Date.UTC(2024, 4, 1, 10, 0, 1), message: 'restoring from savepoint /sp', checkpointId: 7 },
      { type: 'restarting', timestamp: 0, message: 'boom; restarting in 1000 ms' },
      { type: 'restarting', timestamp: 0, message: 'boom; restarting in 1000 ms' },
    ];
    expect(countRestarts(events)).toBe(2);
    expect(countRestarts([])).toBe(0);
    expect(formatEvent(events[0]!)).toBe('2024-05-01T10:00:00.123Z  checkpoint-corrupted  checkpoint 9 failed verification and is skipped: bad crc');
    expect(formatEvent(events[1]!)).toBe('2024-05-01T10:00:01.000Z  restored  restoring from savepoint /sp (checkpoint 7)');
  });
});
