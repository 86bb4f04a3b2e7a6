// Shared vitest configuration: used at the repository root (all tests) and by each package's `test` script.
// The `@runnel/source` export condition makes workspace packages resolve to their TypeScript sources, so tests
// never need a prior build.
import { defineConfig } from 'vitest/config';

export default defineConfig({
  resolve: { conditions: ['@runnel/source', 'import', 'module', 'node', 'default'] },
  ssr: { resolve: { conditions: ['@runnel/source', 'import', 'node', 'default'], externalConditions: ['@runnel/source'] } },
  test: {
    include: ['**/test/**/*.test.ts'],
    exclude: ['**/node_modules/**', '**/dist/**'],
    testTimeout: 60_000,
    hookTimeout: 60_000,
    pool: 'forks',
    env: { TURBO_TELEMETRY_DISABLED: '1' },
  },
});
