// The acceptance test's third-party state backend (`acme-mem`): keyed state in JS memory, written in plain
// JavaScript against the `@runnel/api` contract only (no other @runnel package), as a backend published by someone
// else would be. Key identity (`normalizeKey`) and TTL semantics (`TtlPolicy`) come from `@runnel/api/state`, so it
// agrees with the runtime's timers and with every other backend; checkpoints use the canonical key-group entries.
//
// Layout: one Map per key group of the subtask, `stateName -> namespace -> normalizedKey -> stored`, where `stored`
// is the value (value state), the accumulated value (reducing, aggregating), an array of elements (list) or a Map
// `normalizedMapKey -> value` (map). With TTL, every value, element and map value is a `TtlEntry`.
import { VOID_NAMESPACE, TtlEntry, TtlPolicy, normalizeKey, denormalizeKey, sameTtl, checkRestoredSerializers } from '@runnel/api/state';

const GENERIC = { id: 'runnel.generic', version: 1 };

/** @typedef {import('@runnel/api/state').StateDescriptor} StateDescriptor */
/** @typedef {import('@runnel/api/state').StateMetaInfo} StateMetaInfo */

/**
 * Whether a TTL entry may still be used; refreshes its timestamp when reads refresh (on-read-and-write).
 * An expired entry is dropped by the caller (and still returned under `return-expired-if-not-cleaned-up`).
 */
function live(ttl, e, now) {
  if (ttl.expired(e, now)) return false;
  if (ttl.updateOnRead) e.timestamp = now;
  return true;
}

function toTtlEntry(name, pair) {
  if (!Array.isArray(pair) || pair.length !== 2 || typeof pair[1] !== 'number') {
    throw new TypeError(`restoring TTL state '${name}': expected a [value, timestamp] pair`);
  }
  return new TtlEntry(pair[0], pair[1]);
}

/** One registered state: its descriptor, resolved TTL policy and serializers, and the handle users get. */
class RegisteredState {
  constructor(descriptor, clock) {
    this.name = descriptor.name;
    this.kind = descriptor.kind;
    this.descriptor = descriptor;
    this.ttl = descriptor.ttl === undefined ? undefined : new TtlPolicy(descriptor.name, descriptor.ttl, clock);
    this.valueSer = descriptor.kind === 'map' ? descriptor.valueSerializer : descriptor.serializer;
    this.keySer = descriptor.kind === 'map' ? descriptor.keySerializer : undefined;
    this.handle = undefined;
  }

  /** @returns {StateMetaInfo} */
  meta() {
    const ser = (s) => (s ? { id: s.id, version: s.version } : GENERIC);
    const m = { name: this.name, kind: this.kind, valueSerializer: ser(this.valueSer) };
    if (this.kind === 'map') m.mapKeySerializer = ser(this.keySer);
    if (this.descriptor.ttl !== undefined) m.ttl = this.descriptor.ttl;
    return m;
  }

  /** Canonical snapshot form of a stored value (`undefined`: nothing visible to write). */
  exportValue(stored, now) {
    const ttl = this.ttl;
    const sv = this.valueSer ? (x) => this.valueSer.serialize(x) : (x) => x;
    const one = (x) => (ttl === undefined ? sv(x) : ttl.usable(x, now) ? [sv(x.value), x.timestamp] : undefined);
    if (this.kind === 'list') {
      const out = stored.map(one).filter((x) => x !== undefined);
      return out.length > 0 ? out : undefined;
    }
    if (this.kind === 'map') {
      const sk = this.keySer ? (k) => this.keySer.serialize(k) : (k) => k;
      const out = [];
      for (const [nk, x] of stored) {
        const v = one(x);
        if (v !== undefined) out.push([sk(denormalizeKey(nk)), v]);
      }
      return out.length > 0 ? out : undefined;
    }
    return one(stored);
  }

