/**
 * Long-lived DSA identity keys: generation, serialisation, import and
 * fingerprints. The raw otr.js key stays inside the protocol layer.
 */
import { generateRawDsa, parseRawDsaBase64, rawDsaFromHex, rawDsaToHex, type OtrKey as RawDsa } from './otr/index.js';
import { readLibotrPrivateKeys, writeLibotrPrivateKey } from './libotr-format.js';
import { E2eeError } from './errors.js';
import { formatFingerprint } from './fingerprint.js';

const rawKeys = new WeakMap<IdentityKey, RawDsa>();

/** A DSA-1024 identity key pair. Its private half is only reachable through {@link IdentityKey.toBase64}. */
export class IdentityKey {
  /** The key's fingerprint in libotr's format (5 groups of 8 uppercase hex digits). */
  readonly fingerprint: string;

  private constructor(raw: RawDsa) {
    rawKeys.set(this, raw);
    this.fingerprint = formatFingerprint(raw.fingerprint());
  }

  /** Generate a new key with fresh DSA parameters. Takes ~1 s in otr.js; run it off the main thread. */
  static generate(): IdentityKey {
    return new IdentityKey(generateRawDsa());
  }

  /** Parse the base64 form produced by {@link IdentityKey.toBase64}. */
  static fromBase64(text: string): IdentityKey {
    return IdentityKey.parse(() => {
      if (typeof text !== 'string') throw new Error('expected text');
      return parseRawDsaBase64(text.trim());
    }, 'base64');
  }

  /**
   * Parse a libotr `otr.private_key` file (Pidgin, Adium). With several
   * accounts in the file, `account` picks one by name; otherwise the first is taken.
   */
  static fromLibotr(text: string, account?: string): IdentityKey {
    return IdentityKey.parse(() => {
      if (typeof text !== 'string') throw new Error('expected text');
      const keys = readLibotrPrivateKeys(text);
      const chosen = account === undefined ? keys[0] : keys.find((k) => k.name === account);
      if (!chosen) throw new Error(account === undefined ? 'the file holds no key' : `no key for account ${account}`);
      return rawDsaFromHex(chosen.dsa);
    }, 'libotr');
  }

  /** Write the private key as a libotr `otr.private_key` file for `account` (e.g. `alice@example.com`, `prpl-jabber`). */
  toLibotr(account: { name: string; protocol: string }): string {
    return writeLibotrPrivateKey(account, rawDsaToHex(raw(this)));
  }

  /** Serialise the private key as base64 (otr.js's format). */
  toBase64(): string {
    return raw(this).packPrivate();
  }

  private static parse(read: () => RawDsa, format: string): IdentityKey {
    try {
      return new IdentityKey(read());
    } catch (cause) {
      throw new E2eeError('bad-key', `Could not read the ${format} private key: ${(cause as Error).message}`);
    }
  }
}

/** @internal The otr.js key behind an {@link IdentityKey}; for the protocol layer only. */
export function raw(key: IdentityKey): RawDsa {
  const value = rawKeys.get(key);
  if (!value) throw new E2eeError('internal', 'Unknown identity key.');
  return value;
}
