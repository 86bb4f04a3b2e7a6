// The session's catalog: tables and views by name, in one catalog and database (`default_catalog.default_database`,
// as Flink's SQL client starts with). Tables keep their DDL as parsed (for SHOW CREATE TABLE and for binding their
// computed columns and watermark) and their resolved schema (what connectors receive).
import type { ResolvedSchema } from '@runnel/api/table';
import type { CreateTable, QualifiedName, Query } from '../parser/ast.js';
import { SqlValidationError } from '../validation-error.js';

/** The catalog and database names Flink's client starts with. @internal */
export const DEFAULT_CATALOG = 'default_catalog';
/** @internal */
export const DEFAULT_DATABASE = 'default_database';

/** A table of the catalog. @internal */
export interface CatalogTable {
  readonly kind: 'table';
  readonly name: string;
  readonly temporary: boolean;
  readonly schema: ResolvedSchema;
  readonly options: Readonly<Record<string, string>>;
  readonly comment?: string;
  readonly partitionKeys: readonly string[];
  /** The CREATE TABLE statement as parsed (LIKE already applied). */
  readonly ddl: CreateTable;
}

/** A view of the catalog. @internal */
export interface CatalogView {
  readonly kind: 'view';
  readonly name: string;
  readonly temporary: boolean;
  readonly query: Query;
  readonly queryText: string;
  readonly columnNames?: readonly string[];
  readonly comment?: string;
}

/** A DataStream registered as a view (Table API). @internal */
export interface CatalogStream {
  readonly kind: 'stream';
  readonly name: string;
  readonly temporary: true;
  readonly rel: import('../plan/rel.js').StreamRel;
}

/** @internal */
export type CatalogEntry = CatalogTable | CatalogView | CatalogStream;

/**
 * The tables and views of a session.
 *
 * @internal
 */
export class Catalog {
  private readonly entries = new Map<string, CatalogEntry>();

  /** The simple name of a possibly qualified name; other catalogs or databases are refused. */
  static simpleName(name: QualifiedName): string {
    const p = name.parts;
    if (p.length > 3) throw new SqlValidationError(`'${p.join('.')}' has too many parts: use [catalog.][database.]name`, name.pos);
    if (p.length === 3 && p[0] !== DEFAULT_CATALOG) throw new SqlValidationError(`catalog '${p[0]}' does not exist (the catalog is '${DEFAULT_CATALOG}')`, name.pos);
    if (p.length >= 2 && p[p.length - 2] !== DEFAULT_DATABASE) throw new SqlValidationError(`database '${p[p.length - 2]}' does not exist (the database is '${DEFAULT_DATABASE}')`, name.pos);
    return p[p.length - 1]!;
  }

  get(name: string): CatalogEntry | undefined {
    return this.entries.get(name);
  }

  lookup(name: QualifiedName): CatalogEntry {
    const simple = Catalog.simpleName(name);
    const e = this.entries.get(simple);
    if (e) return e;
    const lower = simple.toLowerCase();
    const hint = [...this.entries.keys()].find((k) => k.toLowerCase() === lower);
    throw new SqlValidationError(
      `Object '${simple}' not found${hint ? ` (did you mean '${hint}'? names are case-sensitive)` : ''}; tables and views: ${[...this.entries.keys()].sort().join(', ') || 'none'}`,
      name.pos,
    );
  }

  add(entry: CatalogEntry, ifNotExists: boolean, pos?: QualifiedName['pos']): boolean {
    const existing = this.entries.get(entry.name);
    if (existing) {
      if (ifNotExists) return false;
      throw new SqlValidationError(`${existing.kind === 'view' ? 'View' : 'Table'} '${entry.name}' already exists`, pos);
    }
    this.entries.set(entry.name, entry);
    return true;
  }

  replace(entry: CatalogEntry): void {
    this.entries.set(entry.name, entry);
  }

  remove(name: string): boolean {
    return this.entries.delete(name);
  }

  names(kind?: 'table' | 'view' | 'stream'): string[] {
    return [...this.entries.values()].filter((e) => kind === undefined || e.kind === kind).map((e) => e.name).sort();
  }
}