  /** Stored form of a canonical value written by any backend, read with this state's serializers. */
  importValue(value, meta) {
    if (meta !== undefined) {
      if (meta.kind !== this.kind) throw new Error(`state '${this.name}' was snapshotted as ${meta.kind} state, it is registered as ${this.kind} state`);
    }
    const dv = this.valueSer ? (b) => this.valueSer.deserialize(b, meta?.valueSerializer.version ?? this.valueSer.version) : (x) => x;
    const one = this.ttl === undefined ? dv : (x) => { const e = toTtlEntry(this.name, x); e.value = dv(e.value); return e; };
    if (this.kind === 'list') return Array.from(value, one);
    if (this.kind === 'map') {
      const dk = this.keySer ? (b) => this.keySer.deserialize(b, meta?.mapKeySerializer?.version ?? this.keySer.version) : (k) => k;
      const m = new Map();
      for (const [k, x] of value) m.set(normalizeKey(dk(k)), one(x));
      return m;
    }
    return one(value);
  }
}

/** Keyed state of one operator subtask, in JS memory. */
export class MemKeyedStateBackend {
  /** @param {import('@runnel/api/state').KeyedStateBackendContext} context */
  constructor(context) {
    const { start, end } = context.keyGroupRange;
    if (!Number.isInteger(start) || !Number.isInteger(end) || start < 0) throw new RangeError(`invalid key-group range [${start}, ${end}]`);
    this.keyGroupRange = { start, end };
    this.clock = context.clock;
    /** Named in errors about restored state (the operator subtask this backend belongs to). */
    this.owner = { uid: context.operatorUid, subtask: context.subtaskIndex };
    const size = Math.max(0, end - start + 1);
    /** Per key group (index from `start`): stateName -> namespace -> normalizedKey -> stored. */
    this.groups = Array.from({ length: size }, () => new Map());
    /** Restored entries of states not registered yet, in canonical form, same layout. */
    this.parked = Array.from({ length: size }, () => new Map());
    /** What restored snapshots said about each state. @type {Map<string, StateMetaInfo>} */
    this.restoredMeta = new Map();
    /** @type {Map<string, RegisteredState>} */
    this.states = new Map();
    this.key = undefined;
    this.nk = undefined;
    this.keyGroup = -1;
    this.index = -1;
    this.namespace = VOID_NAMESPACE;
    this.disposed = false;
  }

  // ---- current key and namespace ----

  setCurrentKey(key, keyGroup) {
    this.checkOpen();
    this.key = key;
    this.keyGroup = keyGroup;
    this.index = this.indexOf(keyGroup);
    this.nk = normalizeKey(key);
  }
  getCurrentKey() { return this.key; }
  getCurrentKeyGroup() { return this.keyGroup; }
  setCurrentNamespace(namespace) { this.namespace = namespace; }
  getCurrentNamespace() { return this.namespace; }

  indexOf(keyGroup) {
    const i = keyGroup - this.keyGroupRange.start;
    if (!Number.isInteger(i) || i < 0 || i >= this.groups.length) {
      const { start, end } = this.keyGroupRange;
      throw new RangeError(`key group ${keyGroup} is outside this backend's key-group range [${start}, ${end}] (a routing bug)`);
    }
    return i;
  }

  checkOpen() {
    if (this.disposed) throw new Error('keyed state backend is disposed');
  }

  // ---- raw access: the entry of (key group index, normalized key, namespace) ----

  read(st, i = this.index, nk = this.nk, ns = this.namespace) {
    if (i < 0) throw new Error('no current key: call setCurrentKey before accessing keyed state');
    return this.groups[i].get(st.name)?.get(ns)?.get(nk);
  }

  write(st, stored, i = this.index, nk = this.nk, ns = this.namespace) {
    if (i < 0) throw new Error('no current key: call setCurrentKey before accessing keyed state');
    const byState = this.groups[i];
    let byNs = byState.get(st.name);
    if (byNs === undefined) byState.set(st.name, (byNs = new Map()));
    let byKey = byNs.get(ns);
    if (byKey === undefined) byNs.set(ns, (byKey = new Map()));
    byKey.set(nk, stored);
  }

  remove(st, i = this.index, nk = this.nk, ns = this.namespace) {
    if (i < 0) throw new Error('no current key: call setCurrentKey before accessing keyed state');
    const byNs = this.groups[i].get(st.name);
    const byKey = byNs?.get(ns);
    if (byKey === undefined) return;
    byKey.delete(nk);
    if (byKey.size === 0) byNs.delete(ns);
    if (byNs.size === 0) this.groups[i].delete(st.name);
  }

