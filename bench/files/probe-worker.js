// `npm run bench -- --files`, the probe worker: the file crypto's steps alone (no Comlink, no
// engine), so the page can tell where the engine's time goes (bench/files/main.js, section 3).
// Messages: { id, op, data, key?, iv?, parallel?, back } where op is
// - `echo`: send `data` back (the copies of structured clone, or a transfer, and nothing else);
// - `seal`: what src/worker/file-crypto.ts sealFile does (fresh AES-256-GCM key; per 256 KiB segment,
//   encrypt and SHA-256 of its ciphertext; SHA-256 of the hashes); answers the ciphertext, the raw
//   key, the IV and the in-worker ms of each step (summed over the segments);
// - `open`: what openFile does (per segment, SHA-256 then decrypt with `key`, `iv`); answers the plaintext.
//   With `parallel`, each segment's hash and decryption run at once.
// `back`: answer with the buffer transferred, not cloned (the page says whether it transferred its own).
const now = () => performance.now();
/** As src/worker/file-crypto.ts (version 2): 256 KiB segments, each its own GCM message, nonce prefix ‖ number ‖ last. */
const SEGMENT = 256 * 1024;
const segments = (size) => Math.max(1, Math.ceil(size / SEGMENT));
function nonce(iv, i, last) {
  const n = iv.slice(0, 12);
  new DataView(n.buffer).setUint32(7, i);
  n[11] = last ? 1 : 0;
  return n;
}

self.onmessage = async ({ data: msg }) => {
  const reply = (value, buffer) => self.postMessage({ id: msg.id, ...value }, msg.back && buffer ? [buffer] : []);
  try {
    if (msg.op === 'echo') return reply({ data: msg.data }, msg.data.buffer);
    if (msg.op === 'seal') {
      const t0 = now();
      const key = await crypto.subtle.generateKey({ name: 'AES-GCM', length: 256 }, true, ['encrypt', 'decrypt']);
      const iv = crypto.getRandomValues(new Uint8Array(12));
      const t1 = now();
      const count = segments(msg.data.length);
      const ciphertext = new Uint8Array(msg.data.length + 16 * count);
      const hashes = new Uint8Array(32 * count);
      let encryptMs = 0;
      let hashMs = 0;
      for (let i = 0; i < count; i++) {
        const t = now();
        const part = new Uint8Array(await crypto.subtle.encrypt({ name: 'AES-GCM', iv: nonce(iv, i, i === count - 1) }, key, msg.data.subarray(i * SEGMENT, (i + 1) * SEGMENT)));
        ciphertext.set(part, i * (SEGMENT + 16));
        const u = now();
        hashes.set(new Uint8Array(await crypto.subtle.digest('SHA-256', part)), 32 * i);
        encryptMs += u - t;
        hashMs += now() - u;
      }
      const u = now();
      await crypto.subtle.digest('SHA-256', hashes);
      hashMs += now() - u;
      const raw = new Uint8Array(await crypto.subtle.exportKey('raw', key));
      return reply({ data: ciphertext, key: raw, iv, keyMs: t1 - t0, encryptMs, hashMs }, ciphertext.buffer);
    }
    if (msg.op === 'open') {
      const key = await crypto.subtle.importKey('raw', msg.key, 'AES-GCM', false, ['decrypt']);
      const count = Math.ceil(msg.data.length / (SEGMENT + 16));
      const plaintext = new Uint8Array(msg.data.length - 16 * count);
      const hashes = new Uint8Array(32 * count);
      let decryptMs = 0;
      let hashMs = 0;
      const t0 = now();
      for (let i = 0; i < count; i++) {
        const part = msg.data.subarray(i * (SEGMENT + 16), (i + 1) * (SEGMENT + 16));
        const hash = () => crypto.subtle.digest('SHA-256', part).then((h) => hashes.set(new Uint8Array(h), 32 * i));
        const decrypt = () => crypto.subtle.decrypt({ name: 'AES-GCM', iv: nonce(msg.iv, i, i === count - 1) }, key, part).then((p) => plaintext.set(new Uint8Array(p), i * SEGMENT));
        if (msg.parallel) {
          await Promise.all([hash(), decrypt()]);
          continue;
        }
        const t = now();
        await hash();
        const u = now();
        await decrypt();
        hashMs += u - t;
        decryptMs += now() - u;
      }
      const u = now();
      await crypto.subtle.digest('SHA-256', hashes);
      hashMs += now() - u;
      return reply({ data: plaintext, hashMs, decryptMs, bothMs: now() - t0 }, plaintext.buffer);
    }
    throw new Error(`unknown op ${msg.op}`);
  } catch (error) {
    self.postMessage({ id: msg.id, error: String(error?.stack ?? error) });
  }
};
