/** The typed events `<e2ee-chat>` dispatches. All bubble and are composed. */
import type { ErrorCode } from '../protocol/errors.js';
import type { EnginePhase, PrivacyState } from '../worker/api.js';

/** `theirFingerprint` and `protocolVersion` are those in use while private. */
export interface E2eeStatusDetail { peer: string; state: PrivacyState; theirFingerprint?: string; protocolVersion?: 2 | 3 }
/** In isolated mode without `expose-text`, `text` is `''` and `textWithheld` is true: the text stayed in the frame. */
export interface E2eeMessageDetail {
  peer: string;
  text: string;
  encrypted: boolean;
  direction: 'in' | 'out';
  at: Date;
  textWithheld?: true;
  /** An encrypted file instead of text: its name (`''` when withheld), media type and size in bytes. */
  file?: { name: string; mediaType: string; size: number };
}
export interface E2eeErrorDetail { peer: string; code: ErrorCode; message: string }
export interface E2eeKeygenDetail { phase: 'started' | 'done'; ms?: number }
export interface E2eeTrustDetail { peer: string; fingerprint: string; verified: boolean; isNew: boolean; replacesVerified: boolean }
/** The engine's worker stopped and is being restarted, runs again, or was given up (`reason` says why it stopped). */
export interface E2eeEngineDetail { peer: string; phase: EnginePhase; reason: string }

/** Isolated mode: the chat's frame is up, `ms` after the element connected; `overlayGuard`: it can tell when it is covered. */
export interface E2eeFrameDetail { phase: 'up'; ms: number; overlayGuard: boolean }

/** Event name → detail type. */
export interface E2eeEventMap {
  'e2ee-status': CustomEvent<E2eeStatusDetail>;
  'e2ee-message': CustomEvent<E2eeMessageDetail>;
  'e2ee-error': CustomEvent<E2eeErrorDetail>;
  'e2ee-keygen': CustomEvent<E2eeKeygenDetail>;
  'e2ee-trust': CustomEvent<E2eeTrustDetail>;
  'e2ee-engine': CustomEvent<E2eeEngineDetail>;
  'e2ee-frame': CustomEvent<E2eeFrameDetail>;
}

/** Make one of our events: bubbling and composed, so a host page sees it through shadow roots. */
export function e2eeEvent<K extends keyof E2eeEventMap>(name: K, detail: E2eeEventMap[K]['detail']): E2eeEventMap[K] {
  return new CustomEvent(name, { detail, bubbles: true, composed: true }) as E2eeEventMap[K];
}

declare global {
  // eslint-disable-next-line @typescript-eslint/no-empty-object-type
  interface HTMLElementEventMap extends E2eeEventMap {}
}