  /** The value of a value/reducing/aggregating state for the current key (TTL applied), or `undefined`. */
  readScalar(st) {
    const s = this.read(st);
    if (s === undefined || st.ttl === undefined) return s;
    if (live(st.ttl, s, this.clock())) return s.value;
    this.remove(st);
    return st.ttl.returnExpired ? s.value : undefined;
  }

  writeScalar(st, value) {
    if (value === undefined) this.remove(st);
    else this.write(st, st.ttl === undefined ? value : new TtlEntry(value, this.clock()));
  }

  /** The visible elements of the current list (expired ones pruned). */
  readList(st) {
    const s = this.read(st);
    if (s === undefined) return [];
    if (st.ttl === undefined) return s.slice();
    const now = this.clock();
    const out = [];
    const kept = [];
    for (const e of s) {
      if (live(st.ttl, e, now)) kept.push(e);
      else if (!st.ttl.returnExpired) continue;
      out.push(e.value);
    }
    if (kept.length === 0) this.remove(st);
    else if (kept.length < s.length) this.write(st, kept);
    return out;
  }

  appendList(st, values) {
    const now = st.ttl === undefined ? 0 : this.clock();
    const add = Array.from(values, (v) => (st.ttl === undefined ? v : new TtlEntry(v, now)));
    if (add.length === 0) return;
    const s = this.read(st);
    if (s === undefined) this.write(st, add);
    else for (const x of add) s.push(x);
  }

  /** The visible `[normalizedKey, value]` pairs of the current map (expired entries pruned). */
  readMap(st) {
    const m = this.read(st);
    if (m === undefined) return [];
    if (st.ttl === undefined) return [...m];
    const now = this.clock();
    const out = [];
    for (const [nk, e] of m) {
      if (live(st.ttl, e, now)) out.push([nk, e.value]);
      else {
        m.delete(nk); // (deleting while iterating a Map is safe)
        if (st.ttl.returnExpired) out.push([nk, e.value]);
      }
    }
    if (m.size === 0) this.remove(st);
    return out;
  }

  /** `[found, value]` of one map key of the current map. */
  mapGet(st, key) {
    const m = this.read(st);
    const nk = normalizeKey(key);
    if (m === undefined || !m.has(nk)) return [false, undefined];
    const e = m.get(nk);
    if (st.ttl === undefined) return [true, e];
    if (live(st.ttl, e, this.clock())) return [true, e.value];
    m.delete(nk);
    if (m.size === 0) this.remove(st);
    return st.ttl.returnExpired ? [true, e.value] : [false, undefined];
  }

  mapPut(st, entries) {
    const now = st.ttl === undefined ? 0 : this.clock();
    let m = this.read(st);
    for (const [k, v] of entries) {
      if (m === undefined) this.write(st, (m = new Map()));
      m.set(normalizeKey(k), st.ttl === undefined ? v : new TtlEntry(v, now));
    }
  }

  mapRemove(st, key) {
    const m = this.read(st);
    if (m === undefined) return;
    m.delete(normalizeKey(key));
    if (m.size === 0) this.remove(st);
  }

  // ---- state handles ----

  getValueState(d) {
    return this.register(d, 'value', (st) => ({
      value: () => { const v = this.readScalar(st); return v === undefined ? d.defaultValue : v; },
      update: (v) => this.writeScalar(st, v),
      clear: () => this.remove(st),
    }));
  }

  getListState(d) {
    return this.register(d, 'list', (st) => ({
      get: () => this.readList(st),
      add: (v) => this.appendList(st, [v]),
      addAll: (vs) => this.appendList(st, vs),
      update: (vs) => { this.remove(st); this.appendList(st, vs); },
      clear: () => this.remove(st),
    }));
  }

  getMapState(d) {
    const self = this;
    return this.register(d, 'map', (st) => ({
      get: (k) => this.mapGet(st, k)[1],
      put: (k, v) => this.mapPut(st, [[k, v]]),
      putAll: (entries) => this.mapPut(st, entries),
      remove: (k) => this.mapRemove(st, k),
      contains: (k) => this.mapGet(st, k)[0],
      *entries() { for (const [nk, v] of self.readMap(st)) yield [denormalizeKey(nk), v]; },
      *keys() { for (const [nk] of self.readMap(st)) yield denormalizeKey(nk); },
      *values() { for (const [, v] of self.readMap(st)) yield v; },
      isEmpty: () => this.readMap(st).length === 0,
      clear: () => this.remove(st),
    }));
  }

