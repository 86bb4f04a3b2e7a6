// ESLint (flat config), run by `pnpm lint` and `pnpm run check` (so by `npm test`).
// A small, purposeful rule set with typescript-eslint's type-aware rules: promises that are neither awaited nor
// handled (an unhandled rejection crashes the worker or the process, or loses the error), and promises passed where
// a void callback is expected (an event handler or `forEach` callback that returns a promise drops its rejection).
// Style is not linted. Each file is typed with the tsconfig.json of its package (projectService).
import { defineConfig } from 'eslint/config';
import tseslint from 'typescript-eslint';

export default defineConfig(
  {
    ignores: ['**/node_modules/**', '**/dist/**', '**/.turbo/**', '**/*.d.ts'],
  },
  {
    // The TypeScript of every workspace package (sources and tests), the examples and the template that `runnel new`
    // copies.
    files: [
      '{packages,apps,benchmarks,tests}/*/{src,test}/**/*.ts',
      'apps/cli/template/{src,test}/**/*.ts',
      'examples/**/*.ts',
    ],
    languageOptions: {
      parser: tseslint.parser,
      parserOptions: {
        projectService: true,
        tsconfigRootDir: import.meta.dirname,
      },
    },
    plugins: { '@typescript-eslint': tseslint.plugin },
    // Disable comments may name rules that only editors run.
    linterOptions: { reportUnusedDisableDirectives: 'off' },
    rules: {
      '@typescript-eslint/no-floating-promises': [
        'error',
        // node:test's test() returns a promise that the runner itself awaits (the template's test uses it).
        { allowForKnownSafeCalls: [{ from: 'package', name: ['test', 'it', 'describe', 'suite'], package: 'node:test' }] },
      ],
      '@typescript-eslint/no-misused-promises': 'error',
      '@typescript-eslint/await-thenable': 'error',
    },
  },
);
