// Entry point of `@runnel/api/state`.
export {
  DEFAULT_MAX_PARALLELISM,
  hashKey,
  keyGroupFor,
  operatorIndexForKeyGroup,
  keyGroupRangeForSubtask,
  keyGroupRangeContains,
} from './key-groups.js';
export type { KeyGroupRange } from './key-groups.js';
export { normalizeKey, denormalizeKey } from './key-identity.js';
export { TtlEntry, TtlPolicy, sameTtl } from './ttl-policy.js';
export { checkRestoredSerializers } from './restored-serializers.js';
export type { StateOwner } from './restored-serializers.js';
export type { TtlPair } from './ttl-policy.js';
export type {
  StateTtlConfig,
  StateKind,
  ValueStateDescriptor,
  ListStateDescriptor,
  MapStateDescriptor,
  ReducingStateDescriptor,
  AggregatingStateDescriptor,
  AggregateFunction,
  StateDescriptor,
} from './descriptors.js';
export type { ValueState, ListState, MapState, ReducingState, AggregatingState } from './state.js';
export { VOID_NAMESPACE } from './backend.js';
export type {
  StateNamespace,
  KeyedStateBackendContext,
  KeyedStateBackend,
  OperatorStateContext,
  OperatorStateStore,
  StateBackend,
} from './backend.js';
export type { StateBackendFactory, StateBackendFactoryContext } from './backend-factory.js';
export type {
  StateMetaInfo,
  KeyedStateEntry,
  KeyGroupEntries,
  KeyedStateSnapshot,
  KeyedStateEncoder,
  OperatorStateEntries,
} from './snapshot.js';