  getReducingState(d) {
    if (typeof d.reduce !== 'function') throw new TypeError(`reducing state '${d.name}' needs a reduce function`);
    return this.register(d, 'reducing', (st) => ({
      get: () => this.readScalar(st),
      add: (v) => { const cur = this.readScalar(st); this.writeScalar(st, cur === undefined ? v : d.reduce(cur, v)); },
      clear: () => this.remove(st),
    }));
  }

  getAggregatingState(d) {
    const agg = d.aggregate;
    if (agg === undefined || typeof agg.add !== 'function') throw new TypeError(`aggregating state '${d.name}' needs an AggregateFunction`);
    return this.register(d, 'aggregating', (st) => ({
      get: () => { const acc = this.readScalar(st); return acc === undefined ? undefined : agg.getResult(acc); },
      add: (v) => { const acc = this.readScalar(st); this.writeScalar(st, agg.add(v, acc === undefined ? agg.createAccumulator() : acc)); },
      clear: () => this.remove(st),
    }));
  }

  /** Registers a state once per name (same kind and TTL afterwards) and loads its parked restored entries. */
  register(d, kind, makeHandle) {
    this.checkOpen();
    if (typeof d?.name !== 'string' || d.name === '') throw new TypeError('a state descriptor needs a non-empty name');
    if (d.kind !== undefined && d.kind !== kind) throw new TypeError(`state '${d.name}': a ${d.kind} descriptor was passed for ${kind} state`);
    const existing = this.states.get(d.name);
    if (existing !== undefined) {
      if (existing.kind !== kind) throw new Error(`state '${d.name}' is already registered as ${existing.kind} state, not ${kind} state`);
      if (!sameTtl(existing.descriptor.ttl, d.ttl)) throw new Error(`state '${d.name}' is already registered with a different TTL configuration`);
      return existing.handle;
    }
    const st = new RegisteredState({ ...d, kind }, this.clock);
    // The same rule as Runnel's own backends: a serializer that cannot read the restored state fails here, once.
    const meta = this.restoredMeta.get(d.name);
    if (meta !== undefined) checkRestoredSerializers(st.descriptor, meta, this.owner);
    st.handle = makeHandle(st);
    this.states.set(d.name, st);
    this.unpark(st);
    return st.handle;
  }

  /** Moves the parked restored entries of a (now registered) state into the live tables. */
  unpark(st) {
    const meta = this.restoredMeta.get(st.name);
    this.parked.forEach((byState, i) => {
      const byNs = byState.get(st.name);
      if (byNs === undefined) return;
      byState.delete(st.name);
      for (const [ns, byKey] of byNs) {
        for (const [nk, value] of byKey) {
          if (value === undefined) this.remove(st, i, nk, ns);
          else this.write(st, st.importValue(value, meta), i, nk, ns);
        }
      }
    });
  }

  // ---- work across keys ----

  mergeNamespaces(stateName, target, sources) {
    const st = this.states.get(stateName);
    if (st === undefined) throw new Error(`no keyed state named '${stateName}' is registered`);
    const { kind, descriptor: d, ttl } = st;
    if (kind === 'value' || kind === 'map') throw new Error(`${kind} state '${stateName}' cannot merge namespaces (use list, reducing or aggregating state)`);
    const merge = kind === 'reducing' ? d.reduce : kind === 'aggregating' ? d.aggregate.merge?.bind(d.aggregate) : undefined;
    if (kind === 'aggregating' && typeof merge !== 'function') throw new Error(`aggregating state '${stateName}' cannot merge namespaces: its AggregateFunction has no merge`);
    const now = ttl === undefined ? 0 : this.clock();
    const usable = (s) => (ttl === undefined ? s : ttl.usable(s, now) ? s.value : undefined);
    for (const source of sources) {
      if (source === target) continue;
      const s = this.read(st, this.index, this.nk, source);
      if (s === undefined) continue;
      this.remove(st, this.index, this.nk, source);
      const t = this.read(st, this.index, this.nk, target);
      if (kind === 'list') {
        if (t === undefined) this.write(st, s.slice(), this.index, this.nk, target);
        else for (const x of s) t.push(x);
        continue;
      }
      const a = t === undefined ? undefined : usable(t);
      const b = usable(s);
      const v = a === undefined ? b : b === undefined ? a : merge(a, b);
      if (v === undefined) continue;
      this.write(st, ttl === undefined ? v : new TtlEntry(v, now), this.index, this.nk, target);
    }
  }

