import type { Plugin } from 'vite';
/** crypto.js without CryptoJS's AES sections. */
export function slimCryptoJsSource(full: string): string;
/** Vite build plugin: otr's vendored CryptoJS without its AES parts (see slim-cryptojs.mjs). */
export function slimCryptoJs(): Plugin;
