import js from '@eslint/js';
import boundaries from 'eslint-plugin-boundaries';
import globals from 'globals';
import tseslint from 'typescript-eslint';

export default tseslint.config(
  {
    ignores: ['**/dist/**', '**/node_modules/**', '**/__fixtures__/**', '**/*.js', '**/*.mjs', 'e2e/test-results/**'],
  },
  js.configs.recommended,
  ...tseslint.configs.recommendedTypeChecked,
  {
    languageOptions: {
      globals: { ...globals.node },
      parserOptions: {
        projectService: { allowDefaultProject: ['vitest.config.ts'] },
        tsconfigRootDir: import.meta.dirname,
      },
    },
    rules: {
      '@typescript-eslint/no-floating-promises': 'error',
      '@typescript-eslint/no-misused-promises': 'error',
      '@typescript-eslint/switch-exhaustiveness-check': ['error', { considerDefaultExhaustiveForUnions: true }],
      '@typescript-eslint/consistent-type-imports': ['error', { fixStyle: 'inline-type-imports' }],
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      'no-restricted-syntax': ['error', { selector: 'TSEnumDeclaration', message: 'Use a string union or an as-const object.' }],
    },
  },
  {
    files: ['apps/web/**/*.{ts,tsx}'],
    languageOptions: { globals: { ...globals.browser } },
  },
  {
    // Dependency arrows point one way: web -> api (types only) -> core.
    files: ['apps/**/*.{ts,tsx}', 'packages/**/*.ts', 'e2e/**/*.ts', 'bench/**/*.ts'],
    plugins: { boundaries },
    settings: {
      'boundaries/include': ['apps/**/*', 'packages/**/*', 'e2e/**/*', 'bench/**/*'],
      'boundaries/elements': [
        { type: 'web', pattern: 'apps/web' },
        { type: 'api', pattern: 'packages/api' },
        { type: 'core', pattern: 'packages/core' },
        { type: 'e2e', pattern: 'e2e' },
        { type: 'bench', pattern: 'bench' },
      ],
    },
    rules: {
      'boundaries/element-types': [
        'error',
        {
          default: 'disallow',
          rules: [
            { from: 'web', allow: ['web', 'core', 'api'] },
            { from: 'api', allow: ['api', 'core'] },
            { from: 'core', allow: ['core'] },
            { from: 'e2e', allow: ['e2e', 'api', 'core'] },
            { from: 'bench', allow: ['bench', 'core', 'api'] },
          ],
        },
      ],
    },
  },
  {
    // The SPA may use only types from the api and the browser-safe domain schemas of core.
    files: ['apps/web/**/*.{ts,tsx}'],
    rules: {
      '@typescript-eslint/no-restricted-imports': [
        'error',
        {
          patterns: [
            { group: ['@scripthut/api', '@scripthut/api/*'], allowTypeImports: true, message: 'The web imports only types from the api.' },
            { regex: '^@scripthut/core(/(?!domain$).*)?$', message: 'The web may import only @scripthut/core/domain.' },
          ],
        },
      ],
    },
  },
  {
    // core is framework-free and never touches the process.
    files: ['packages/core/**/*.ts'],
    rules: {
      '@typescript-eslint/no-restricted-imports': [
        'error',
        { patterns: [{ group: ['express', '@trpc/*', 'react', 'react-dom', '@scripthut/api', '@scripthut/web'], message: 'core depends on no framework and no other package of ours.' }] },
      ],
      'no-restricted-globals': ['error', { name: 'process', message: 'core never touches process.*; main.ts passes what is needed.' }],
    },
  },
  {
    files: ['**/*.test.ts', '**/*.int.test.ts', '**/test/**/*.ts', 'e2e/**/*.ts', 'bench/**/*.ts', '**/testing.ts', '**/capture-*.ts'],
    rules: {
      'no-restricted-globals': 'off',
      '@typescript-eslint/no-non-null-assertion': 'off',
      '@typescript-eslint/unbound-method': 'off',
    },
  },
);