  *keys(stateName, namespace) {
    const st = this.states.get(stateName);
    if (st === undefined) return;
    const ttl = st.ttl !== undefined && !st.ttl.returnExpired ? st.ttl : undefined;
    const now = ttl === undefined ? 0 : this.clock();
    const isLive = (e) => !ttl.expired(e, now);
    for (const byState of this.groups) {
      const byKey = byState.get(stateName)?.get(namespace);
      if (byKey === undefined) continue;
      for (const [nk, s] of [...byKey]) {
        if (ttl !== undefined) {
          const any = st.kind === 'list' ? s.some(isLive) : st.kind === 'map' ? [...s.values()].some(isLive) : isLive(s);
          if (!any) continue;
        }
        yield denormalizeKey(nk);
      }
    }
  }

  // ---- checkpoints ----

  /** Encodes every visible entry, key group by key group, at the barrier (the encoder copies what it is given). */
  snapshotTo(_checkpointId, encoder) {
    this.checkOpen();
    const now = this.clock();
    for (let i = 0; i < this.groups.length; i++) {
      encoder.beginKeyGroup(this.keyGroupRange.start + i);
      for (const [name, byNs] of this.groups[i]) {
        const st = this.states.get(name);
        for (const [ns, byKey] of byNs) {
          for (const [nk, stored] of byKey) {
            const value = st.exportValue(stored, now);
            if (value !== undefined) encoder.entry(name, denormalizeKey(nk), ns, value);
          }
        }
      }
      // Restored state this job never registered is carried over as it was.
      for (const [name, byNs] of this.parked[i]) {
        for (const [ns, byKey] of byNs) {
          for (const [nk, value] of byKey) if (value !== undefined) encoder.entry(name, denormalizeKey(nk), ns, value);
        }
      }
      encoder.endKeyGroup();
    }
    const metas = [...this.states.values()].map((st) => st.meta());
    for (const [name, m] of this.restoredMeta) if (!this.states.has(name) && this.parked.some((g) => g.has(name))) metas.push(m);
    return metas;
  }

  /** Loads canonical entries (of this backend's key groups, from any backend and parallelism), in order. */
  restore(states, groups) {
    this.checkOpen();
    for (const m of states) {
      const st = this.states.get(m.name);
      if (st !== undefined) checkRestoredSerializers(st.descriptor, m, this.owner);
      this.restoredMeta.set(m.name, m);
    }
    for (const g of groups) {
      const i = this.indexOf(g.keyGroup);
      for (const e of g.entries) {
        const byState = this.parked[i];
        let byNs = byState.get(e.state);
        if (byNs === undefined) byState.set(e.state, (byNs = new Map()));
        let byKey = byNs.get(e.namespace);
        if (byKey === undefined) byNs.set(e.namespace, (byKey = new Map()));
        // A later entry replaces an earlier one; a tombstone (value undefined, from an incremental snapshot) is kept
        // so that it also removes what a registered state holds.
        const nk = normalizeKey(e.key);
        byKey.delete(nk);
        byKey.set(nk, e.value);
      }
    }
    // Entries of states registered already go live now; the others when their state is registered.
    for (const st of this.states.values()) this.unpark(st);
  }

  dispose() {
    if (this.disposed) return;
    this.disposed = true;
    this.groups = [];
    this.parked = [];
    this.states.clear();
    this.index = -1;
  }
}

/** The `acme-mem` state backend: creates in-memory keyed state stores (operator state stays with the runtime). */
export class MemStateBackend {
  name = 'acme-mem';

  /** @param {import('@runnel/api/state').KeyedStateBackendContext} context */
  createKeyedStateBackend(context) {
    return new MemKeyedStateBackend(context);
  }

  /** Nothing is shared between stores; idempotent. */
  close() {}
}

/** @type {import('@runnel/api/state').StateBackendFactory} */
export const memStateBackend = {
  kind: 'state-backend',
  identifier: 'acme-mem',
  apiVersion: '^0.1.0',
  description: "keyed state in JS memory (the acceptance test's third-party backend)",
  options: [],
  create() {
    return new MemStateBackend();
  },
};
