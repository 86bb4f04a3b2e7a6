// Transactional ids of the exactly-once sink, as Flink's `TransactionalIdFactory` builds them:
// `<prefix>-<subtask>-<checkpoint offset>`, where the transaction holding the records between barrier c-1 and c
// (or, after a restore from c-1, the first one) is named c. Ids derive from the checkpoint, not from a counter of
// the process, so that a restored writer can name every id a failed run may have left open and abort it, and two
// subtasks (or two checkpoints) never share one.

/**
 * The transactional id of `subtask`'s transaction that ends with checkpoint `checkpoint`.
 *
 * @public
 */
export function transactionalId(prefix: string, subtask: number, checkpoint: number): string {
  return `${prefix}-${subtask}-${checkpoint}`;
}
