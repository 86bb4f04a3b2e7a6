// The parser's cursor over the tokens, and where its error messages come from. Every test the parser makes at the
// current token through `accept*`/`expect*`/`expecting` is recorded; when the parser gives up, the error names the
// token found and everything that was tested at that position (`found 'FORM' (expected one of: ',', FROM,
// WHERE)`), which is what a hand-written grammar knows for free and what makes its messages precise.
//
// The grammar is recursive across modules (expressions hold subqueries, queries hold expressions), but value
// imports between the parser's modules must not form a cycle (scripts/check-import-cycles.mjs); so the two
// entry points that are re-entered from below, expressions and queries, are reached through `grammar`, which
// `parser.ts` fills in.
import type { Expr, Pos, Query } from './ast.js';
import { CLAUSE_KEYWORDS, misspeltKeyword, RESERVED_WORDS, STATEMENT_KEYWORDS } from './keywords.js';
import type { Token } from './lexer.js';
import { SqlParseError, SqlUnsupportedError } from './parse-error.js';

/**
 * The recursive entry points of the grammar.
 *
 * @internal
 */
export interface Grammar {
  /** An expression whose operators bind tighter than `minPrecedence` (0: a whole expression). */
  expression(ts: TokenStream, minPrecedence?: number): Expr;
  /** A query: `[WITH ...] SELECT|VALUES|(query) [set operations] [ORDER BY] [LIMIT|OFFSET|FETCH]`. */
  query(ts: TokenStream): Query;
}

/** How deep expressions and queries may nest before the parser refuses (well before the JavaScript stack ends). */
const MAX_DEPTH = 200;

/**
 * A cursor over tokens with expectation tracking.
 *
 * @internal
 */
export class TokenStream {
  private index = 0;
  /** The token index the `expected` labels were recorded at. */
  private expectedAt = -1;
  private expected: string[] = [];
  /** Indices of the words taken as implicit aliases (`FROM t WHER`), for the misspelt-keyword message. */
  private readonly aliases = new Set<number>();
  private depth = 0;
  /** The token index at which a name was last expected (for the back-quote hint on reserved words). */
  private nameExpectedAt = -1;

  constructor(
    /** The whole text the tokens come from (statement texts and expression texts are slices of it). */
    readonly text: string,
    private readonly tokens: readonly Token[],
    readonly grammar: Grammar,
  ) {}

  /** The token `k` places ahead (the `eof` token past the end). */
  peek(k = 0): Token {
    const i = this.index + k;
    return this.tokens[i < this.tokens.length ? i : this.tokens.length - 1]!;
  }

  /** The last token consumed (the first token when none was). */
  previous(): Token {
    return this.tokens[this.index > 0 ? this.index - 1 : 0]!;
  }

  /** Consumes and returns the current token (never moves past `eof`). */
  next(): Token {
    const t = this.peek();
    if (t.kind !== 'eof') this.index++;
    return t;
  }

  /** A position to `reset` to (for the few places that try one reading and fall back to another). */
  mark(): number {
    return this.index;
  }

  reset(mark: number): void {
    this.index = mark;
  }

  atEnd(): boolean {
    return this.peek().kind === 'eof';
  }

  /** At `;` or the end of the text. */
  atStatementEnd(): boolean {
    const t = this.peek();
    return t.kind === 'eof' || (t.kind === 'op' && t.value === ';');
  }

  // ------------------------------------------------------------ tests without side effects

  /** Whether the token `k` ahead is the unquoted word `upper`. */
  isWord(upper: string, k = 0): boolean {
    const t = this.peek(k);
    return t.kind === 'word' && t.upper === upper;
  }

  /** Whether the next tokens are the unquoted words `words`, in order. */
  isWords(...words: string[]): boolean {
    return words.every((w, k) => this.isWord(w, k));
  }

  isOp(op: string, k = 0): boolean {
    const t = this.peek(k);
    return t.kind === 'op' && t.value === op;
  }

  /** Whether the token `k` ahead can be a name: a back-quoted name or an unreserved word. */
  isIdentifier(k = 0): boolean {
    const t = this.peek(k);
    return t.kind === 'quoted' || (t.kind === 'word' && !RESERVED_WORDS.has(t.upper));
  }

  // ------------------------------------------------------------ tests that record what was expected

  /** Records `label` as acceptable at the current token (for the error message, should the parser fail here). */
  expecting(label: string): void {
    if (this.expectedAt !== this.index) {
      this.expectedAt = this.index;
      this.expected = [];
    }
    if (!this.expected.includes(label)) this.expected.push(label);
  }

  /** Records that a name (`label`: `a table name`, `an alias`) is acceptable at the current token. */
  expectingName(label: string): void {
    this.expecting(label);
    this.nameExpectedAt = this.index;
  }

  /** Consumes the word `upper` if it is next. */
  acceptWord(upper: string): boolean {
    this.expecting(upper);
    if (!this.isWord(upper)) return false;
    this.index++;
    return true;
  }

  /** Consumes the words `words` if they are all next (the label is the whole phrase: `GROUP BY`). */
  acceptWords(...words: string[]): boolean {
    this.expecting(words.join(' '));
    if (!this.isWords(...words)) return false;
    this.index += words.length;
    return true;
  }

