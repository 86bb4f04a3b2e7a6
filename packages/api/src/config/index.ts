// Entry point of `@runnel/api/config`: options declared as data, Flink's duration and memory-size grammar, and the
// validator every component parses its options with.
export { defineOption, isOptionPrefix } from './option-declaration.js';
export type {
  AnyOptionDeclaration,
  DeclaredOption,
  DefaultedOptionDeclaration,
  EnumValues,
  OptionDeclaration,
  OptionPrefix,
  OptionSet,
  OptionType,
  OptionValue,
  OptionValueOf,
  OptionValueTypes,
} from './option-declaration.js';
export { ConfigurationError } from './configuration-error.js';
export { parseDuration, formatDuration } from './duration.js';
export { parseMemorySize, formatMemorySize } from './memory-size.js';
export { parseOptionValue } from './parse-option-value.js';
export { parseOptions, unknownOptionsMessage } from './parse-options.js';
export { closestKey } from './suggest.js';
export type { ParseOptionsSettings, ParsedOptions } from './parse-options.js';
