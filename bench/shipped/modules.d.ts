declare module 'otr/vendor/crypto.js?full' {
  /** The whole vendored CryptoJS (scripts/slim-cryptojs.mjs leaves AES out of otr's copy in builds). */
  const cryptoJs: Record<string, unknown>;
  export default cryptoJs;
}