  /**
   * A phrase whose first word commits to it (`GROUP BY`, `ORDER BY`, `NOT ENFORCED`): false when the first word is
   * not next; consumed when it is, and then the other words are required (`GROUP a` fails at `a`, expecting BY).
   */
  acceptPhrase(first: string, ...rest: string[]): boolean {
    this.expecting([first, ...rest].join(' '));
    if (!this.isWord(first)) return false;
    this.index++;
    for (const w of rest) this.expectWord(w);
    return true;
  }

  acceptOp(op: string): boolean {
    this.expecting(`'${op}'`);
    if (!this.isOp(op)) return false;
    this.index++;
    return true;
  }

  /** Consumes the word `upper` or fails (with `what` as the message when given). */
  expectWord(upper: string, what?: string): Token {
    if (!this.acceptWord(upper)) this.fail(what);
    return this.previous();
  }

  expectOp(op: string, what?: string): Token {
    if (!this.acceptOp(op)) this.fail(what);
    return this.previous();
  }

  /** Consumes the `)` that closes `open`, or fails saying which `(` is left open. */
  expectClose(open: Token): Token {
    if (this.acceptOp(')')) return this.previous();
    return this.fail(`missing ')' to close the '(' at line ${open.line}, column ${open.col}; ${this.describe(this.peek())}`);
  }

  // ------------------------------------------------------------ positions and nesting

  /** The position of a token (the current one by default) as an AST position. */
  pos(t: Token = this.peek()): Pos {
    return { line: t.line, col: t.col, offset: t.offset };
  }

  /** The source text from token `first` to the last consumed token. */
  textFrom(first: Token): string {
    return this.text.slice(first.offset, Math.max(first.offset, this.previous().end));
  }

  /** Marks the last consumed token as an implicit alias (see `fail`). */
  markAlias(): void {
    this.aliases.add(this.index - 1);
  }

  /** Enters a nested expression or query; fails past a depth no real statement reaches. */
  enter(): void {
    if (++this.depth > MAX_DEPTH) {
      this.depth = 0;
      this.fail(`the statement nests deeper than ${MAX_DEPTH} levels`, []);
    }
  }

  leave(): void {
    this.depth--;
  }

  // ------------------------------------------------------------ errors

  /** How a token reads in a message: `'FORM'`, `end of input`, a string shortened to 40 characters. */
  describe(t: Token): string {
    switch (t.kind) {
      case 'eof':
        return 'found end of input';
      case 'hint':
        return "found a hint '/*+ ... */' where none is allowed";
      case 'invalid':
        return t.problem ?? `unexpected '${t.value}'`;
      default: {
        const raw = this.text.slice(t.offset, t.end);
        const shown = raw.length > 40 ? `${raw.slice(0, 37)}...` : raw;
        if (t.kind === 'string' || t.kind === 'binary') return `found ${shown}`;
        if (t.kind === 'quoted') return `found ${shown}`;
        return `found '${shown}'`;
      }
    }
  }

  /**
   * Fails at the current token: `what` (default: what was found) and the labels recorded here. A word found just
   * after an implicit alias that looks like a misspelt keyword (`FROM t WHER x`) is blamed instead of the token
   * after it; a reserved word where a name was expected gets a hint to back-quote it.
   */
  fail(what?: string, expected?: readonly string[]): never {
    const t = this.peek();
    const recorded = expected ?? (this.expectedAt === this.index ? this.expected : []);
    if (what === undefined && t.kind !== 'invalid' && t.kind !== 'hint') {
      const alias = this.aliases.has(this.index - 1) ? this.tokens[this.index - 1] : undefined;
      if (alias !== undefined && alias.kind === 'word') {
        const keyword = misspeltKeyword(alias.value, CLAUSE_KEYWORDS);
        if (keyword !== undefined) throw new SqlParseError(`found '${alias.value}', did you mean ${keyword}?`, this.pos(alias), recorded);
        if (STATEMENT_KEYWORDS.includes(alias.upper)) {
          throw new SqlParseError(`found '${alias.value}' (is a ';' missing before it?)`, this.pos(alias), recorded);
        }
      }
      what = this.describe(t);
      if (t.kind === 'word') {
        if (RESERVED_WORDS.has(t.upper) && this.nameExpectedAt === this.index) {
          what = `found '${t.value}', a reserved word (write \`${t.value}\` to use it as a name)`;
        } else {
          const keywords = recorded.filter((e) => /^[A-Z_]+( [A-Z_]+)*$/.test(e));
          const suggestion = misspeltKeyword(t.value, keywords.map((k) => k.split(' ')[0]!));
          if (suggestion !== undefined) what = `found '${t.value}', did you mean ${suggestion}?`;
          else if (STATEMENT_KEYWORDS.includes(t.upper) && recorded.includes("';'")) what = `found '${t.value}' (is a ';' missing before it?)`;
        }
      }
    } else if (what === undefined) {
      what = this.describe(t);
      return this.failAt(t, what);
    }
    throw new SqlParseError(what, this.pos(t), recorded);
  }

  /** Fails at token `t` with `what`, without an expected list. */
  failAt(t: Token, what: string, expected?: readonly string[]): never {
    throw new SqlParseError(what, this.pos(t), expected);
  }

  /** Refuses Flink SQL that Runnel does not support, at token `t`. */
  unsupported(what: string, t: Token = this.peek()): never {
    throw new SqlUnsupportedError(what, this.pos(t));
  }
}
