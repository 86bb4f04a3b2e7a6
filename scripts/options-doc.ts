// Generates docs/options.md from the option declarations of the runtime, the state backends, the metric registry and
// the connectors (`@runnel/api/config` declarations), so that the reference cannot drift from what the code accepts.
// `scripts/test/options-doc.test.ts` fails when the committed file differs from what this renders.
//   pnpm options:doc            rewrite docs/options.md
//   pnpm options:doc --check    exit 1 when docs/options.md is out of date
// Declarations are imported from the packages' sources by path (scripts are not a package), through the modules that
// declare them only, so rendering loads no runtime and no native module.
import { readFileSync, writeFileSync } from 'node:fs';
import { fileURLToPath, pathToFileURL } from 'node:url';
import {
  formatDuration,
  formatMemorySize,
  isOptionPrefix,
  type OptionDeclaration,
  type OptionPrefix,
  type OptionSet,
} from '../packages/api/src/config/index.js';
import {
  CHECKPOINT_STORAGE_PREFIX,
  CheckpointingOptions,
  RestartStrategyOptions,
  RuntimeOptions,
  STATE_BACKEND_PREFIX,
} from '../packages/runtime/src/execution/runtime-options.js';
import { LEVEL_STATE_BACKEND_OPTIONS } from '../packages/state-level/src/options.js';
import { HeapOptions } from '../packages/state-heap/src/heap-state-backend-factory.js';
import { METRIC_CONFIG_OPTIONS, MetricConfigOptions } from '../packages/metrics/src/config.js';
import { FILE_OPTIONS } from '../packages/connector-files/src/options.js';
import { DATAGEN_OPTIONS, DataGenFieldOptions } from '../packages/connector-datagen/src/factories/datagen-options.js';
import { NEXMARK_OPTIONS } from '../packages/connector-datagen/src/nexmark/nexmark-options.js';
import { PrintOptions } from '../packages/connector-datagen/src/factories/print-factory.js';
import { KAFKA_OPTIONS } from '../packages/connector-kafka/src/kafka-options.js';
import { UPSERT_KAFKA_OPTIONS } from '../packages/connector-kafka/src/table/upsert-kafka-options.js';
import { JDBC_OPTIONS } from '../packages/connector-mysql/src/jdbc/jdbc-options.js';
import { MYSQL_CDC_OPTIONS } from '../packages/connector-mysql/src/cdc/mysql-cdc-options.js';
import { CLICKHOUSE_OPTIONS } from '../packages/connector-clickhouse/src/clickhouse-options.js';
import { TABLE_OPTIONS } from '../packages/sql/src/session/table-options.js';
import { JSON_OPTIONS } from '../packages/formats/src/json/json-options.js';
import { CSV_OPTIONS } from '../packages/formats/src/csv/csv-options.js';
import { RAW_OPTIONS } from '../packages/formats/src/raw/raw-options.js';

/** The file this script writes. */
export const OPTIONS_DOC = fileURLToPath(new URL('../docs/options.md', import.meta.url));

interface Section {
  readonly title: string;
  readonly intro: string;
  readonly options: OptionSet;
}

interface Area {
  readonly title: string;
  readonly sections: readonly Section[];
}

