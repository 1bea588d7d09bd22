// Vite build plugin: the worker bundle carries only the parts of otr's vendored CryptoJS 3.1.2 that
// can still run. otr.js reaches CryptoJS's AES (cipher-core, aes, pad-nopadding, mode-ctr) only
// through its helpers encryptAes/decryptAes, which src/protocol/otr/native-helpers.ts replaces for every
// shape otr.js and our AKE fixes pass them; the encoders, SHA-1, SHA-256 and HMAC stay (DSA, AKE).
// `otr/vendor/crypto.js?full` still loads the whole file (the bench's stock-otr.js worker).
import { readFileSync } from 'node:fs';

/** The sections of crypto.js (each starts with a "CryptoJS v3.1.2" licence comment) left out. */
const DROPPED = ['cipher-core', 'aes', 'pad-nopadding', 'mode-ctr'];
/** Section order in otr 0.2.16's crypto.js (its gruntfile's concatenation order). */
const ORDER = ['core', 'enc-base64', 'cipher-core', 'aes', 'sha1', 'sha256', 'hmac', 'pad-nopadding', 'mode-ctr'];
const MARK = '/*\nCryptoJS v3.1.2';
const FOOTER = '\n  return CryptoJS\n\n}))';

/** crypto.js without the {@link DROPPED} sections; throws if the file is not the one known here. */
export function slimCryptoJsSource(full) {
  const text = full.replace(/\r\n/g, '\n');
  const starts = [];
  for (let at = text.indexOf(MARK); at !== -1; at = text.indexOf(MARK, at + 1)) starts.push(at);
  const footerAt = text.lastIndexOf(FOOTER);
  if (starts.length !== ORDER.length || footerAt < starts.at(-1)) throw new Error(`slim-cryptojs: unexpected crypto.js (${starts.length} sections)`);
  const ends = [...starts.slice(1), footerAt];
  let out = text.slice(0, starts[0]);
  ORDER.forEach((name, i) => {
    if (!DROPPED.includes(name)) out += text.slice(starts[i], ends[i]);
  });
  return out + text.slice(footerAt);
}

/** The plugin (build only: the dev server and Node keep the whole file). */
export function slimCryptoJs() {
  return {
    name: 'e2ee-slim-cryptojs',
    apply: 'build',
    enforce: 'pre',
    load(id) {
      const [path, query] = id.split('?');
      if (!path.replace(/\\/g, '/').endsWith('/otr/vendor/crypto.js')) return null;
      const full = readFileSync(path, 'utf8');
      return query === 'full' ? full : slimCryptoJsSource(full);
    },
  };
}
