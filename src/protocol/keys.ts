/**
 * Long-lived DSA identity keys: generation, serialisation, import and
 * fingerprints. The raw otr.js key stays inside the protocol layer.
 */
import { generateRawDsa, parseRawDsaBase64, parseRawDsaLibotr, type RawDsa } from './otr-loader.js';
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
    return IdentityKey.parse(() => parseRawDsaBase64(text), 'base64');
  }

  /** Parse a libotr `otr.private_key` s-expression (Pidgin, Adium); the first key is taken. */
  static fromLibotr(text: string): IdentityKey {
    return IdentityKey.parse(() => parseRawDsaLibotr(text), 'libotr s-expression');
  }

  /** Serialise the private key as base64 (otr.js's format). */
  toBase64(): string {
    return raw(this).packPrivate();
  }

  private static parse(read: () => RawDsa, format: string): IdentityKey {
    if (typeof read !== 'function') throw new E2eeError('invalid-input', 'No key given.');
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
