// ESLint, configured once (npm run lint): the JavaScript and TypeScript recommendations for every
// source, angular-eslint's for the dashboard (its components and their inline templates), and
// eslint-config-prettier last, so that formatting is Prettier's alone.
import js from '@eslint/js';
import angular from 'angular-eslint';
import prettier from 'eslint-config-prettier';
import globals from 'globals';
import tseslint from 'typescript-eslint';

export default tseslint.config(
  { ignores: ['node_modules/', 'dist/', 'out-tsc/', '.tmp/', '.angular/', 'spec/fixtures/'] },
  {
    files: ['**/*.{ts,mjs,js,cjs}'],
    extends: [js.configs.recommended, ...tseslint.configs.recommended],
    languageOptions: { globals: { ...globals.browser, ...globals.node, ...globals.jasmine } },
    rules: {
      // a leading underscore marks what is unused on purpose (a signature's place, a skipped element)
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_', caughtErrorsIgnorePattern: '^_', destructuredArrayIgnorePattern: '^_' }],
    },
  },
  {
    // CommonJS configuration files (Karma's for the dashboard)
    files: ['**/*.cjs'],
    languageOptions: { sourceType: 'commonjs' },
    rules: { '@typescript-eslint/no-require-imports': 'off' },
  },
  {
    files: ['demo/**/*.ts', 'projects/npstreams-rx/angular/**/*.ts', 'examples/angular-app/src/**/*.ts'],
    extends: [...angular.configs.tsRecommended],
    processor: angular.processInlineTemplates,
  },
  {
    files: ['demo/**/*.html', 'projects/npstreams-rx/angular/**/*.html', 'examples/angular-app/src/**/*.html'],
    extends: [...angular.configs.templateRecommended, ...angular.configs.templateAccessibility],
  },
  prettier,
);
