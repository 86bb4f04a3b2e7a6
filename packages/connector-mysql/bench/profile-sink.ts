// Profiling driver of the exactly-once upsert sink (not part of `pnpm bench`): starts a throwaway MariaDB and runs
// `--rounds` rounds of the sink step alone, so that `node --cpu-prof` / `--trace-gc` see only the sink's data path.
// `node --import tsx --conditions=@runnel/source --cpu-prof bench/profile-sink.ts [--rows N] [--rounds N]
// [--guarantee exactly-once|at-least-once|plain]`.
import { startMariaDb } from '../test/support/mariadb.js';
import { DDL } from './common.js';
import { plainSinkRound, runnelSinkRound } from './sink.js';

const argv = process.argv.slice(2);
const opt = (name: string, fallback: string): string => {
  const i = argv.indexOf(`--${name}`);
  return i >= 0 ? argv[i + 1]! : fallback;
};
const rows = Number(opt('rows', '200000'));
const rounds = Number(opt('rounds', '4'));
const guarantee = opt('guarantee', 'exactly-once');
const db = await startMariaDb({ binlog: false, bufferPool: '512M' });
try {
  await db.query(`CREATE DATABASE b; CREATE TABLE b.t (${DDL})`);
  const o = { connection: { host: db.host, port: db.port, database: 'b', user: db.user, password: db.password }, rows, checkpointRows: Number(opt('checkpoint-rows', '50000')) };
  for (let round = 0; round < rounds; round++) {
    const m = guarantee === 'plain' ? await plainSinkRound(o, 't', round) : await runnelSinkRound(o, 't', round, guarantee as 'exactly-once' | 'at-least-once');
    console.log(`${guarantee} round ${round}: ${Math.round((m.rows * 1000) / m.wallMs)} rows/s, ${Math.round(m.cpuMs)} ms CPU`);
  }
} finally {
  await db.stop();
}
