/**
 * Fixes for otr.js 0.2.16 defects, applied at the loader seam
 * (src/protocol/otr-loader.ts). Each fix names the defect it mends and has a
 * regression test in test/protocol/otr-fixes.test.ts.
 */
import type { RawOtr } from 'otr';

/** Applied by the loader to every new otr.js instance. */
export function applyInstanceFixes(instance: RawOtr): void {
  void instance;
}

/**
 * Fix for otr.js defect "re-AKE after an end reuses stale state": once a
 * private conversation ends (either side), otr.js keeps the old DH keypairs,
 * key ids, session keys and SMP state. The next AKE then reuses the first
 * AKE's DH key (a forward-secrecy flaw) and sends data messages with key ids
 * libotr does not expect. We rebuild all of it as for a fresh instance,
 * keeping the message state, the policy flags and any held messages.
 */
export function resetKeyState(instance: RawOtr): void {
  const kept = {
    msgstate: instance.msgstate,
    ALLOW_V2: instance.ALLOW_V2,
    ALLOW_V3: instance.ALLOW_V3,
    REQUIRE_ENCRYPTION: instance.REQUIRE_ENCRYPTION,
    SEND_WHITESPACE_TAG: instance.SEND_WHITESPACE_TAG,
    WHITESPACE_START_AKE: instance.WHITESPACE_START_AKE,
    ERROR_START_AKE: instance.ERROR_START_AKE,
    storedMgs: instance.storedMgs,
  };
  instance.init();
  Object.assign(instance, kept);
}
