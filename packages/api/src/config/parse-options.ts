// Validates a raw option map against a set of declarations and returns the typed values: the one place where
// option keys are checked, so that every component rejects a typo the same way ("unknown option 'x' (did you mean
// 'y'?)", with the valid keys) and reads fallback and deprecated keys the same way.
import { ConfigurationError } from './configuration-error.js';
import { isOptionPrefix, type OptionDeclaration, type OptionSet, type OptionValue } from './option-declaration.js';
import { parseOptionValue } from './parse-option-value.js';
import { closestKey } from './suggest.js';

/**
 * How {@link parseOptions} reports and what it lets through.
 *
 * @public
 */
export interface ParseOptionsSettings {
  /**
   * Called for every deprecated key that was used (its value is taken unless the canonical key is given too).
   * Default: `console.warn(message)`.
   */
  readonly onDeprecated?: (message: string, deprecatedKey: string, key: string) => void;
  /**
   * Accept keys that are neither declared nor under a declared prefix (listed in `unknownKeys`), for a component
   * that picks its own keys out of a configuration shared with others. Default false: they are an error.
   */
  readonly allowUnknown?: boolean;
  /** What the options configure, put before every message, e.g. `filesystem table 'orders'`. */
  readonly context?: string;
}

/**
 * Typed option values, as {@link parseOptions} returns them.
 *
 * @public
 */
export interface ParsedOptions {
  /** The option's value: as given (under its key, a fallback or a deprecated key), else its default. */
  get<D extends OptionDeclaration>(option: D): OptionValue<D> | (D extends { readonly defaultValue: unknown } ? never : undefined);
  /** The option's value only if it was given (no default). */
  getOptional<D extends OptionDeclaration>(option: D): OptionValue<D> | undefined;
  /** Whether the option was given (under any of its keys). */
  isSet(option: OptionDeclaration): boolean;
  /** The keys given under a declared prefix, without the prefix, with their values as given. */
  withPrefix(prefix: string): Readonly<Record<string, unknown>>;
  /** Keys neither declared nor under a declared prefix (only with `allowUnknown`; otherwise they fail). */
  readonly unknownKeys: readonly string[];
}

/** `a, b, c.*`: the canonical keys and prefixes of a set, for messages. */
function validKeys(options: OptionSet): string {
  return options.map((o) => (isOptionPrefix(o) ? `${o.prefix}*` : o.key)).join(', ');
}

/**
 * The message for unknown keys: each with the closest valid key as a suggestion, then every valid key.
 *
 * @public
 */
export function unknownOptionsMessage(unknown: readonly string[], options: OptionSet): string {
  // Suggestions come from every key an option is known by, but always name the canonical key.
  const canonical = new Map<string, string>();
  for (const o of options) {
    if (isOptionPrefix(o)) continue;
    for (const k of [o.key, ...(o.fallbackKeys ?? []), ...(o.deprecatedKeys ?? [])]) if (!canonical.has(k)) canonical.set(k, o.key);
  }
  const described = unknown.map((k) => {
    const near = closestKey(k, canonical.keys());
    // Under a prefix, the rest of the key is free: suggest the prefix when the key almost starts with it.
    const prefix = near === undefined ? nearPrefix(k, options) : undefined;
    const suggestion = near !== undefined ? canonical.get(near) : prefix;
    return `'${k}'${suggestion === undefined ? '' : ` (did you mean '${suggestion}'?)`}`;
  });
  const valid = options.length === 0 ? 'there are none' : `valid options: ${validKeys(options)}`;
  return `unknown option${unknown.length > 1 ? 's' : ''} ${described.join(', ')}; ${valid}`;
}

/** `p.<rest>` for the declared prefix `p.` that the key's head is a typo of (`propertis.x` → `properties.x`). */
function nearPrefix(key: string, options: OptionSet): string | undefined {
  for (const o of options) {
    if (!isOptionPrefix(o)) continue;
    const segments = o.prefix.split('.').length - 1;
    const parts = key.split('.');
    if (parts.length <= segments) continue;
    const head = `${parts.slice(0, segments).join('.')}.`;
    if (closestKey(head, [o.prefix]) !== undefined) return `${o.prefix}${parts.slice(segments).join('.')}`;
  }
  return undefined;
}

