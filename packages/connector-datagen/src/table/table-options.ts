// The options a table connector parses: a table's `WITH (...)` options include `connector` itself, which the
// planner has already used to find the factory and which no connector declares.

/**
 * The table's options without `connector`.
 *
 * @internal
 */
export function connectorOptions(options: Readonly<Record<string, string>>): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [k, v] of Object.entries(options)) if (k !== 'connector') out[k] = v;
  return out;
}
