// The options of the `datagen` connector (Flink's keys), declared as data. Per-field options are declared once with
// `<name>` standing for the column, and instantiated for the table's columns when a source is created, so that a
// typo in `fields.id.knd` is caught like any other unknown key.
import { defineOption, type OptionDeclaration, type OptionPrefix, type OptionSet } from '@runnel/api/config';

/**
 * The table-wide options of the `datagen` connector.
 *
 * @public
 */
export const DataGenOptions = {
  rowsPerSecond: defineOption({
    key: 'rows-per-second',
    type: 'double',
    min: 0,
    defaultValue: 10_000,
    description: 'Rows per second over all subtasks; 0 = unlimited.',
  }),
  numberOfRows: defineOption({
    key: 'number-of-rows',
    type: 'long',
    min: 0,
    defaultDescription: 'unbounded',
    description: 'Total rows (sequences also bound the source: it ends with the shortest one).',
  }),
  seed: defineOption({ key: 'seed', type: 'long', defaultValue: 0, description: 'Seed of random values.' }),
} as const;

/**
 * Where the per-field options live: `fields.<name>.<option>`.
 *
 * @public
 */
export const DATAGEN_FIELDS_PREFIX: OptionPrefix = {
  prefix: 'fields.',
  description:
    'Per-field options `fields.<name>.<option>` (`kind`, `min`, `max`, `max-past`, `length`, `var-len`, `start`, `end`, `null-rate`). ' +
    "In SQL tables the options a column takes depend on its type, as in Flink, and the parts of nested types take theirs under " +
    '`fields.<name>.element.` (ARRAY, MULTISET), `fields.<name>.key.` / `.value.` (MAP) and `fields.<name>.<field>.` (ROW).',
};

/**
 * Every option of the `datagen` connector (the factory's `options`): the table-wide ones and the field prefix.
 *
 * @public
 */
export const DATAGEN_OPTIONS: OptionSet = [...Object.values(DataGenOptions), DATAGEN_FIELDS_PREFIX];

/**
 * The per-field options of the `datagen` connector; `<name>` in a key stands for the column's name.
 *
 * @public
 */
export const DataGenFieldOptions = {
  kind: defineOption({
    key: 'fields.<name>.kind',
    type: 'enum',
    values: ['random', 'sequence'],
    defaultValue: 'random',
    description: 'How values are generated: at random, or as a sequence from `start` to `end`.',
  }),
  min: defineOption({
    key: 'fields.<name>.min',
    type: 'double',
    defaultDescription: "the type's smallest value",
    description: 'Random: the smallest value (an integer for integer columns; epoch ms for timestamps).',
  }),
  max: defineOption({
    key: 'fields.<name>.max',
    type: 'double',
    defaultDescription: "the type's largest value",
    description: 'Random: the largest value (an integer for integer columns; epoch ms for timestamps).',
  }),
  maxPast: defineOption({
    key: 'fields.<name>.max-past',
    type: 'duration',
    defaultValue: 0,
    description: 'Random timestamps without `min`/`max` are now minus up to this much.',
  }),
  length: defineOption({
    key: 'fields.<name>.length',
    type: 'int',
    min: 0,
    defaultDescription: "the column's length (`VARCHAR(n)`; at most 100 in DataStream jobs), else 100; 3 for collections",
    description: 'Random strings and bytes: their length (at most the declared length); ARRAY, MAP, MULTISET: the number of elements.',
  }),
  varLen: defineOption({ key: 'fields.<name>.var-len', type: 'boolean', defaultValue: false, description: 'Random strings of random length in [1, `length`].' }),
  start: defineOption({ key: 'fields.<name>.start', type: 'long', description: 'Sequence: the first value.' }),
  end: defineOption({ key: 'fields.<name>.end', type: 'long', description: 'Sequence: the last value.' }),
  nullRate: defineOption({
    key: 'fields.<name>.null-rate',
    type: 'double',
    min: 0,
    max: 1,
    defaultValue: 0,
    description: 'The probability of null.',
  }),
} as const;

/**
 * The per-field declarations for one column: `<name>` replaced by the column, and `min`/`max` integers unless the
 * column holds doubles.
 *
 * @internal
 */
export function fieldOptionsFor(column: string, integral: boolean): { readonly [K in keyof typeof DataGenFieldOptions]: OptionDeclaration } {
  const out: Record<string, OptionDeclaration> = {};
  for (const [name, d] of Object.entries(DataGenFieldOptions) as [string, OptionDeclaration][]) {
    const numeric = name === 'min' || name === 'max';
    out[name] = { ...d, key: d.key.replace('<name>', column), ...(numeric && integral ? { type: 'long' } : {}) } as OptionDeclaration;
  }
  return out as { readonly [K in keyof typeof DataGenFieldOptions]: OptionDeclaration };
}
