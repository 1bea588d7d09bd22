/**
 * The otr seam: the only door to otr.js. Everything that knows otr.js lives in this folder, behind
 * {@link OtrConnection} (one conversation) and a few key and number helpers; the fixes and speed-ups
 * are installed by {@link installOtrPatches}, which checks the otr.js version first.
 */
export { OtrConnection } from './connection.js';
export type { OtrHandlers, OtrHeld, OtrState, SentKeys, VerifiedKeys } from './connection.js';
export { SEND_COUNTER_GAP, isStateSnapshot, type OtrStateSnapshot } from './session-state.js';
export { installOtrPatches, SUPPORTED_OTR_VERSION } from './install.js';
export { arithmeticReport, generateRawDsa, makeInstanceTag, parseRawDsaBase64, rawDsaFromHex, rawDsaToHex } from './loader.js';
export type { RawDsa as OtrKey } from './loader.js';
