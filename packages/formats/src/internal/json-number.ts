// A JSON number kept as its source text. `JSON.parse` turns every number into a double, which silently rounds
// integers beyond 2^53 and decimals beyond 15 significant digits; the exact JSON parser returns such numbers as
// `JsonNumber`s instead, so that BIGINT and DECIMAL fields get exactly the digits that were written.

/**
 * A JSON number that a double cannot hold exactly, as written in the JSON text (e.g. `9007199254740993`,
 * `799.929496989092949698`, `1e400`).
 *
 * @internal
 */
export class JsonNumber {
  constructor(
    /** The number's text, valid JSON number syntax. */
    readonly text: string,
  ) {}

  toString(): string {
    return this.text;
  }
}
