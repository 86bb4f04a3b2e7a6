// The contract for everything Runnel persists (state values, splits, checkpoint metadata): bytes always travel
// with the id and version of the serializer that wrote them, so a later version can read, migrate or refuse them,
// and the compatibility checker can reason about them without running user code.

/**
 * Turns values into bytes and back, under a stable identity.
 *
 * `id` names the format (for example `runnel.generic`), `version` the revision of that format. A serializer must
 * be able to read every version it ever wrote; `deserialize` receives the version the bytes were written with.
 *
 * @public
 */
export interface VersionedSerializer<T> {
  /** Stable, globally unique format identifier, e.g. `runnel.generic` or `kafka.split`. */
  readonly id: string;
  /** Current format revision, a positive integer; bump it when the byte layout changes. */
  readonly version: number;
  /** Serializes a value in the current version. */
  serialize(value: T): Uint8Array;
  /** Deserializes bytes that were written by `version` of this serializer. */
  deserialize(bytes: Uint8Array, version: number): T;
}

/**
 * How a restoring serializer judges bytes written by another serializer or version.
 *
 * @public
 */
export type SerializerCompatibility =
  | { readonly kind: 'compatible-as-is' }
  | { readonly kind: 'compatible-after-migration' }
  | { readonly kind: 'incompatible'; readonly reason: string };

/**
 * The identity of a serializer as recorded in savepoints: enough to decide compatibility without the bytes.
 *
 * @public
 */
export interface SerializerSnapshot {
  readonly id: string;
  readonly version: number;
}

/**
 * Optional capability of a serializer: judge whether it can read what another serializer wrote.
 *
 * @public
 */
export interface CompatibilityAwareSerializer<T> extends VersionedSerializer<T> {
  resolveCompatibility(written: SerializerSnapshot): SerializerCompatibility;
}
