// ESLint: typescript-eslint's recommended rules, import hygiene (no cycles, no duplicates, no extraneous
// packages) and the project's own constraints; formatting is Prettier's (npm run format).
import js from '@eslint/js';
import prettier from 'eslint-config-prettier';
import importX from 'eslint-plugin-import-x';
import tseslint from 'typescript-eslint';

export default tseslint.config(
  {
    ignores: [
      'out/**',
      'node_modules/**',
      '.cache/**',
      'client/out/**',
      'server/out/**',
      'test/e2e/**',
      'scripts/*.js',
      'scripts/*.mjs',
      'esbuild.mjs',
      'eslint.config.mjs',
    ],
  },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    files: ['**/*.ts'],
    plugins: { 'import-x': importX },
    settings: { 'import-x/resolver': { node: { extensions: ['.ts', '.js'] } }, 'import-x/extensions': ['.ts'] },
    rules: {
      'import-x/no-cycle': 'error',
      'import-x/no-duplicates': 'error',
      'import-x/no-self-import': 'error',
      'import-x/no-useless-path-segments': 'error',
      'import-x/no-extraneous-dependencies': ['error', { devDependencies: ['test/**', 'scripts/**'] }],
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_', caughtErrors: 'none' }],
      '@typescript-eslint/consistent-type-imports': ['error', { fixStyle: 'inline-type-imports' }],
      '@typescript-eslint/no-non-null-assertion': 'off',
      'no-console': 'off',
      // the parser, the snippet builder and the CLI tests handle control characters on purpose
      'no-control-regex': 'off',
      eqeqeq: ['error', 'always'],
    },
  },
  {
    // tests read untyped JSON (CLI output, LSP messages)
    files: ['test/**/*.ts'],
    rules: { '@typescript-eslint/no-explicit-any': 'off' },
  },
  {
    // the language server's stdout is the protocol channel when it runs over stdio
    files: ['server/src/**/*.ts'],
    ignores: ['server/src/cli.ts', 'server/src/cli/**'],
    rules: { 'no-console': ['error', { allow: ['error', 'warn'] }] },
  },
  prettier,
);
