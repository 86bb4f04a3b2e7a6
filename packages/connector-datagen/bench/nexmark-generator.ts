// Measures Nexmark event generation on one core: `NexmarkGenerator.fill` into a reused 1,024-event batch, as a
// source reader does. Run: npx tsx --conditions=@runnel/source bench/nexmark-generator.ts [events-per-round]
import { NexmarkGenerator, type NexmarkEvent } from '../src/index.js';

const perRound = Number(process.argv[2] ?? 5_000_000);
const g = new NexmarkGenerator();
const batch: NexmarkEvent[] = new Array(1024);
let check = 0;
const rates: number[] = [];
for (let round = 0; round < 6; round++) {
  const t0 = process.hrtime.bigint();
  for (let n = 0; n < perRound; n += 1024) {
    g.fill(batch, round * perRound + n, 1, 1024);
    check += batch[1023]!.eventType;
  }
  const seconds = Number(process.hrtime.bigint() - t0) / 1e9;
  rates.push(perRound / seconds);
}
rates.sort((a, b) => b - a);
console.log(
  `nexmark generation: best ${(rates[0]! / 1e6).toFixed(2)} M events/s, median ${(rates[3]! / 1e6).toFixed(2)} M events/s (check ${check})`,
);
