// `@runnel/api/table`: the contracts between the SQL layer, formats and table connectors.
export type { LogicalTypeRoot, LogicalType, RowField, RowType } from './logical-type.js';
export { MAX_LENGTH, rowType, formatLogicalType } from './logical-type.js';
export { RowKind, rowKindShortString, rowKindFromShortString, isAccumulate, row } from './row.js';
export type { Row } from './row.js';
export { INSERT_ONLY, UPSERT, ALL_KINDS, isInsertOnly, formatChangelogMode } from './changelog-mode.js';
export type { ChangelogMode } from './changelog-mode.js';
export { physicalRowType } from './schema.js';
export type { PhysicalColumn, ComputedColumn, MetadataColumn, Column, WatermarkSpec, PrimaryKey, ResolvedSchema } from './schema.js';
export { FormatError } from './format.js';
export type { FormatContext, RowDecoder, RowEncoder, FormatFactory } from './format.js';
export { DeadLetter } from './table-factory.js';
export type { TableDecoder, TableEncoder, TableFactoryContext, ScanRequest, TableSource, SinkRequest, TableSink } from './table-factory.js';
