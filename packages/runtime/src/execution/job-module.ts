// Jobs that run on worker threads are defined in modules: every worker imports the module and runs the job
// function again to rebuild the same graph (closures cannot cross threads). The function gets a fresh
// environment and the job's arguments, and must build the graph deterministically.
import { pathToFileURL } from 'node:url';
import { isAbsolute, resolve } from 'node:path';
import type { StreamExecutionEnvironment } from '../api/stream-execution-environment.js';

/**
 * A job function: builds the dataflow on the given environment.
 *
 * @public
 */
export type JobFunction<A = unknown> = (env: StreamExecutionEnvironment, args: A) => void | Promise<void>;

/**
 * Where a job is defined: a module (path or file URL) and the export that holds the job function.
 *
 * @public
 */
export interface JobModuleRef<A = unknown> {
  readonly module: string;
  /** Export name; default `default`. */
  readonly exportName?: string;
  /** Arguments handed to the job function; must be structured-cloneable. */
  readonly args?: A;
}

/**
 * Marks a function as a job definition (for readability and typing; any function export works).
 *
 * @public
 */
export function defineJob<A = unknown>(fn: JobFunction<A>): JobFunction<A> {
  return fn;
}

/** @internal */
export function moduleUrl(module: string): string {
  if (/^[a-z]+:\/\//i.test(module) || module.startsWith('file:')) return module;
  return pathToFileURL(isAbsolute(module) ? module : resolve(process.cwd(), module)).href;
}

/** @internal */
export async function loadJobFunction(ref: JobModuleRef): Promise<JobFunction> {
  const url = moduleUrl(ref.module);
  const mod = (await import(url)) as Record<string, unknown>;
  const name = ref.exportName ?? 'default';
  const fn = mod[name];
  if (typeof fn !== 'function') {
    const exported = Object.keys(mod).filter((k) => typeof mod[k] === 'function');
    throw new Error(`job module ${ref.module} has no function export '${name}'${exported.length ? ` (function exports: ${exported.join(', ')})` : ''}`);
  }
  return fn as JobFunction;
}
