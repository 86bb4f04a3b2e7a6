// Micro benchmark of @runnel/codec on the exchange's hot path: encode batches of records with
// BinaryWriter.writeValue + take(), decode them with BinaryReader.readValue. Records: Nexmark-like bids and small
// numeric records. Prints records/s (median of rounds) and bytes/record; JSON is shown for scale.
//
// Run: cd benchmarks/micro && npx tsx --conditions=@runnel/source src/codec.ts [--records=500000] [--pool=8192]
//        [--batch=1024] [--rounds=7]

import { BinaryReader, BinaryWriter } from '@runnel/codec';

const args = new Map(
  process.argv.slice(2).map((a) => {
    const [k, v] = a.replace(/^--/, '').split('=');
    return [k!, Number(v)] as const;
  }),
);
const RECORDS = args.get('records') ?? 500_000;
// Distinct records cycled through: recently created records are what an exchange encodes, so the working set
// stays modest (a pool of all records would measure cache misses rather than the codec).
const POOL = args.get('pool') ?? 8192;
const ROUNDS = args.get('rounds') ?? 7;
const BATCH = args.get('batch') ?? 1024;

// Deterministic PRNG so runs are comparable.
let seed = 42;
function rand(): number {
  seed = (seed * 1664525 + 1013904223) >>> 0;
  return seed / 4294967296;
}
const ALPHABET = 'abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789 ';
function randomText(n: number): string {
  let s = '';
  for (let i = 0; i < n; i++) s += ALPHABET[Math.floor(rand() * ALPHABET.length)];
  // Flatten the rope built by `+=`, as strings decoded from the wire or a driver would be.
  return Buffer.from(s).toString('latin1');
}
const flat = (s: string): string => Buffer.from(s).toString('latin1');

interface Bid {
  auction: number;
  bidder: number;
  price: number;
  channel: string;
  url: string;
  dateTime: number;
  extra: string;
}

function makeBids(n: number): Bid[] {
  const channels = ['Google', 'Facebook', 'Baidu', 'Apple'].map((c) => flat(`channel-${c}`));
  const out: Bid[] = [];
  const t0 = 1_700_000_000_000;
  for (let i = 0; i < n; i++) {
    out.push({
      auction: 1000 + Math.floor(rand() * 5000),
      bidder: 1000 + Math.floor(rand() * 100_000),
      price: Math.floor(rand() * 10_000_000),
      channel: channels[i % 4]!,
      url: flat(`https://www.nexmark.com/${randomText(5)}/${randomText(5)}/item.htm?query=1&channel_id=${i}`),
      dateTime: t0 + i * 10,
      extra: randomText(100),
    });
  }
  return out;
}

interface Small {
  key: number;
  ts: number;
  count: number;
}

function makeSmall(n: number): Small[] {
  const out: Small[] = [];
  for (let i = 0; i < n; i++) out.push({ key: Math.floor(rand() * 50_000), ts: 1_700_000_000_000 + i, count: i % 100 });
  return out;
}

// CPU time of this process (user + system), in seconds. Other agents share these 2 cores, so wall-clock rates
// swing with their load; CPU time of our own thread is the steadier measure (GC helper threads count too).
function cpuSeconds(): number {
  const u = process.cpuUsage();
  return (u.user + u.system) / 1e6;
}

function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.floor(s.length / 2)]!;
}

// Encode `total` records cycling over the pool; keep the batches of one pass over the pool for decoding.
function encodeAll(records: readonly object[], total: number, w: BinaryWriter, keep: ArrayBuffer[]): void {
  let k = 0;
  for (let done = 0; done < total; ) {
    for (let i = 0; i < records.length; i += BATCH) {
      const end = Math.min(records.length, i + BATCH);
      for (let j = i; j < end; j++) w.writeValue(records[j]);
      keep[k++ % keep.length] = w.take();
      done += end - i;
    }
  }
}

const SINK_MASK = 4095;

function decodeAll(batches: readonly ArrayBuffer[], total: number, r: BinaryReader, sink: unknown[]): number {
  let n = 0;
  while (n < total) {
    for (const b of batches) {
      r.reset(b);
      // Keep only the last few thousand records alive, as a pipeline would: decoded records die young.
      while (r.remaining > 0) sink[n++ & SINK_MASK] = r.readValue();
    }
  }
  return n;
}

function run(name: string, records: readonly object[]): void {
  const w = new BinaryWriter();
  const r = new BinaryReader();
  const sink: unknown[] = new Array(SINK_MASK + 1).fill(null);
  const batches: ArrayBuffer[] = new Array(Math.ceil(records.length / BATCH));
  const total = Math.ceil(RECORDS / records.length) * records.length;
  const enc: number[] = [];
  const dec: number[] = [];
  for (let round = 0; round < ROUNDS + 2; round++) {
    let t = cpuSeconds();
    encodeAll(records, total, w, batches);
    const te = cpuSeconds() - t;
    t = cpuSeconds();
    const n = decodeAll(batches, total, r, sink);
    const td = cpuSeconds() - t;
    if (n !== total) throw new Error(`decoded ${n} of ${total}`);
    if (round >= 2) {
      enc.push(total / te);
      dec.push(total / td);
    }
  }
  const bytes = batches.reduce((a, b) => a + b.byteLength, 0);
  // Spot-check correctness.
  r.reset(batches[batches.length - 1]!);
  let last: unknown;
  while (r.remaining > 0) last = r.readValue();
  if (JSON.stringify(last) !== JSON.stringify(records[records.length - 1])) throw new Error('round-trip mismatch');

  const jsonEnc: number[] = [];
  const jsonDec: number[] = [];
  let texts: string[] = [];
  for (let round = 0; round < 3; round++) {
    let t = cpuSeconds();
    texts = records.map((x) => JSON.stringify(x));
    jsonEnc.push(records.length / (cpuSeconds() - t));
    t = cpuSeconds();
    for (let i = 0; i < texts.length; i++) sink[i & SINK_MASK] = JSON.parse(texts[i]!);
    jsonDec.push(records.length / (cpuSeconds() - t));
  }
  const m = (x: number): string => `${(x / 1e6).toFixed(2)} M/s`;
  console.log(
    `${name.padEnd(8)} encode ${m(median(enc)).padStart(11)}  decode ${m(median(dec)).padStart(11)}  ` +
      `${(bytes / records.length).toFixed(1)} B/record   (JSON: ${m(median(jsonEnc))} / ${m(median(jsonDec))})`,
  );
}

console.log(`@runnel/codec: ${RECORDS} records (pool of ${POOL} distinct), batches of ${BATCH}, median of ${ROUNDS} rounds, per CPU-second of this process`);
run('small', makeSmall(POOL));
run('bids', makeBids(POOL));
