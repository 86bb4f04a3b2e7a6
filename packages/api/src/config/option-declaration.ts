// Options declared as data, as Flink's `ConfigOption`: a key, a type, a default, a description, and the other
// keys the option is also known by. Declarations are plain objects, so the same data validates user input,
// documents the option (`docs/options.md` is generated from them) and can drive forms; no code runs per option.

/**
 * The value types of options. `duration` values are milliseconds, `memory` values bytes (see `parseDuration` and
 * `parseMemorySize` for the text grammar); `enum` values are one of the declared `values`; a `list` is written
 * `a;b;c` and a `map` `k1:v1,k2:v2` in text, as in Flink.
 *
 * @public
 */
export type OptionType = 'string' | 'boolean' | 'int' | 'long' | 'double' | 'duration' | 'memory' | 'enum' | 'list' | 'map';

/**
 * The parsed value of each option type.
 *
 * @public
 */
export interface OptionValueTypes {
  /** Text as given. */
  string: string;
  /** `true` or `false` (any case in text). */
  boolean: boolean;
  /** A 32-bit integer. */
  int: number;
  /** A safe integer (JavaScript numbers hold integers up to 2^53 exactly). */
  long: number;
  /** A floating-point number. */
  double: number;
  /** Milliseconds. */
  duration: number;
  /** Bytes. */
  memory: number;
  /** One of the declaration's `values`, as declared. */
  enum: string;
  /** `a;b;c` in text, an array from code. */
  list: readonly string[];
  /** `k1:v1,k2:v2` in text, an object from code. */
  map: Readonly<Record<string, string>>;
}

/**
 * One option, declared as data (Flink's `ConfigOption`).
 *
 * @public
 */
export interface OptionDeclaration<T extends OptionType = OptionType, V extends string = string> {
  /** The canonical key: lower-case, hyphenated, hierarchical (`execution.checkpointing.interval`). */
  readonly key: string;
  /** The value type; text values are parsed in its grammar. */
  readonly type: T;
  /** What the option does, in a sentence or two (Markdown; rendered into `docs/options.md`). */
  readonly description: string;
  /** The value used when the option is not given. */
  readonly defaultValue?: OptionValueOf<T, V>;
  /** How to describe the default when it is not a fixed value (e.g. `the job's highest parallelism`). */
  readonly defaultDescription?: string;
  /** The accepted values of an `enum` option (matched case-insensitively, returned as declared). */
  readonly values?: readonly V[];
  /** The smallest accepted value of a numeric, duration (ms) or memory (bytes) option. */
  readonly min?: number;
  /** The largest accepted value of a numeric, duration (ms) or memory (bytes) option. */
  readonly max?: number;
  /** Other keys read when the canonical key is not given, silently (e.g. a newer or older spelling). */
  readonly fallbackKeys?: readonly string[];
  /** Old keys still read when the canonical key is not given, with a deprecation warning. */
  readonly deprecatedKeys?: readonly string[];
  /** The option must be given (only the consumer can tell, so `parseOptions` checks it). */
  readonly required?: boolean;
  /** Secrets (passwords, tokens): values are never shown in messages. */
  readonly sensitive?: boolean;
}

/**
 * The value type of an option of type `T` (`V`: the values of an enum).
 *
 * @public
 */
export type OptionValueOf<T extends OptionType, V extends string = string> = T extends 'enum' ? V : OptionValueTypes[T];

/**
 * A declaration with a default: reading the option never gives undefined.
 *
 * @public
 */
export interface DefaultedOptionDeclaration<T extends OptionType = OptionType, V extends string = string> extends OptionDeclaration<T, V> {
  readonly defaultValue: OptionValueOf<T, V>;
}

/**
 * Any option declaration, discriminated by its `type` (so that `defaultValue` is checked against the type).
 *
 * @public
 */
export type AnyOptionDeclaration = { readonly [T in OptionType]: OptionDeclaration<T> }[OptionType];

/**
 * A group of keys declared by their common prefix (`state.backend.level.`, a connector's `properties.`): every
 * key under it is accepted and handed on as given, for the owner of the prefix to interpret.
 *
 * @public
 */
export interface OptionPrefix {
  /** The prefix, including its trailing dot, e.g. `properties.`. */
  readonly prefix: string;
  /** What the keys under the prefix are for and who reads them. */
  readonly description: string;
}

/**
 * The options a component accepts: declarations and declared prefixes.
 *
 * @public
 */
export type OptionSet = readonly (OptionDeclaration | OptionPrefix)[];

/**
 * The type a declaration's values parse to: the declared `values` of an enum, else the type's value type.
 *
 * @public
 */
export type OptionValue<D extends OptionDeclaration> = OptionValueOf<D['type'], EnumValues<D>>;

/**
 * The declared values of an enum declaration (`string` for other declarations).
 *
 * @public
 */
export type EnumValues<D> = D extends { readonly values?: readonly (infer V extends string)[] } ? V : string;

/**
 * What {@link defineOption} returns for a declaration: its type, enum values and whether it has a default (the
 * rest of the literal, such as the description, is left out of the type).
 *
 * @public
 */
export type DeclaredOption<D extends AnyOptionDeclaration> = D extends { readonly defaultValue: unknown }
  ? DefaultedOptionDeclaration<D['type'], EnumValues<D>>
  : OptionDeclaration<D['type'], EnumValues<D>>;

/**
 * Declares an option. The declaration is returned as given (frozen), typed so that reading an option with a default
 * gives a value that is never undefined and an enum gives one of its values.
 *
 * @example
 * ```ts
 * const INTERVAL = defineOption({ key: 'source.monitor-interval', type: 'duration', description: 'How often to list the directory.' });
 * ```
 *
 * @public
 */
export function defineOption<const D extends AnyOptionDeclaration>(declaration: D): DeclaredOption<D> {
  return Object.freeze(declaration) as unknown as DeclaredOption<D>;
}

/**
 * Whether an entry of an {@link OptionSet} is a prefix group.
 *
 * @public
 */
export function isOptionPrefix(entry: OptionDeclaration | OptionPrefix): entry is OptionPrefix {
  return (entry as OptionPrefix).prefix !== undefined;
}
