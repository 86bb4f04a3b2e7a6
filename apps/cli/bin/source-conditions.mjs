// Module resolution hook (node:module `register`) that adds the `@runnel/source` export condition, so that workspace
// packages resolve to their TypeScript sources when the CLI runs from the repository, without a build. It does in
// process what the `--conditions=@runnel/source` flag does, which saves re-spawning node just to pass a flag (and
// the signal forwarding between two processes that re-spawning would need).
const CONDITION = '@runnel/source';

export async function resolve(specifier, context, nextResolve) {
  const conditions = context.conditions ?? [];
  if (conditions.includes(CONDITION)) return nextResolve(specifier, context);
  return nextResolve(specifier, { ...context, conditions: [CONDITION, ...conditions] });
}
