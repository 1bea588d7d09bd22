// `npm run bench -- --files`, the probe worker: the file crypto's steps alone (no Comlink, no
// engine), so the page can tell where the engine's time goes (bench/files/main.js, section 3).
// Messages: { id, op, data, key?, iv?, parallel?, back } where op is
// - `echo`: send `data` back (the copies of structured clone, or a transfer, and nothing else);
// - `seal`: what src/worker/file-crypto.ts sealFile does (fresh AES-256-GCM key, encrypt, SHA-256 of
//   the ciphertext); answers the ciphertext, the raw key, the IV and the in-worker ms of each step;
// - `open`: what openFile does (SHA-256 of the ciphertext, decrypt with `key`, `iv`); answers the plaintext.
//   With `parallel`, the hash and the decryption run at once (both awaited before the answer).
// `back`: answer with the buffer transferred, not cloned (the page says whether it transferred its own).
const now = () => performance.now();

self.onmessage = async ({ data: msg }) => {
  const reply = (value, buffer) => self.postMessage({ id: msg.id, ...value }, msg.back && buffer ? [buffer] : []);
  try {
    if (msg.op === 'echo') return reply({ data: msg.data }, msg.data.buffer);
    if (msg.op === 'seal') {
      const t0 = now();
      const key = await crypto.subtle.generateKey({ name: 'AES-GCM', length: 256 }, true, ['encrypt', 'decrypt']);
      const iv = crypto.getRandomValues(new Uint8Array(12));
      const t1 = now();
      const ciphertext = new Uint8Array(await crypto.subtle.encrypt({ name: 'AES-GCM', iv }, key, msg.data));
      const t2 = now();
      await crypto.subtle.digest('SHA-256', ciphertext);
      const t3 = now();
      const raw = new Uint8Array(await crypto.subtle.exportKey('raw', key));
      return reply({ data: ciphertext, key: raw, iv, keyMs: t1 - t0, encryptMs: t2 - t1, hashMs: t3 - t2 }, ciphertext.buffer);
    }
    if (msg.op === 'open') {
      const key = await crypto.subtle.importKey('raw', msg.key, 'AES-GCM', false, ['decrypt']);
      if (msg.parallel) {
        const t0 = now();
        const [, plaintext] = await Promise.all([crypto.subtle.digest('SHA-256', msg.data), crypto.subtle.decrypt({ name: 'AES-GCM', iv: msg.iv }, key, msg.data)]);
        const bytes = new Uint8Array(plaintext);
        return reply({ data: bytes, bothMs: now() - t0 }, bytes.buffer);
      }
      const t0 = now();
      await crypto.subtle.digest('SHA-256', msg.data);
      const t1 = now();
      const plaintext = new Uint8Array(await crypto.subtle.decrypt({ name: 'AES-GCM', iv: msg.iv }, key, msg.data));
      const t2 = now();
      return reply({ data: plaintext, hashMs: t1 - t0, decryptMs: t2 - t1 }, plaintext.buffer);
    }
    throw new Error(`unknown op ${msg.op}`);
  } catch (error) {
    self.postMessage({ id: msg.id, error: String(error?.stack ?? error) });
  }
};
