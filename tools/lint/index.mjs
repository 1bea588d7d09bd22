// Re-exports the lint toolchain for the repository's eslint.config.mjs (see package.json here).
export { default as js } from '@eslint/js';
export { default as tseslint } from 'typescript-eslint';
export { default as lit } from 'eslint-plugin-lit';
export { default as litA11y } from 'eslint-plugin-lit-a11y';
export { default as wc } from 'eslint-plugin-wc';
export { default as prettierConfig } from 'eslint-config-prettier';
export { default as globals } from 'globals';
export { ESLint } from 'eslint';
