// BIGINT results made from plain-number accumulators (COUNT, the count and the small part of SUM and AVG).
// `BigInt(n)` allocates a new bigint per call, and a group aggregation asks for every result twice per row (the row
// before the change and the row after it), so a query with a dozen counts made two dozen bigints per row. A small
// direct-mapped cache keyed by the number returns the bigint made for that number recently: a result that did not
// change between the two calls, and the small counts that many groups share, cost no allocation. Bigints are
// immutable values, so sharing one is invisible; a miss costs one comparison more than before.

const SIZE = 4096; // a power of two: the slot is the number's low bits
const numbers = new Float64Array(SIZE).fill(Number.NaN);
const bigints: bigint[] = new Array<bigint>(SIZE).fill(0n);

/**
 * `BigInt(n)` for an integer number, from a cache when the same number was converted recently.
 *
 * @internal
 */
export function bigintOf(n: number): bigint {
  const slot = n & (SIZE - 1);
  if (numbers[slot] === n) return bigints[slot]!;
  const b = BigInt(n);
  numbers[slot] = n;
  bigints[slot] = b;
  return b;
}
