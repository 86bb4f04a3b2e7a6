// The `csv` format factory (`'format' = 'csv'`), found by the planner through the `runnel` manifest of this
// package: validates the options and the row type (CSV holds scalars, and ARRAY or ROW of scalars one level deep)
// and builds decoders and encoders.
import { API_VERSION } from '@runnel/api';
import type { FormatContext, FormatFactory } from '@runnel/api/table';
import { checkCsvRowType, CsvRowDecoder } from './csv-decoder.js';
import { CsvRowEncoder } from './csv-encoder.js';
import { CSV_OPTIONS, csvSettings } from './csv-options.js';

/**
 * The `csv` format (Flink's CSV format): one line per message, fields by position; decoders produce +I rows.
 *
 * @public
 */
export const csvFormat: FormatFactory & { readonly kind: 'format' } = {
  kind: 'format',
  identifier: 'csv',
  apiVersion: `^${API_VERSION}`,
  options: CSV_OPTIONS,
  createDecoder(context: FormatContext): CsvRowDecoder {
    const settings = csvSettings(context.options);
    checkCsvRowType(context.rowType, settings);
    return new CsvRowDecoder(context.rowType, settings);
  },
  createEncoder(context: FormatContext): CsvRowEncoder {
    return new CsvRowEncoder(context.rowType, csvSettings(context.options));
  },
};
