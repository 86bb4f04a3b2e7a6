// The state layout in keyed SQL operator uids, and the session's message for a refused older layout.
import { describe, expect, it } from 'vitest';
import { SQL_STATE_LAYOUT, keyedUidPrefix, stateLayoutOfUid } from '../../src/planner/state-layout.js';
import { explainStateLayoutRefusal } from '../../src/session/state-layout-refusal.js';

const refusal = (ops: string): Error =>
  new Error(
    `job 'collect' failed: cannot restore from savepoint /sp: it holds state of operator(s) the job no longer has: ${ops}. ` +
      'Give those operators their old uid, or drop their state with --allow-non-restored-state (execution.savepoint.ignore-unclaimed-state).',
  );

describe('SQL state layout', () => {
  it('reads the layout from uids', () => {
    expect(stateLayoutOfUid('sql-0123456789abcdef')).toBe(1);
    expect(stateLayoutOfUid('sql-0123456789abcdef-2')).toBe(1);
    expect(stateLayoutOfUid(`${keyedUidPrefix()}0123456789abcdef`)).toBe(SQL_STATE_LAYOUT);
    expect(stateLayoutOfUid('sql-sink-0123456789abcdef')).toBeUndefined();
    expect(stateLayoutOfUid('my-operator')).toBeUndefined();
  });

  it('names older-layout operators, with names that contain quotes', () => {
    const e = explainStateLayoutRefusal(refusal(`'Calc(where=[a = 'x'])' (uid my-op), 'GroupAggregate(groupBy=[a])' (uid sql-0123456789abcdef)`));
    expect((e as Error).message).toMatch(/^cannot restore from savepoint \/sp: it was taken with an incompatible SQL state layout \(1; /);
    expect((e as Error).message).toContain(`Operator(s): 'GroupAggregate(groupBy=[a])' (uid sql-0123456789abcdef, layout 1).`);
    expect((e as Error).message).not.toContain('my-op');
    expect((e as Error).cause).toBeInstanceOf(Error);
  });

  it('leaves other refusals as they are (a changed query in the current layout, other errors)', () => {
    const changed = refusal(`'GroupAggregate(groupBy=[a])' (uid ${keyedUidPrefix()}0123456789abcdef)`);
    expect(explainStateLayoutRefusal(changed)).toBe(changed);
    const other = new Error('boom');
    expect(explainStateLayoutRefusal(other)).toBe(other);
  });
});
