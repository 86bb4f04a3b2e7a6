// The serializer cases of the state backend conformance suite: a restored state must be refused with a
// `StateMigrationError` when the descriptor registered after the restore names a serializer that cannot read what
// wrote it (another serializer id, or a newer version than the descriptor's), naming the state and the operator —
// and a serializer that reads older versions must get the values back. A backend that restores such state silently
// misreads every value later (the LevelDB backend did until 9d51dd9), so third-party backends are held to the same
// rule through `checkRestoredSerializers` of `@runnel/api/state`. Kept apart from the other cases to keep each file
// to one concept.
import type { VersionedSerializer } from '@runnel/api';
import type { KeyedBackendDriver, KeyedBackendDriverOptions } from '../state/keyed-backend-driver.js';
import { check, type ConformanceCase } from './suite.js';

/** Opens a keyed backend for a case; `register: false` leaves every state unregistered after the restore. */
export type OpenDriver = (options?: KeyedBackendDriverOptions & { readonly register?: boolean }) => Promise<KeyedBackendDriver>;
/** Wraps a case body with the suite's clean-up. */
export type MakeCase = (name: string, run: () => Promise<void>) => ConformanceCase;

/**
 * A text serializer whose versions differ in layout: version 1 writes the UTF-8 bytes, version 2 a marker byte and
 * then the bytes; each version reads every version up to its own.
 */
function textSerializer(id: string, version: 1 | 2): VersionedSerializer<string> {
  return {
    id,
    version,
    serialize(v) {
      const text = new TextEncoder().encode(v);
      if (version === 1) return text;
      const out = new Uint8Array(text.length + 1);
      out[0] = 0xee;
      out.set(text, 1);
      return out;
    },
    deserialize(bytes, written) {
      if (written > version) throw new Error(`${id} v${version} cannot read v${written}`);
      if (written === 2 && bytes[0] !== 0xee) throw new Error(`${id}: v2 bytes without their marker`);
      return new TextDecoder().decode(written === 2 ? bytes.subarray(1) : bytes);
    },
  };
}

/** Writes a state with `written`, restores it and registers it with `registered`: the error, or the values read back. */
async function restoreUnder(open: OpenDriver, written: VersionedSerializer<string>, registered: VersionedSerializer<string>): Promise<{ error?: Error; values: unknown[] }> {
  const w = await open({ register: false });
  w.register([{ kind: 'value', name: 'text', serializer: written }]);
  for (const k of ['a', 'b']) await w.at(k, (b) => b.getValueState<string>({ kind: 'value', name: 'text', serializer: written }).update(`value of ${k}`));
  const cp = await w.snapshot(1);
  const r = await open({ register: false, restore: [cp], operatorUid: 'counts-by-user' });
  const desc = { kind: 'value' as const, name: 'text', serializer: registered };
  try {
    r.register([desc]);
    const values: unknown[] = [];
    for (const k of ['a', 'b']) values.push(await r.at(k, (b) => b.getValueState<string>(desc).value()));
    return { values };
  } catch (e) {
    return { error: e instanceof Error ? e : new Error(String(e)), values: [] };
  }
}

function expectRefused(result: { error?: Error; values: unknown[] }, what: string): void {
  const e = result.error;
  check(e !== undefined, () => `${what}: restored without an error (read back ${JSON.stringify(result.values)})`);
  check(e.name === 'StateMigrationError', () => `${what}: failed with ${e.name} ('${e.message}'), expected a StateMigrationError (see checkRestoredSerializers in @runnel/api/state)`);
  check(e.message.includes("'text'") && e.message.includes('counts-by-user'), () => `${what}: the error does not name the state 'text' and the operator 'counts-by-user': ${e.message}`);
}

/**
 * The serializer cases, built with the suite's `open` and `make`.
 *
 * @internal
 */
export function serializerCases(open: OpenDriver, make: MakeCase): ConformanceCase[] {
  return [
    make('restore under another serializer id is refused with a StateMigrationError naming the state and operator', async () => {
      expectRefused(await restoreUnder(open, textSerializer('conformance.text', 1), textSerializer('conformance.other-text', 1)), 'state written by conformance.text, registered with conformance.other-text');
    }),
    make('restore of state written by a newer version than the descriptor\'s serializer is refused', async () => {
      expectRefused(await restoreUnder(open, textSerializer('conformance.text', 2), textSerializer('conformance.text', 1)), 'state written by conformance.text v2, registered with v1');
    }),
    make('restore under a newer version of the same serializer reads the values back', async () => {
      const r = await restoreUnder(open, textSerializer('conformance.text', 1), textSerializer('conformance.text', 2));
      check(r.error === undefined, () => `state written by conformance.text v1, registered with v2 (which reads v1): ${r.error?.name}: ${r.error?.message}`);
      check(JSON.stringify(r.values) === JSON.stringify(['value of a', 'value of b']), () => `restored values ${JSON.stringify(r.values)}, expected ["value of a","value of b"]`);
    }),
  ];
}
