// Output tags name side outputs: a process function emits to a tag, and `getSideOutput(tag)` turns the tagged
// records into a stream of their own (late data of windows, dead letters, splits of a stream).

/**
 * Names a side output of an operator.
 *
 * @public
 */
export class OutputTag<T> {
  /** Phantom field that carries the element type. */
  declare readonly __type?: T;
  constructor(readonly id: string) {
    if (!id) throw new Error('an OutputTag needs a non-empty id');
  }
}