const AREAS: readonly Area[] = [
  {
    title: 'Runtime',
    sections: [
      {
        title: 'Execution',
        intro:
          'Declared in `@runnel/runtime` (`RuntimeOptions`); given to `StreamExecutionEnvironment.create`/`configure`, ' +
          '`runJob`/`submitJob` or `runnel run -D key=value`.',
        options: [...Object.values(RuntimeOptions), STATE_BACKEND_PREFIX],
      },
      {
        title: 'Metrics',
        intro:
          'Declared in `@runnel/metrics` (`MetricConfigOptions`), read by `metricRegistryOptionsFromConfig`, which ignores ' +
          'the keys of other components.',
        options: [...METRIC_CONFIG_OPTIONS.filter((o) => !isOptionPrefix(o)), MetricConfigOptions.reporterInterval, ...METRIC_CONFIG_OPTIONS.filter(isOptionPrefix)],
      },
    ],
  },
  {
    title: 'Checkpointing',
    sections: [
      {
        title: 'Checkpoints, savepoints and restores',
        intro: 'Declared in `@runnel/runtime` (`CheckpointingOptions`). The built-in `filesystem` checkpoint storage has no options of its own.',
        options: [...Object.values(CheckpointingOptions), CHECKPOINT_STORAGE_PREFIX],
      },
      {
        title: 'Restart strategies',
        intro: "Declared in `@runnel/runtime` (`RestartStrategyOptions`); a strategy's options apply only when `restart-strategy.type` is set.",
        options: Object.values(RestartStrategyOptions),
      },
    ],
  },
  {
    title: 'State backends',
    sections: [
      {
        title: 'Heap (`state.backend.type: heap`, built in)',
        intro: 'Declared in `@runnel/state-heap` (`HeapOptions`); the runtime hands `state.backend.heap.*` to the backend, which checks it when a job starts.',
        options: Object.values(HeapOptions),
      },
      {
        title: 'LevelDB (`state.backend.type: level`)',
        intro:
          'Declared in `@runnel/state-level` (`LevelOptions`), found through the package\'s plugin manifest. The runtime hands ' +
          '`state.backend.level.*` to the backend, which checks it when a job starts; programmatic `LevelStateBackendOptions` ' +
          'use the same keys without the prefix.',
        options: LEVEL_STATE_BACKEND_OPTIONS,
      },
    ],
  },
  {
    title: 'Connectors',
    sections: [
      {
        title: '`filesystem`',
        intro: 'Declared in `@runnel/connector-files` (`FileOptions`).',
        options: FILE_OPTIONS,
      },
      {
        title: '`datagen`',
        intro:
          'Declared in `@runnel/connector-datagen` (`DataGenOptions`, `DataGenFieldOptions`); `<name>` stands for a ' +
          "column of the table, and each column's field options are checked like any other key.",
        options: [...DATAGEN_OPTIONS, ...Object.values(DataGenFieldOptions)],
      },
      { title: '`nexmark`', intro: 'Declared in `@runnel/connector-datagen` (`NexmarkOptions`), with nexmark-flink\'s keys.', options: NEXMARK_OPTIONS },
      { title: '`print`', intro: 'Declared in `@runnel/connector-datagen` (`PrintOptions`).', options: Object.values(PrintOptions) },
      { title: '`blackhole`', intro: 'No options (any option given is an error).', options: [] },
      {
        title: '`kafka`',
        intro:
          'Declared in `@runnel/connector-kafka` (`KafkaOptions`), with Flink\'s keys; one set validates a table that is read, ' +
          'written or both. Key and value format options go under `key.<format>.` and `value.<format>.` (or `<format>.` with `format`).',
        options: KAFKA_OPTIONS,
      },
      {
        title: '`upsert-kafka`',
        intro:
          'Declared in `@runnel/connector-kafka` (`UpsertKafkaOptions`, the shared ones from `KafkaOptions`), with Flink\'s keys: ' +
          'no `key.fields` (the PRIMARY KEY is the key) and no startup or bounded mode (read from the earliest offset, unbounded).',
        options: UPSERT_KAFKA_OPTIONS,
      },
      {
        title: '`jdbc` (MySQL)',
        intro:
          'Declared in `@runnel/connector-mysql` (`JdbcOptions`), with the keys of Flink\'s `jdbc` connector: the upsert/append ' +
          'sink, the bounded scan and the lookup source of a MySQL (or MariaDB, TiDB) table.',
        options: JDBC_OPTIONS,
      },
      {
        title: '`mysql-cdc`',
        intro:
          'Declared in `@runnel/connector-mysql` (`MySqlCdcOptions`), with the keys of Flink CDC\'s `mysql-cdc` connector: ' +
          'a consistent snapshot, then the binlog.',
        options: MYSQL_CDC_OPTIONS,
      },
      {
        title: '`clickhouse`',
        intro: 'Declared in `@runnel/connector-clickhouse` (`ClickHouseOptions`): the batched, exactly-once ClickHouse sink.',
        options: CLICKHOUSE_OPTIONS,
      },
    ],
  },
  {
    title: 'SQL',
    sections: [
      {
        title: 'Session (`SET` in `runnel sql`, the Table API)',
        intro: 'Declared in `@runnel/sql` (`TableOptions`); `SET` also takes every runtime option above, and `pipeline.name`.',
        options: TABLE_OPTIONS,
      },
      {
        title: 'Formats: `json`',
        intro:
          'Declared in `@runnel/formats` (`JsonOptions`), written with the format\'s prefix in a table (`json.fail-on-missing-field`). ' +
          'Every format also takes `<format>.error-policy` (fail, skip or dead-letter) and `<format>.dead-letter-table`.',
        options: JSON_OPTIONS,
      },
      { title: 'Formats: `csv`', intro: 'Declared in `@runnel/formats` (`CsvOptions`), with the prefix `csv.`.', options: CSV_OPTIONS },
      { title: 'Formats: `raw`', intro: 'Declared in `@runnel/formats` (`RawOptions`), with the prefix `raw.`.', options: RAW_OPTIONS },
    ],
  },
];

