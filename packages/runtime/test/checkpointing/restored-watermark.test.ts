// A restored operator continues from the watermark it had at the checkpoint: a record that was late before the
// failure (its window fired and was committed) is late again when the source replays it, instead of re-creating
// the window and committing it a second time. Driven by hand with the operator's restore data.
import { describe, expect, it } from 'vitest';
import { WindowOperator } from '../../src/windowing/window-operator.js';
import { TumblingEventTimeWindows } from '../../src/index.js';
import { TimestampsAndWatermarksOperator } from '../../src/operators/timestamps-operator.js';
import { testContext } from '../fixtures/operator-context.js';
import { perRecordWatermarks } from '../fixtures/helpers.js';

interface Ev {
  k: string;
  ts: number;
  v: number;
}

async function windowOperator(watermark: number | undefined) {
  const t = testContext({
    name: 'windows',
    keySelectors: [(e: Ev) => e.k],
    restore: watermark === undefined ? undefined : { checkpointId: 3, operatorState: [], watermark },
  });
  const op = new WindowOperator(t.ctx, {
    assigner: TumblingEventTimeWindows.of(100),
    fn: { kind: 'reduce', reduce: (a: Ev, b: Ev) => ({ ...a, v: a.v + b.v }) },
    allowedLateness: 0,
    lateDataTag: 'late',
  });
  await op.open();
  return { t, op };
}

describe('restored watermarks', () => {
  it('a record that was late before the failure stays late after the restore (no second firing of its window)', async () => {
    // Window [900, 1000) fired before the checkpoint (the operator's watermark was 1000): its state is gone.
    const { t, op } = await windowOperator(1_000);
    op.processElement({ k: 'a', ts: 950, v: 1 }, 950);
    // Upstream operators restart their watermarks from scratch; what they emit below 1000 changes nothing.
    op.processWatermark(500, 0);
    op.processWatermark(2_000, 0);
    expect(t.emitted.filter((e) => e.kind === 'record')).toEqual([]);
    expect(t.emitted.filter((e) => e.kind === 'side')).toEqual([{ kind: 'side', tag: 'late', value: { k: 'a', ts: 950, v: 1 }, timestamp: 950 }]);
    expect(t.watermarks()).toEqual([2_000]);
  });

  it('without a restored watermark the same record opens a window (the behaviour of a first run)', async () => {
    const { t, op } = await windowOperator(undefined);
    op.processElement({ k: 'a', ts: 950, v: 1 }, 950);
    op.processWatermark(2_000, 0);
    expect(t.emitted.filter((e) => e.kind === 'record').map((e) => (e as { value: unknown }).value)).toEqual([{ k: 'a', ts: 950, v: 1 }]);
  });

  it('a restored watermark generator does not emit below the checkpointed watermark', () => {
    const t = testContext({ name: 'timestamps', restore: { checkpointId: 3, operatorState: [], watermark: 1_000 } });
    const op = new TimestampsAndWatermarksOperator<Ev>(t.ctx, perRecordWatermarks<Ev>((e) => e.ts));
    op.processElement({ k: 'a', ts: 600, v: 1 }, Number.NEGATIVE_INFINITY);
    op.processElement({ k: 'a', ts: 1_500, v: 1 }, Number.NEGATIVE_INFINITY);
    expect(t.watermarks()).toEqual([1_499]);
  });
});
