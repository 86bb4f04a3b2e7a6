// Entry point of `@runnel/api/serialization`.
export type {
  VersionedSerializer,
  SerializerCompatibility,
  SerializerSnapshot,
  CompatibilityAwareSerializer,
} from './versioned-serializer.js';
