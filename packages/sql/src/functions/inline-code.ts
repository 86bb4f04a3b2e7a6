// Implementations whose whole work is one JavaScript operation (a ROW field load) can also be written into the
// generated code of a query as text instead of being called. Why it pays: an implementation closure is made by the
// same function literal for every use (`fieldAccess` for every ROW field of every query), so V8 keeps one shared
// type feedback for all its uses and does not always inline it; written into the generated function, each use is a
// plain array load there. The closure stays the implementation: the interpreter (no code generation), constant
// folding and every other caller use it, and the text must compute the same value.
import type { ResolvedCall } from './function-definition.js';

/**
 * Writes a call as a JavaScript expression of its argument expressions (each a variable name or a primitive
 * literal, never NULL: strict functions are checked before), or returns undefined to leave it a call.
 *
 * @internal
 */
export type InlineTemplate = (args: readonly string[]) => string | undefined;

const templates = new WeakMap<object, InlineTemplate>();

/** Marks `impl` as writable inline by `template`; returns `impl`. @internal */
export function inlinable<F extends (...args: any[]) => unknown>(impl: F, template: InlineTemplate): F {
  templates.set(impl, template);
  return impl;
}

/** The inline text of a call, when its implementation has a template that writes it; undefined otherwise. @internal */
export function inlineCode(call: ResolvedCall, args: readonly string[]): string | undefined {
  const t = templates.get(call.impl);
  return t === undefined ? undefined : t(args);
}