const INTRO = `# Options

<!-- Generated by scripts/options-doc.ts from the option declarations; do not edit. Run \`pnpm options:doc\`. -->

Every option of Runnel, generated from the declarations the code parses its options with (\`@runnel/api/config\`).
Keys are Flink's where Flink has the option. Values are text (command line, SQL \`WITH\`) or typed values from code:

- **duration**: \`<number><whitespace?><unit>\`, units \`d\`/\`day\`, \`h\`/\`hour\`, \`min\`/\`m\`/\`minute\`, \`s\`/\`sec\`/\`second\`,
  \`ms\`/\`milli\`/\`millisecond\`, \`µs\`/\`us\`/\`micro\`/\`microsecond\`, \`ns\`/\`nano\`/\`nanosecond\` (the long labels also in the
  plural), any case; a bare number is milliseconds (from code: a number of milliseconds). Also accepted, as earlier
  Runnel versions did: fractions (\`1.5 min\`) and \`mins\`.
- **memory**: \`<integer><whitespace?><unit>\`, units \`b\`/\`bytes\`, \`k\`/\`kb\`/\`kibibytes\`, \`m\`/\`mb\`/\`mebibytes\`,
  \`g\`/\`gb\`/\`gibibytes\`, \`t\`/\`tb\`/\`tebibytes\` (binary: 1 kb = 1024 bytes), any case; a bare number is bytes. Also
  accepted: \`kib\`, \`mib\`, \`gib\`, \`tib\`.
- **int** (32-bit), **long** (up to 2^53), **double**, **boolean** (\`true\`/\`false\`, any case), **string**, **enum** (one of
  the values, any case), **list** (\`a;b;c\`), **map** (\`k1:v1,k2:v2\`).

An unknown key fails with the closest valid key and every valid key, e.g. \`unknown option
'execution.checkpointing.intervall' (did you mean 'execution.checkpointing.interval'?); valid options: ...\`; a value
that does not parse or is out of range fails naming the key, the value and what is expected. *Also read as*: fallback
keys are read when the key is not given; deprecated keys too, with a warning. Keys ending in \`.*\` are prefixes: every
key under them is handed on to the component named.
`;

/** A cell of a Markdown table: no line breaks, no unescaped pipes. */
function cell(text: string): string {
  return text.replace(/\s*\n\s*/g, ' ').replace(/\|/g, '\\|');
}

function value(d: OptionDeclaration, v: unknown): string {
  if (d.type === 'duration') return formatDuration(v as number);
  if (d.type === 'memory') return formatMemorySize(v as number);
  if (d.type === 'list') return (v as readonly string[]).join(';');
  if (d.type === 'map') return Object.entries(v as Record<string, string>).map(([k, x]) => `${k}:${x}`).join(',');
  return String(v);
}

function type(d: OptionDeclaration): string {
  const base = d.type === 'enum' ? `enum: ${(d.values ?? []).map((v) => `\`${v}\``).join(', ')}` : d.type;
  const bound = (n: number): string => (d.type === 'duration' || d.type === 'memory' ? value(d, n) : String(n));
  if (d.min !== undefined && d.max !== undefined) return `${base}, ${bound(d.min)} to ${bound(d.max)}`;
  if (d.min !== undefined) return `${base}, ≥ ${bound(d.min)}`;
  if (d.max !== undefined) return `${base}, ≤ ${bound(d.max)}`;
  return base;
}

function defaultOf(d: OptionDeclaration): string {
  if (d.required) return 'required';
  if (d.defaultValue !== undefined) return `\`${value(d, d.defaultValue)}\``;
  return d.defaultDescription ?? '–';
}

function alsoReadAs(d: OptionDeclaration): string {
  const parts = [
    ...(d.fallbackKeys ?? []).map((k) => `\`${k}\``),
    ...(d.deprecatedKeys ?? []).map((k) => `\`${k}\` (deprecated)`),
  ];
  return parts.join(', ');
}

function row(o: OptionDeclaration | OptionPrefix): string {
  if (isOptionPrefix(o)) return `| \`${o.prefix}*\` | prefix | – | ${cell(o.description)} |  |`;
  return `| \`${o.key}\` | ${cell(type(o))} | ${cell(defaultOf(o))} | ${cell(o.description)} | ${alsoReadAs(o)} |`;
}

/** docs/options.md as the declarations describe it. */
export function renderOptionsDoc(): string {
  const out = [INTRO];
  for (const area of AREAS) {
    out.push(`## ${area.title}\n`);
    for (const s of area.sections) {
      out.push(`### ${s.title}\n`, `${s.intro}\n`);
      if (s.options.length === 0) continue;
      out.push('| key | type | default | description | also read as |', '|---|---|---|---|---|', ...s.options.map(row), '');
    }
  }
  return `${out.join('\n').trimEnd()}\n`;
}

if (process.argv[1] !== undefined && import.meta.url === pathToFileURL(process.argv[1]).href) {
  const rendered = renderOptionsDoc();
  if (process.argv.includes('--check')) {
    let current = '';
    try {
      current = readFileSync(OPTIONS_DOC, 'utf8');
    } catch {
      // missing: out of date
    }
    if (current !== rendered) {
      console.error('docs/options.md is out of date with the option declarations: run `pnpm options:doc`');
      process.exit(1);
    }
    console.log('docs/options.md is up to date');
  } else {
    writeFileSync(OPTIONS_DOC, rendered);
    console.log(`wrote ${OPTIONS_DOC}`);
  }
}
