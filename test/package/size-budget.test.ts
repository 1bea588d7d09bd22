// Size budgets over the library build (dist/, made by `npm test`'s pretest or `npm run build`), in
// gzip bytes (level 9). The ceilings are the figures of the code as it is (worker 34.3 KiB, as when
// issue 13 began; main thread see below); the speed work is to lower them. A build over one fails here.
import { readdirSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { gzipSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';

const dist = resolve(import.meta.dirname, '../../dist');
const gzip = (files: string[]) => files.reduce((sum, f) => sum + gzipSync(readFileSync(join(dist, f)), { level: 9 }).length, 0);
/** The chunks a module imports statically (Rolldown writes `from"./x.js"` for them), transitively, itself included. */
function staticGraph(entry: string, seen = new Set<string>()): string[] {
  if (seen.has(entry)) return [...seen];
  seen.add(entry);
  for (const [, dep] of readFileSync(join(dist, entry), 'utf8').matchAll(
    /(?:^|[;}\s])(?:import|export)\s*[^'"`()]*?from\s*["'`]\.\/([\w.-]+\.js)["'`]/g,
  ))
    staticGraph(dep!, seen);
  return [...seen];
}

/** Ceilings in gzip bytes. */
export const BUDGETS = {
  /**
   * What a page loads on the main thread for `<e2ee-chat>`: dist/index.js and its static chunks.
   * Issue 13 began at 18.8 KiB; the security-UX work (timeline, menu, Verify panel, the whole string
   * catalogue, the list that follows its end) and the loopback mailbox took it to 25 049 bytes, so the
   * ceiling was 25 500 (25 078 measured). Issue 12's crash recovery (the engine client's supervisor,
   * heartbeat and outbox, the restart notices and the Resent/Delivered marks) took it to 27 920, and
   * the tab's instance slot, receipts and the renewed-conversation notice to 28 478; the ceiling was
   * 28 900. Issue 20's isolated mode put 2 KB on every page (the shell that decides isolation and
   * renders the frame or its error, the held-input notice, the frame's words), 30 480 in all; the
   * relay itself (the bridge's checks, the handshake, the theme's tokens) is a chunk loaded only when
   * an element is isolated (1.7 KB + 1.6 KB shared with dist/frame.js); the ceiling was 30 900.
   * Issue 21's encrypted files (the transfers with progress, Cancel and Retry, the file card and
   * thumbnail, the attach button, drop and paste, the memory file store, their words) took it to
   * 33 297, and issue 22's keyboard and focus fixes (the menu's Escape and Tab out, focus kept in
   * the element and its panels, one Start/End button) and the file stores' shared download to
   * 33 883; the engine client's file transfers and the layout controllers to 34 291, and the shared
   * render clock for pages of many elements to 34 489. The ceiling is 34 800; loading the file code
   * only once a `files` store is set would take most of issue 21's share back.
   */
  main: 34_800,
  /**
   * The worker, as loaded: the embedded chunk dist/worker-source.js, and the hostable dist/worker.js.
   * 34.3 KiB when the library build began. The hostile-wire work (own reassembler, limits, MAC-first
   * data messages) and the shipped speed-ups (native SHA/HMAC/AES, codecs, lazy sessions; CryptoJS's
   * AES left out) and the closed otr seam (its adapter and version check) took it to 40 949 bytes.
   * The speed issue's 25 KB target needs otr.js's own code replaced rather than patched; until then
   * the ceiling was 41 500. Issue 12's delivery tracking (key ids as acknowledgements, the outbox and
   * its resends, the heartbeat) took it to 42 614 bytes, and the stored sessions (snapshots, the
   * session store, instance slots) to 44 916: the ceiling was 45 500. Leaving out the otr.js code
   * that can never run here (scripts/slim-otr.mjs: UMD branches, otr.js's own workers, sendFile,
   * the libotr S-expression reader, otr.js's fragmentation, the AKE steps our fixes replace, the
   * EventEmitter API nothing calls) took it to 42 664 (dist/worker-source.js; dist/worker.js
   * 42 610). The speed work that followed (native DSA key generation, SHA-1/SHA-256 under
   * CryptoJS's hashers, tables for reused large bases, sessions derived ahead of use, the deferred
   * heartbeat, the incremental hashers, the SMP tables dropped at its end) took it to 44 363.
   * Issue 19's message ids (a TLV on every message, the ids shown, kept in snapshots) and the
   * recovery retry took it to 45 121; the ceiling was 45 500. Issue 20's isolated mode needs the
   * engine to run in a frame on another site, which Chromium gives no storage and no Web Locks: the
   * store falls back to memory and the locks to none (fallback-store.ts), 45 559; the ceiling was
   * 46 000. Issue 21's files (the extra symmetric key's TLV 8 both ways, sealing and opening with
   * AES-GCM, AES-KW and HKDF through WebCrypto, the file references) took it to 47 644. Issue 22's
   * scale work (lanes that keep key exchanges from holding up other conversations' messages, batched
   * IndexedDB reads and writes, DH keys made on first use) took it to 48 715; the ceiling was 49 300.
   * Its exact DSA speed-ups (verification as one two-base exponentiation, one random read per
   * candidate p, otr.js's exact search kept beside it) took it to 49 415. Files in 256 KiB GCM
   * segments (and opening the earlier one-message files) took it to 49 820, FIPS 186-4's Lucas test
   * for DSA's p to 50 217; the ceiling was 50 500. The scale target's key-exchange speed-ups (the
   * AKE's DH secret handed to the first data session, fixed-base tables kept for a peer's DH key
   * while it lives, at most 64) took it to 50 663. The ceiling is 51 000.
   */
  worker: 51_000,
  /**
   * `e2ee-chat/connectycube` on top of the main entry: the transport (under 3 000), and since issue 21
   * the file stores for XMPP HTTP upload (discovery, slots, the checked download) and ConnectyCube's
   * storage, 6 610 in all. The ceiling is 7 000.
   */
  connectycube: 7_000,
};

describe('size budgets (gzip bytes)', () => {
  it('finds the build', () => {
    expect(readdirSync(dist)).toEqual(expect.arrayContaining(['index.js', 'worker.js', 'worker-source.js', 'connectycube.js']));
  });

  it(`main thread stays within ${BUDGETS.main} bytes`, () => {
    const files = staticGraph('index.js');
    expect(files).not.toContain('worker-source.js'); // the worker's code loads on first use, not with the page
    const size = gzip(files);
    console.log(`main thread: ${files.join(' + ')} = ${size} gzip bytes (budget ${BUDGETS.main})`);
    expect(size).toBeLessThanOrEqual(BUDGETS.main);
  });

  it(`worker stays within ${BUDGETS.worker} bytes`, () => {
    for (const file of ['worker-source.js', 'worker.js']) {
      const size = gzip([file]);
      console.log(`worker: ${file} = ${size} gzip bytes (budget ${BUDGETS.worker})`);
      expect(size, file).toBeLessThanOrEqual(BUDGETS.worker);
    }
  });

  it(`the ConnectyCube entry adds at most ${BUDGETS.connectycube} bytes`, () => {
    const extra = staticGraph('connectycube.js').filter((f) => !staticGraph('index.js').includes(f));
    const size = gzip(extra);
    console.log(`connectycube: ${extra.join(' + ')} = ${size} gzip bytes (budget ${BUDGETS.connectycube})`);
    expect(size).toBeLessThanOrEqual(BUDGETS.connectycube);
  });
});
