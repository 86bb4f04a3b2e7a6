// Kafka's key hash: murmur2 as the Java client's `Utils.murmur2`, so that a key lands in the partition a Java (or
// Flink) producer would choose and keyed data written by Runnel joins data written by others. The hash is of the key
// bytes (UTF-8 for a string key); the partition is `toPositive(hash) % numPartitions`, as Kafka's
// `BuiltInPartitioner.partitionForKey`.

const utf8 = new TextEncoder();

/**
 * Kafka's murmur2 hash of `data` (a signed 32-bit integer, as Java's `Utils.murmur2` returns).
 *
 * @public
 */
export function murmur2(data: Uint8Array): number {
  const length = data.length;
  const m = 0x5bd1e995;
  let h = 0x9747b28c ^ length;
  const words = length >> 2;
  for (let i = 0; i < words; i++) {
    const j = i * 4;
    let k = data[j]! | (data[j + 1]! << 8) | (data[j + 2]! << 16) | (data[j + 3]! << 24);
    k = Math.imul(k, m);
    k ^= k >>> 24;
    k = Math.imul(k, m);
    h = Math.imul(h, m) ^ k;
  }
  // The tail, as Java's fall-through switch (3, then 2, then 1).
  const tail = length & ~3;
  const rest = length & 3;
  if (rest === 3) h ^= data[tail + 2]! << 16;
  if (rest >= 2) h ^= data[tail + 1]! << 8;
  if (rest >= 1) h = Math.imul(h ^ data[tail]!, m);
  h ^= h >>> 13;
  h = Math.imul(h, m);
  h ^= h >>> 15;
  return h | 0;
}

/**
 * The partition Kafka's default partitioner gives a key: `(murmur2(key) & 0x7fffffff) % numPartitions`.
 *
 * @public
 */
export function partitionForKey(key: Uint8Array | string, numPartitions: number): number {
  return (murmur2(typeof key === 'string' ? keyBytes(key) : key) & 0x7fffffff) % numPartitions;
}

/** A reused buffer for ASCII keys: `TextEncoder.encode` allocates and costs most of the hash for short keys. */
let ascii = new Uint8Array(64);

/** The UTF-8 bytes of a key: ASCII copied into the reused buffer (valid until the next call), others encoded. */
function keyBytes(key: string): Uint8Array {
  const n = key.length;
  if (n > ascii.length) ascii = new Uint8Array(Math.max(n, ascii.length * 2));
  for (let i = 0; i < n; i++) {
    const c = key.charCodeAt(i);
    if (c >= 0x80) return utf8.encode(key);
    ascii[i] = c;
  }
  return ascii.subarray(0, n);
}
