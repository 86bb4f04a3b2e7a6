// `@runnel/formats`: the `json`, `csv` and `raw` table formats (bytes <-> rows) and the changelog formats
// `debezium-json`, `canal-json` and `maxwell-json` (bytes <-> +I/-U/+U/-D rows), with Flink's option keys and
// semantics. The planner finds them by identifier through this package's `runnel` manifest; the option declarations
// (and the changelog formats' metadata) are exported for documentation and tools.
export { jsonFormat } from './json/json-format.js';
export { JsonOptions, JSON_OPTIONS } from './json/json-options.js';
export { csvFormat } from './csv/csv-format.js';
export { CsvOptions, CSV_OPTIONS } from './csv/csv-options.js';
export { rawFormat } from './raw/raw-format.js';
export { RawOptions, RAW_OPTIONS } from './raw/raw-options.js';
export { debeziumJsonFormat } from './debezium/debezium-json-format.js';
export { DebeziumJsonOptions, DEBEZIUM_JSON_OPTIONS } from './debezium/debezium-json-options.js';
export { DEBEZIUM_JSON_METADATA } from './debezium/debezium-json-decoder.js';
export { canalJsonFormat } from './canal/canal-json-format.js';
export { CanalJsonOptions, CANAL_JSON_OPTIONS } from './canal/canal-json-options.js';
export { CANAL_JSON_METADATA } from './canal/canal-json-decoder.js';
export { maxwellJsonFormat } from './maxwell/maxwell-json-format.js';
export { MaxwellJsonOptions, MAXWELL_JSON_OPTIONS } from './maxwell/maxwell-json-options.js';
export { MAXWELL_JSON_METADATA } from './maxwell/maxwell-json-decoder.js';
