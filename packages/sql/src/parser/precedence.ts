// The binding strengths of SQL's operators, weakest first, shared by the expression parser and the parts of the
// grammar that parse an operand that must stop before some operator (BETWEEN's bounds stop before AND, POSITION's
// first argument before IN).

/**
 * Operator precedence levels: an expression parsed at level `p` takes only operators that bind tighter than `p`.
 *
 * @internal
 */
export const Precedence = {
  /** A whole expression. */
  NONE: 0,
  OR: 10,
  AND: 20,
  /** Prefix NOT: `NOT a = b` is `NOT (a = b)`, `NOT a AND b` is `(NOT a) AND b`. */
  NOT: 30,
  /** `=`, `<>`, `<`, `<=`, `>`, `>=`, IS, [NOT] LIKE, [NOT] IN, [NOT] BETWEEN, [NOT] SIMILAR TO. */
  COMPARISON: 40,
  /** `+`, `-`, `||`. */
  ADDITIVE: 50,
  /** `*`, `/`, `%`. */
  MULTIPLICATIVE: 60,
  /** Prefix `-` and `+`. */
  UNARY: 70,
  /** `a[i]`, `(row).field`. */
  POSTFIX: 80,
} as const;
