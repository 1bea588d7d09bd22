// ESLint (flat config): typescript-eslint, Lit, Lit a11y and web-component rules, Prettier's
// formatting rules off (Prettier checks formatting itself), and the import boundaries between the
// layers. The toolchain lives in tools/lint (its own install: typescript-eslint needs TypeScript 6's
// API, the project compiles with TypeScript 7); run it with `npm run lint`.
import { globals, js, lit, litA11y, prettierConfig, tseslint, wc } from './tools/lint/index.mjs';

/** The otr.js seam: the one folder whose modules may import `otr`. */
const OTR_SEAM = ['src/protocol/otr/**/*.ts'];
const noOtr = {
  regex: '^otr(/.*)?$', // the package, not our own ./otr/ folder
  message: 'Only the otr seam (src/protocol/otr/) imports otr.',
};
/** Outside the seam, its folder is reached only through its door, src/protocol/otr/index.ts. */
const seamDoor = {
  group: ['**/otr/*', '!**/otr/index.js'],
  message: 'Outside src/protocol/otr, import the seam only through src/protocol/otr/index.ts (OtrConnection and its helpers).',
};
const rule = (...patterns) => ['error', { patterns }];

export default tseslint.config(
  {
    ignores: [
      'dist/**',
      'dist-demo/**',
      'node_modules/**',
      'tools/**',
      'test/consumer/.work/**',
      'test/interop/build/**',
      '.prosody/**',
      '.cache/**',
      'screenshots/**',
    ],
  },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    languageOptions: { globals: { ...globals.browser, ...globals.node, ...globals.worker } },
    rules: {
      // The codebase's own conventions, where the recommended sets disagree with them.
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_', caughtErrors: 'none' }],
      '@typescript-eslint/no-non-null-assertion': 'off',
      '@typescript-eslint/no-explicit-any': 'error',
      'no-control-regex': 'off', // wire-format checks match control characters on purpose
    },
  },
  { files: ['src/ui/**/*.ts', 'src/lib/**/*.ts', 'src/index.ts', 'src/connectycube.ts'], ...lit.configs['flat/recommended'] },
  { files: ['src/ui/**/*.ts'], ...litA11y.configs.recommended },
  { files: ['src/ui/**/*.ts'], ...wc.configs['flat/recommended'] },
  {
    // The UI (main thread) knows the worker only by its API types (and the shared Comlink error
    // handler), and the protocol only by its environment-free errors module.
    files: ['src/ui/**/*.ts', 'src/lib/**/*.ts', 'src/index.ts', 'src/connectycube.ts'],
    rules: {
      'no-restricted-imports': 'off',
      '@typescript-eslint/no-restricted-imports': rule(
        {
          group: ['**/worker/*', '!**/worker/api.js', '!**/worker/error-transfer.js', '!**/worker/worker.ts?worker&url'],
          message: "The UI may import only src/worker/api.ts (types), error-transfer.ts and the worker entry's URL from the worker.",
        },
        { group: ['**/worker/api.js'], allowTypeImports: true, message: 'Import only types from src/worker/api.ts (`import type`).' },
        { group: ['**/protocol/*', '!**/protocol/errors.js'], message: 'The UI may import only src/protocol/errors.ts from the protocol layer.' },
        noOtr,
      ),
    },
  },
  {
    files: ['src/worker/**/*.ts'],
    rules: {
      '@typescript-eslint/no-restricted-imports': rule(
        { group: ['**/ui/*', '**/ui/**', '../lib/*'], message: 'The worker never imports the UI.' },
        {
          group: ['**/protocol/*', '**/protocol/otr/*', '!**/protocol/index.js'],
          message: 'The worker imports the protocol through src/protocol/index.ts.',
        },
        noOtr,
      ),
    },
  },
  {
    files: ['src/protocol/**/*.ts'],
    ignores: OTR_SEAM,
    rules: {
      '@typescript-eslint/no-restricted-imports': rule(
        { group: ['**/worker/*', '**/ui/*', '**/ui/**', '../lib/*'], message: 'The protocol layer never imports the worker or the UI.' },
        noOtr,
        seamDoor,
      ),
    },
  },
  {
    files: OTR_SEAM,
    rules: {
      '@typescript-eslint/no-restricted-imports': rule({
        group: ['**/worker/*', '**/ui/*', '**/ui/**', '../lib/*'],
        message: 'The protocol layer never imports the worker or the UI.',
      }),
    },
  },
  {
    // Tests, scripts and benchmarks: Node and browser code with looser habits.
    files: ['test/**/*.ts', 'scripts/**/*.mjs', 'bench/**/*.ts', '*.config.*', 'vite.*.ts', 'web-test-runner.config.mjs'],
    rules: {
      '@typescript-eslint/no-explicit-any': 'off',
      '@typescript-eslint/no-unused-expressions': 'off',
      '@typescript-eslint/no-unused-vars': ['warn', { argsIgnorePattern: '^_', varsIgnorePattern: '^_', caughtErrors: 'none' }],
      'prefer-const': 'warn',
      'no-regex-spaces': 'off', // expected file formats are spelled out literally
    },
  },
  prettierConfig,
);
