// Checks that a state's restored bytes can be read by the serializers its descriptor names now. Done once per state,
// when both the snapshot's meta info and the descriptor are known (restore into a registered state, or the first
// registration after a restore), so a serializer swap fails clearly instead of misreading every value later. It lives
// in the api package because every state backend (heap, LevelDB, third-party ones) must apply the same rule, and
// backends share no runtime code.
import type { SerializerSnapshot, VersionedSerializer } from '../serialization/versioned-serializer.js';
import type { StateDescriptor } from './descriptors.js';
import type { StateMetaInfo } from './snapshot.js';

const GENERIC: SerializerSnapshot = { id: 'runnel.generic', version: 1 };

/**
 * The operator subtask a state backend belongs to, for error messages.
 *
 * @beta
 */
export interface StateOwner {
  /** The operator's uid. */
  readonly uid: string;
  /** The subtask's index (0-based). */
  readonly subtask: number;
}

/**
 * Throws a `StateMigrationError` (an `Error` of that name) when a serializer of `descriptor` cannot read what the
 * snapshot's `meta` says wrote the restored state. A serializer reads its own id at its version or older (every
 * versioned serializer reads the versions it ever wrote); one with `resolveCompatibility` decides for itself. State
 * backends call it once per restored state, when both the meta info and the descriptor are known.
 *
 * @beta
 */
export function checkRestoredSerializers(descriptor: StateDescriptor, meta: StateMetaInfo, owner: StateOwner | undefined): void {
  const value = descriptor.kind === 'map' ? descriptor.valueSerializer : (descriptor as { serializer?: VersionedSerializer<unknown> }).serializer;
  checkOne(descriptor.name, owner, 'values', meta.valueSerializer, value);
  if (descriptor.kind === 'map') checkOne(descriptor.name, owner, 'map keys', meta.mapKeySerializer, descriptor.keySerializer);
}

function checkOne(
  state: string,
  owner: StateOwner | undefined,
  what: string,
  written: SerializerSnapshot | undefined,
  used: VersionedSerializer<unknown> | undefined,
): void {
  const w = written ?? GENERIC;
  const u: SerializerSnapshot = used === undefined ? GENERIC : { id: used.id, version: used.version };
  let reason: string | undefined;
  const resolve = (used as { resolveCompatibility?: unknown } | undefined)?.resolveCompatibility;
  if (typeof resolve === 'function') {
    const verdict = (resolve as (s: SerializerSnapshot) => { kind: string; reason?: string }).call(used, { id: w.id, version: w.version });
    if (verdict.kind === 'incompatible') reason = `it judges them incompatible: ${verdict.reason ?? 'no reason given'}`;
  } else if (w.id !== u.id) {
    reason = 'it is another serializer';
  } else if (w.version > u.version) {
    reason = `version ${u.version} cannot read the newer version ${w.version}`;
  }
  if (reason === undefined) return;
  const where = owner === undefined ? '' : ` of operator '${owner.uid}' (subtask ${owner.subtask})`;
  const err = new Error(
    `cannot restore keyed state '${state}'${where}: its ${what} were written by serializer '${w.id}' version ${w.version}, ` +
      `but the state descriptor names serializer '${u.id}' version ${u.version}, which cannot read them (${reason}). ` +
      `Restore with the serializer that wrote the state (or a later version of the same serializer), or start the ` +
      `state empty under a new state name (or a new operator uid, with --allow-non-restored-state).`,
  );
  err.name = 'StateMigrationError';
  throw err;
}
