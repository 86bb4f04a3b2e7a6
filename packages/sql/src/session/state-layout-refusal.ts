// Says why a savepoint of an older SQL state layout is refused. The layout is part of the keyed SQL operators' uids
// (planner/state-layout.ts), so the runtime refuses such a savepoint by default as state of operators the job no
// longer has, before any task starts. Its message advises giving the operators their old uids, which does not
// apply here; this names the layout instead. Only the message changes: the refusal itself is the runtime's.
import { SQL_STATE_LAYOUT, stateLayoutOfUid } from '../planner/state-layout.js';

const UNCLAIMED = 'it holds state of operator(s) the job no longer has: ';

/**
 * The error to report for a failed job start: `e` itself, or, when the runtime refused to restore state of keyed
 * SQL operators written in another state layout, an error that names those operators and the layouts.
 *
 * @internal
 */
export function explainStateLayoutRefusal(e: unknown): unknown {
  if (!(e instanceof Error)) return e;
  const msg = e.message;
  const at = msg.indexOf(UNCLAIMED);
  if (at < 0) return e;
  const from = /cannot restore from (.*?): it holds state/.exec(msg)?.[1] ?? 'the savepoint';
  const old: string[] = [];
  const layouts = new Set<number>();
  // The runtime lists `'<name>' (uid <uid>)`, comma-separated; a name may contain quotes but not `' (uid `.
  for (const m of msg.slice(at + UNCLAIMED.length).matchAll(/'(.*?)' \(uid ([^)\s]+)\)/g)) {
    const layout = stateLayoutOfUid(m[2]!);
    if (layout === undefined || layout === SQL_STATE_LAYOUT) continue;
    layouts.add(layout);
    old.push(`'${m[1]}' (uid ${m[2]}, layout ${layout})`);
  }
  if (old.length === 0) return e;
  return new Error(
    `cannot restore from ${from}: it was taken with an incompatible SQL state layout (${[...layouts].sort().join(', ')}; ` +
      `this version of Runnel keeps the state of keyed SQL operators in layout ${SQL_STATE_LAYOUT} (layouts differ in ` +
      `group keys, DISTINCT entries and mini-batch state) and cannot read the older one). Operator(s): ${old.join(', ')}. Start the job without ` +
      "'execution.savepoint.path' (its state is then rebuilt from the sources), or let it finish on the Runnel version " +
      'that took the savepoint.',
    { cause: e },
  );
}
