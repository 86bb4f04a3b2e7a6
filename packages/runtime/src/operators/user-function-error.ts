// Errors thrown by user code are wrapped once, at the innermost operator, with the operator and the record that
// caused them, so that a failed job says where and on what it failed.

/**
 * A user function threw. Carries the operator, subtask and (abbreviated) record.
 *
 * @public
 */
export class UserFunctionError extends Error {
  constructor(
    readonly operatorName: string,
    readonly operatorUid: string,
    readonly subtaskIndex: number,
    readonly parallelism: number,
    readonly record: string | undefined,
    cause: unknown,
  ) {
    const reason = cause instanceof Error ? cause.message : String(cause);
    super(
      `operator '${operatorName}' (uid ${operatorUid}, subtask ${subtaskIndex + 1}/${parallelism}) failed` +
        (record !== undefined ? ` on record ${record}` : '') +
        `: ${reason}`,
      { cause },
    );
    this.name = 'UserFunctionError';
  }
}

/** A short, safe rendering of a record for error messages. @internal */
export function describeRecord(value: unknown, max = 300): string {
  let s: string;
  try {
    s = typeof value === 'string' ? JSON.stringify(value) : JSON.stringify(value, (_k, v) => (typeof v === 'bigint' ? `${v}n` : v)) ?? String(value);
  } catch {
    s = String(value);
  }
  return s.length > max ? s.slice(0, max) + '…' : s;
}

const NO_RECORD = Symbol('no-record');

/** @internal */
export function wrapUserError(
  e: unknown,
  ctx: { node: { name: string; uid: string }; subtaskIndex: number; parallelism: number },
  record: unknown = NO_RECORD,
): Error {
  if (e instanceof UserFunctionError) return e;
  return new UserFunctionError(ctx.node.name, ctx.node.uid, ctx.subtaskIndex, ctx.parallelism, record === NO_RECORD ? undefined : describeRecord(record), e);
}
