// Name resolution: the fields visible to an expression (the FROM clause's tables, with their aliases) and how a
// possibly qualified name (`col`, `t.col`, `t.rowcol.field`) finds one. Flink's identifiers are case-sensitive;
// a name that differs only in case is pointed out in the error.
import type { LogicalType } from '@runnel/api/table';
import type { QualifiedName } from '../parser/ast.js';
import { SqlValidationError } from '../validation-error.js';

/** A field visible in a scope. @internal */
export interface ScopeField {
  /** The table alias (or table name) that qualifies it. */
  readonly qualifier?: string;
  readonly name: string;
  readonly type: LogicalType;
  /** The index in the input row. */
  readonly index: number;
}

/** What a name resolved to: a field, and the ROW sub-fields to access after it. @internal */
export interface ResolvedName {
  readonly field: ScopeField;
  readonly path: readonly string[];
}

/**
 * The fields an expression can refer to.
 *
 * @internal
 */
export class Scope {
  constructor(readonly fields: readonly ScopeField[]) {}

  static of(fields: readonly { name: string; type: LogicalType }[], qualifier?: string): Scope {
    return new Scope(fields.map((f, index) => ({ qualifier, name: f.name, type: f.type, index })));
  }

  resolve(name: QualifiedName): ResolvedName {
    const parts = name.parts;
    if (parts.length >= 2) {
      const q = parts[0]!;
      const qualified = this.fields.filter((f) => f.qualifier === q && f.name === parts[1]);
      if (qualified.length === 1) return { field: qualified[0]!, path: parts.slice(2) };
      if (qualified.length > 1) throw new SqlValidationError(`Column '${q}.${parts[1]}' is ambiguous`, name.pos);
      if (this.fields.some((f) => f.qualifier === q)) {
        throw new SqlValidationError(`Column '${parts[1]}' not found in table '${q}'${this.hint(parts[1]!, q)}`, name.pos);
      }
    }
    const first = parts[0]!;
    const matches = this.fields.filter((f) => f.name === first);
    if (matches.length > 1) throw new SqlValidationError(`Column '${first}' is ambiguous: qualify it with a table alias (${matches.map((m) => m.qualifier ?? '?').join(', ')})`, name.pos);
    if (matches.length === 0) {
      if (parts.length >= 2) throw new SqlValidationError(`Table '${parts[0]}' not found in the FROM clause, nor a column of that name`, name.pos);
      throw new SqlValidationError(`Column '${first}' not found in any table${this.hint(first)}`, name.pos);
    }
    return { field: matches[0]!, path: parts.slice(1) };
  }

  private hint(name: string, qualifier?: string): string {
    const lower = name.toLowerCase();
    const c = this.fields.find((f) => f.name.toLowerCase() === lower && (qualifier === undefined || f.qualifier === qualifier));
    if (c) return `; did you mean '${c.name}'? (names are case-sensitive)`;
    const names = this.fields.filter((f) => qualifier === undefined || f.qualifier === qualifier).map((f) => f.name);
    return names.length > 0 && names.length <= 30 ? `; available: ${names.join(', ')}` : '';
  }
}
