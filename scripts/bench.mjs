#!/usr/bin/env node
// `pnpm bench [suite] [options]`: one entry point for the project's benchmarks, each of which writes JSON results.
//   pnpm bench [options]            the Nexmark benchmark (DataStream, SQL, baselines, memory; benchmarks/nexmark)
//   pnpm bench kafka [options]      the Kafka connector's benchmark (packages/connector-kafka/bench)
//   pnpm bench mysql [options]      the MySQL connector's benchmark (packages/connector-mysql/bench)
//   pnpm bench clickhouse [options] the ClickHouse connector's benchmark (packages/connector-clickhouse/bench)
//   pnpm bench connectors           the three connector benchmarks one after the other, with their defaults
// Options after the suite go to that suite's `bench` script; each suite documents its own in its README.
import { spawnSync } from 'node:child_process';

const SUITES = {
  nexmark: '@runnel/bench-nexmark',
  kafka: '@runnel/connector-kafka',
  mysql: '@runnel/connector-mysql',
  clickhouse: '@runnel/connector-clickhouse',
};
const CONNECTORS = ['kafka', 'mysql', 'clickhouse'];

const args = process.argv.slice(2);
let suites = ['nexmark'];
if (args.length > 0 && !args[0].startsWith('-')) {
  const name = args.shift();
  if (name === 'connectors') suites = CONNECTORS;
  else if (name in SUITES) suites = [name];
  else {
    console.error(`bench: unknown suite '${name}'; valid: ${[...Object.keys(SUITES), 'connectors'].join(', ')}`);
    process.exit(2);
  }
}
let status = 0;
for (const suite of suites) {
  const r = spawnSync('pnpm', ['--filter', SUITES[suite], 'run', 'bench', ...args], { stdio: 'inherit' });
  if (r.status !== 0) status = r.status ?? 1;
}
process.exit(status);
