// The StateBackendFactory contract: how a state backend is found and created. A package publishes a factory under an
// identifier (`heap`, `level`, or its own), and a job selects it with `state.backend.type: <identifier>`; the
// runtime finds it among the installed plugins (see `@runnel/api/plugin`) and never names a backend itself. The
// factory declares its options as data, under `state.backend.<identifier>.`, so that a typo fails before the job
// starts, with the closest valid key.
import type { OptionSet } from '../config/option-declaration.js';
import type { StateBackend } from './backend.js';

/**
 * What a {@link StateBackendFactory} gets to create a backend.
 *
 * @public
 */
export interface StateBackendFactoryContext {
  /**
   * The backend's options: every `state.backend.<identifier>.*` key the job was given, with its full key and its
   * value as given (text from configuration files and the CLI, typed values from code). Parse them with
   * `parseOptions(factory.options, options)` from `@runnel/api/config`.
   */
  readonly options: Readonly<Record<string, unknown>>;
}

/**
 * A state backend plugin.
 *
 * @public
 */
export interface StateBackendFactory {
  readonly kind: 'state-backend';
  /** The value of `state.backend.type` that selects this backend: lower-case, e.g. `heap`, `level`. */
  readonly identifier: string;
  /** Other values that select it (e.g. Flink's `hashmap` for `heap`). */
  readonly aliases?: readonly string[];
  /** The semver range of `@runnel/api` the factory was built for, e.g. `^0.1.0`. */
  readonly apiVersion: string;
  /** One line for listings and error messages. */
  readonly description: string;
  /** The backend's options, with keys under `state.backend.<identifier>.`. */
  readonly options: OptionSet;
  create(context: StateBackendFactoryContext): StateBackend | Promise<StateBackend>;
}
