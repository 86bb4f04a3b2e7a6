// `@runnel/state-heap`: keyed and operator state in JS memory, organised by key group.
export { HeapStateBackend } from './heap-state-backend.js';
export { heapStateBackend, HeapOptions } from './heap-state-backend-factory.js';
export { HeapKeyedStateBackend } from './heap-keyed-state-backend.js';
export type { StateEntryVisitor } from './heap-keyed-state-backend.js';
export { HeapOperatorStateStore } from './heap-operator-state-store.js';
export type { OperatorStateDistribution } from './heap-operator-state-store.js';
export type { HeapStateBackendOptions } from './options.js';
