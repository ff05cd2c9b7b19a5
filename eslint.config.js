// Lint is part of CI: type-aware rules catch floating promises, non-exhaustive
// switches and `any` leaking into domain code.
import js from '@eslint/js';
import tseslint from 'typescript-eslint';

export default tseslint.config(
  { ignores: ['dist/**', 'node_modules/**', 'charts/**', '**/*.mjs', 'eslint.config.js'] },
  js.configs.recommended,
  ...tseslint.configs.strictTypeChecked,
  {
    languageOptions: {
      parserOptions: { projectService: true, tsconfigRootDir: import.meta.dirname },
    },
    rules: {
      '@typescript-eslint/no-explicit-any': 'error',
      '@typescript-eslint/switch-exhaustiveness-check': [
        'error',
        { considerDefaultExhaustiveForUnions: true },
      ],
      '@typescript-eslint/restrict-template-expressions': [
        'error',
        { allowNumber: true, allowBoolean: true },
      ],
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      // client-node's models are classes, but the API takes plain object literals.
      '@typescript-eslint/no-unsafe-class-instance-assignment': 'off',
      eqeqeq: 'error',
      'max-params': ['error', 5],
      'max-depth': ['error', 4],
    },
  },
  {
    // The decision core is pure: no I/O, no Kubernetes client, no clocks of its own.
    files: ['src/core/**/*.ts'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          patterns: [
            {
              group: [
                '@kubernetes/*',
                'node:*',
                '../controller/*',
                '../routers/*',
                '../metrics/*',
                '../kube/*',
              ],
              message: 'src/core must stay pure (only src/api and itself).',
            },
          ],
        },
      ],
    },
  },
  {
    // The operator's process must not load @kubernetes/client-node (≈ 75 MB of RSS): types only,
    // except in the dashboard. The one runtime use is a dynamic import for credential plugins
    // (src/kube/client-node-auth.ts); test/unit/kube/no-client-node.test.ts checks the process.
    files: ['src/**/*.ts'],
    ignores: ['src/dashboard/**', 'src/cli/dashboard-command.ts'],
    rules: {
      '@typescript-eslint/no-restricted-imports': [
        'error',
        {
          paths: [
            {
              name: '@kubernetes/client-node',
              allowTypeImports: true,
              message:
                'runtime imports of client-node cost the operator ≈ 75 MB of RSS: use src/kube/ (import type is fine).',
            },
          ],
        },
      ],
    },
  },
  {
    files: ['test/**/*.ts', 'bench/**/*.ts', 'hack/**/*.ts'],
    rules: {
      '@typescript-eslint/no-non-null-assertion': 'off',
      '@typescript-eslint/no-floating-promises': [
        'error',
        {
          allowForKnownSafeCalls: [
            { from: 'package', name: ['test', 'describe', 'it', 'suite'], package: 'node:test' },
          ],
        },
      ],
      'max-params': 'off',
    },
  },
);
