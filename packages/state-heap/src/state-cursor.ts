// The current key and namespace of a keyed backend, shared by reference with every state handle of that backend.
// Handles are created once per operator and reused for every record, so they read these fields on each call; the
// key-group index and the normalised map key are computed once in `setCurrentKey` instead of once per access.
import { VOID_NAMESPACE, type StateNamespace } from '@runnel/api/state';

/**
 * Mutable scope of state access (one per keyed backend).
 *
 * @internal
 */
export class StateCursor {
  /** The original key, as given to `setCurrentKey`. */
  key: unknown = undefined;
  /** The key group of `key`. */
  keyGroup = -1;
  /** `keyGroup - range.start`: the index into per-key-group tables; -1 until a key is set. */
  kgIndex = -1;
  /** The `Map` key of `key` (see `normalizeKey`). */
  mapKey: unknown = undefined;
  namespace: StateNamespace = VOID_NAMESPACE;
  /** Whether `namespace` is the void namespace: selects the fast, single-level tables. */
  isVoid = true;
  /**
   * Incremented whenever the key or the namespace changes: a tracked table remembers the cell it last read together
   * with this, so that the write of a read-modify-write (aggregating, reducing, list add) skips a second lookup.
   */
  epoch = 0;
}
