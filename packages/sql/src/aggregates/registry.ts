// The built-in aggregate functions by name, for the binder, and the DISTINCT wrapper. Names are matched without
// regard to case, as Flink SQL's function names are.
import type { AggregateFunctionDefinition } from './aggregate-definition.js';
import { AVG } from './avg.js';
import { COLLECT } from './collect.js';
import { COUNT } from './count.js';
import { FIRST_VALUE, LAST_VALUE } from './first-last-value.js';
import { LISTAGG } from './listagg.js';
import { MAX, MIN } from './min-max.js';
import { SUM, SUM0 } from './sum.js';
import { STDDEV, STDDEV_POP, STDDEV_SAMP, VAR_POP, VAR_SAMP, VARIANCE } from './variance.js';

export { distinctAggregate } from './distinct.js';

const BUILT_INS: readonly AggregateFunctionDefinition[] = [
  COUNT,
  SUM,
  SUM0,
  AVG,
  MIN,
  MAX,
  VAR_POP,
  VAR_SAMP,
  VARIANCE,
  STDDEV_POP,
  STDDEV_SAMP,
  STDDEV,
  FIRST_VALUE,
  LAST_VALUE,
  LISTAGG,
  COLLECT,
];

const BY_NAME = new Map<string, AggregateFunctionDefinition>(BUILT_INS.map((f) => [f.name, f]));

/**
 * The built-in aggregate function of this name (any case), or undefined. `$SUM0` is the planner's SUM that is 0 for
 * an empty group.
 *
 * @internal
 */
export function lookupAggregateFunction(name: string): AggregateFunctionDefinition | undefined {
  return BY_NAME.get(name.toUpperCase());
}

/**
 * The names of the built-in aggregate functions (upper case), for error messages and documentation.
 *
 * @internal
 */
export function aggregateFunctionNames(): readonly string[] {
  return BUILT_INS.map((f) => f.name);
}
