// The error of an option that cannot be accepted: an unknown key, a value of the wrong type or out of range. A
// class of its own so that callers can tell a configuration mistake (the CLI exits with a usage error) from a
// failure of the job.

/**
 * A configuration mistake: an unknown option, or a value that does not parse or is out of range. The message names
 * the key, what was given and what is expected.
 *
 * @public
 */
export class ConfigurationError extends Error {
  constructor(
    message: string,
    /** The key the mistake is about (as the user wrote it), when there is one. */
    readonly key?: string,
  ) {
    super(message);
    this.name = 'ConfigurationError';
  }
}

/** `option 'key': ` or nothing: the start of a message about a value. @internal */
export function optionPrefix(key: string | undefined): string {
  return key === undefined ? '' : `option '${key}': `;
}
