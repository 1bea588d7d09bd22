/**
 * The records behind one `<e2ee-chat>`'s list, and what its controller tells the element: shared by
 * the controller (chat-controller.ts), the view (chat-view.ts) and the string catalogue (copy.ts).
 */
import type { ErrorCode } from '../protocol/errors.js';
import type { EnginePhase, PrivacyState } from '../worker/api.js';
import type { SmpOutcome, TrustSignal } from './trust-controller.js';

/** Delivery status of one message in the list. */
export type DeliveryStatus = 'pending' | 'held' | 'sent' | 'failed' | 'received';

/** One message in the list. */
export interface ChatRecord {
  id: string;
  direction: 'in' | 'out';
  text: string;
  /** ms since epoch. */
  at: number;
  /** Whether it crossed the wire encrypted; unknown (null) until sent. */
  encrypted: boolean | null;
  status: DeliveryStatus;
  /** Orders the message among the timeline's notices. */
  seq: number;
  /** The `require-encryption` setting in force when the person pressed Send (also used on Retry). */
  requireEncryption: boolean;
  /** Sent again after the first copy could not be read (ours, or the peer's), or read by the peer (ours). */
  mark?: 'resent' | 'delivered';
  /** An encrypted file instead of text (chat-files.ts). */
  file?: FileCard;
}

/** One encrypted file in the list: what it is, and how far its transfer got. */
export interface FileCard {
  name: string;
  mediaType: string;
  /** Bytes (of the file itself). */
  size: number;
  phase: 'uploading' | 'sent' | 'downloading' | 'ready' | 'failed' | 'cancelled';
  /** Bytes of ciphertext moved so far, and of all of it as the store counts them (the progress bar). */
  done?: number;
  total?: number;
  /** A `blob:` URL of the file in the page (ours, or the peer's once decrypted): the thumbnail and Save. */
  url?: string;
  /** Why it failed, in words. */
  error?: string;
}

/** What the controller tells its host. */
export type ControllerSignal =
  | { kind: 'status'; state: PrivacyState; theirFingerprint?: string; protocolVersion?: 2 | 3 }
  | { kind: 'message'; record: ChatRecord }
  | { kind: 'error'; code: ErrorCode; message: string }
  | { kind: 'keygen'; phase: 'started' | 'done'; ms?: number }
  | { kind: 'trust'; trust: TrustSignal }
  | { kind: 'smp'; outcome: SmpOutcome }
  | { kind: 'engine'; phase: EnginePhase; reason: string };

/** Settings that change while attached. */
export interface ChatOptions {
  requireEncryption: boolean;
  autoPrivate: boolean;
  /** Accept the old protocol v2 (default true). */
  allowV2?: boolean;
  /** Keep the conversation's OTR state in memory only (default false). */
  ephemeral?: boolean;
}

/** `base` with the defined values of `optional` added (exactOptionalPropertyTypes-safe). */
export function withDefined<T extends object, O extends object>(base: T, optional: O): T & Partial<O> {
  const out: Record<string, unknown> = { ...(base as Record<string, unknown>) };
  for (const [key, value] of Object.entries(optional)) if (value !== undefined) out[key] = value;
  return out as T & Partial<O>;
}
