// ORDER BY items (`a DESC NULLS LAST, b`), shared by queries, OVER windows and WITHIN GROUP.
import type { OrderItem } from './ast.js';
import type { TokenStream } from './token-stream.js';

/**
 * The comma-separated items after `ORDER BY`.
 *
 * @internal
 */
export function parseOrderItems(ts: TokenStream): OrderItem[] {
  const items: OrderItem[] = [];
  do {
    const expr = ts.grammar.expression(ts);
    let desc = false;
    if (ts.acceptWord('DESC')) desc = true;
    else ts.acceptWord('ASC');
    let nullsFirst: boolean | undefined;
    if (ts.acceptWord('NULLS')) {
      if (ts.acceptWord('FIRST')) nullsFirst = true;
      else if (ts.acceptWord('LAST')) nullsFirst = false;
      else ts.fail();
    }
    items.push(nullsFirst === undefined ? { expr, desc } : { expr, desc, nullsFirst });
  } while (ts.acceptOp(','));
  return items;
}
