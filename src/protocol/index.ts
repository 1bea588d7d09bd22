/** The environment-free OTR layer: sessions, keys, fingerprints, errors. */
export { OtrSession, DEFAULT_MAX_INCOMING } from './session.js';
export { isSessionSnapshot, smpVerifiesPeer } from './session.js';
export type { HeldMessages, SendPolicy, SessionEvents, SessionSnapshot, SessionOptions, SessionState, SmpEvent } from './session.js';
export { IdentityKey } from './keys.js';
export { E2eeError } from './errors.js';
export type { ErrorCode } from './errors.js';
export { EXTRA_KEY_TLV, MAX_USEDATA } from './extra-key.js';
export type { ExtraKey } from './extra-key.js';
export { formatFingerprint, sameFingerprint } from './fingerprint.js';
export { fragmentWire, FRAGMENT_OVERHEAD, MIN_FRAGMENT_SIZE } from './fragment.js';
export { writeLibotrFingerprints, writeLibotrPrivateKey, readLibotrPrivateKeys } from './libotr-format.js';
export type { FingerprintLine, LibotrAccountKey } from './libotr-format.js';
export { arithmeticReport, installOtrPatches, makeInstanceTag, SUPPORTED_OTR_VERSION } from './otr/index.js';
