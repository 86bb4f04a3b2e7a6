// `@runnel/formats`: the `json`, `csv` and `raw` table formats (bytes <-> rows) with Flink's option keys and
// semantics. The planner finds them by identifier through this package's `runnel` manifest; the option
// declarations are exported for documentation and tools.
export { jsonFormat } from './json/json-format.js';
export { JsonOptions, JSON_OPTIONS } from './json/json-options.js';
export { csvFormat } from './csv/csv-format.js';
export { CsvOptions, CSV_OPTIONS } from './csv/csv-options.js';
export { rawFormat } from './raw/raw-format.js';
export { RawOptions, RAW_OPTIONS } from './raw/raw-options.js';
