/**
 * Per-peer trust records: which fingerprints we have seen, and which are
 * verified, how and when. Trust decisions are made and kept in the worker.
 */
import { sameFingerprint } from '../protocol/index.js';
import type { KeyValueStore } from './store.js';

/** How a fingerprint was verified. */
export type VerifiedBy = 'smp' | 'manual';

/** What we know about one of a peer's fingerprints. */
export interface FingerprintRecord {
  fingerprint: string;
  firstSeen: number;
  verified?: { by: VerifiedBy; at: number };
}

/** The outcome of seeing a fingerprint in an AKE. */
export interface Sighting {
  /** This fingerprint is verified. */
  verified: boolean;
  /** It was never seen before for this peer. */
  isNew: boolean;
  /**
   * It is not verified, and another key of this peer is: a loud warning case. It holds for a key
   * seen before too (a second device, or an attacker who ran an AKE earlier), not only a new one.
   */
  replacesVerified: boolean;
}

const prefix = 'trust:';

/** Trust records in a {@link KeyValueStore}. */
export class TrustStore {
  constructor(private readonly store: KeyValueStore) {}

  /** All fingerprints known for `peer`. */
  async fingerprints(peer: string): Promise<FingerprintRecord[]> {
    const list = await this.store.get<FingerprintRecord[]>(prefix + peer);
    return Array.isArray(list) ? list : [];
  }

  /** Record that `peer` presented `fingerprint`; never trusts a new key automatically. */
  async saw(peer: string, fingerprint: string): Promise<Sighting> {
    const list = await this.fingerprints(peer);
    const known = list.find((r) => sameFingerprint(r.fingerprint, fingerprint));
    const replacesVerified = !known?.verified && list.some((r) => r.verified);
    if (known) return { verified: !!known.verified, isNew: false, replacesVerified };
    await this.store.set(prefix + peer, [...list, { fingerprint, firstSeen: Date.now() }]);
    return { verified: false, isNew: true, replacesVerified };
  }

  /** Mark a fingerprint verified (or not). */
  async setVerified(peer: string, fingerprint: string, verified: VerifiedBy | false): Promise<void> {
    const list = await this.fingerprints(peer);
    let record = list.find((r) => sameFingerprint(r.fingerprint, fingerprint));
    if (!record) list.push((record = { fingerprint, firstSeen: Date.now() }));
    if (verified) record.verified = { by: verified, at: Date.now() };
    else delete record.verified;
    await this.store.set(prefix + peer, list);
  }

  /** Forget every fingerprint of `peer`. */
  async forget(peer: string): Promise<void> {
    await this.store.del(prefix + peer);
  }

  /** Every peer with records, for export. */
  async all(): Promise<{ peer: string; records: FingerprintRecord[] }[]> {
    const out: { peer: string; records: FingerprintRecord[] }[] = [];
    const peers = (await this.store.keys()).filter((k) => k.startsWith(prefix)).map((k) => k.slice(prefix.length));
    for (const peer of peers.sort()) {
      const records = await this.fingerprints(peer);
      if (records.length) out.push({ peer, records });
    }
    return out;
  }

  /** True when `fingerprint` is verified for `peer`. */
  async isVerified(peer: string, fingerprint: string): Promise<boolean> {
    return (await this.fingerprints(peer)).some((r) => sameFingerprint(r.fingerprint, fingerprint) && !!r.verified);
  }
}
