// Evaluates constant expressions at planning time (VALUES rows, LIMIT, window sizes).
import type { Rex } from '../plan/rex.js';
import { evaluateRex } from './rex-interpreter.js';

/** The value of an expression that reads no fields. @internal */
export function evaluateConstant(r: Rex): unknown {
  return evaluateRex(r);
}