/**
 * Parses a raw option map against declarations: every key must be declared (under its canonical, a fallback or a
 * deprecated key) or fall under a declared prefix; every value must parse as its type and lie in its range. Values
 * may be text (command line, SQL) or typed (from code); an `undefined` value counts as not given. The canonical key
 * wins over fallback and deprecated keys, which are read in declared order.
 *
 * @throws {@link ConfigurationError} on the first bad value, on missing required options, and on unknown keys:
 *   `unknown option 'execution.checkpointing.intervall' (did you mean 'execution.checkpointing.interval'?); valid
 *   options: ...`
 * @public
 */
export function parseOptions(options: OptionSet, raw: Readonly<Record<string, unknown>>, settings: ParseOptionsSettings = {}): ParsedOptions {
  const context = settings.context === undefined ? '' : `${settings.context}: `;
  const declarations = new Map<string, OptionDeclaration>();
  const known = new Set<string>();
  const prefixes: string[] = [];
  for (const o of options) {
    if (isOptionPrefix(o)) {
      prefixes.push(o.prefix);
      continue;
    }
    declarations.set(o.key, o);
    for (const k of [o.key, ...(o.fallbackKeys ?? []), ...(o.deprecatedKeys ?? [])]) known.add(k);
  }

  // Own keys only: a key such as `constructor` must not find the object's prototype.
  const has = (k: string): boolean => Object.hasOwn(raw, k) && raw[k] !== undefined;
  const given = Object.entries(raw).filter(([, v]) => v !== undefined);
  const prefixed = new Map<string, Record<string, unknown>>(prefixes.map((p) => [p, {}]));
  const unknown: string[] = [];
  for (const [k, v] of given) {
    if (known.has(k)) continue;
    const p = prefixes.find((prefix) => k.startsWith(prefix) && k.length > prefix.length);
    if (p !== undefined) prefixed.get(p)![k.slice(p.length)] = v;
    else unknown.push(k);
  }
  if (unknown.length > 0 && !settings.allowUnknown) {
    throw new ConfigurationError(`${context}${unknownOptionsMessage(unknown, options)}`, unknown[0]);
  }

  const values = new Map<string, unknown>();
  const onDeprecated = settings.onDeprecated ?? ((message: string) => console.warn(message));
  for (const d of declarations.values()) {
    const from = has(d.key) ? d.key : (d.fallbackKeys ?? []).find(has) ?? (d.deprecatedKeys ?? []).find(has);
    if (from === undefined) {
      if (d.required) throw new ConfigurationError(`${context}option '${d.key}' is required: ${d.description}`, d.key);
      continue;
    }
    if (d.deprecatedKeys?.includes(from)) onDeprecated(`${context}option '${from}' is deprecated; use '${d.key}'`, from, d.key);
    try {
      values.set(d.key, parseOptionValue(d, raw[from], from));
    } catch (e) {
      if (e instanceof ConfigurationError && context !== '') throw new ConfigurationError(`${context}${e.message}`, e.key);
      throw e;
    }
  }

  const declared = (option: OptionDeclaration): OptionDeclaration => {
    const d = declarations.get(option.key);
    if (d === undefined) throw new Error(`option '${option.key}' is not one of the declarations these options were parsed with`);
    return d;
  };
  return {
    get: ((option: OptionDeclaration) => {
      const d = declared(option);
      return values.has(d.key) ? values.get(d.key) : d.defaultValue;
    }) as ParsedOptions['get'],
    getOptional: ((option: OptionDeclaration) => values.get(declared(option).key)) as ParsedOptions['getOptional'],
    isSet: (option) => values.has(declared(option).key),
    withPrefix: (prefix) => {
      const entries = prefixed.get(prefix);
      if (entries === undefined) throw new Error(`'${prefix}' is not a declared prefix of these options`);
      return entries;
    },
    unknownKeys: unknown,
  };
}
