/** The words and icons the component shows: one place for all user-facing text. */
import type { ErrorCode } from '../protocol/errors.js';
import type { PrivacyState } from '../worker/api.js';
import type { DeliveryStatus } from './chat-controller.js';
import type { TemplateResult } from 'lit';
import type { SmpOutcome } from './trust-controller.js';
import { lockOpen, lockQuestion, shieldCheck, stopCircle } from './icons.js';

/** Label, longer description and icon for each privacy state. */
export const STATE_COPY: Record<PrivacyState, { label: string; description: string; icon: () => TemplateResult }> = {
  plaintext: { label: 'Not private', description: 'Messages are sent in plaintext.', icon: lockOpen },
  encrypted: { label: 'Unverified', description: "Encrypted, but this contact's identity is not verified.", icon: lockQuestion },
  verified: { label: 'Private', description: 'Encrypted, and this contact’s identity is verified.', icon: shieldCheck },
  finished: { label: 'Finished', description: 'Your contact ended the private conversation. End it too, or restart it, before sending.', icon: stopCircle },
};

/** What the polite live region announces when the state changes. */
export function announceState(state: PrivacyState, peerName: string): string {
  switch (state) {
    case 'plaintext': return `Conversation with ${peerName} is not private.`;
    case 'encrypted': return `Conversation with ${peerName} is encrypted but unverified.`;
    case 'verified': return `Conversation with ${peerName} is private and verified.`;
    case 'finished': return `${peerName} ended the private conversation.`;
  }
}

/** The mark shown beside a message for its delivery status. */
export const DELIVERY_COPY: Record<DeliveryStatus, string> = {
  pending: 'Sending…',
  held: 'Waiting for a private conversation',
  sent: 'Sent',
  failed: 'Not sent',
  received: '',
};

/** Plain words for each error code. */
export const ERROR_COPY: Record<ErrorCode, string> = {
  'invalid-input': 'That input was not accepted.',
  'too-large': 'A message was too large and was dropped.',
  malformed: 'A damaged encrypted message arrived and was dropped.',
  unreadable: 'An encrypted message could not be decrypted.',
  'unencrypted-received': 'A message arrived unencrypted.',
  'wrong-instance': 'A message for another session of yours was ignored.',
  'ake-failed': 'Setting up the private conversation failed.',
  'peer-error': 'Your contact’s app reported an error.',
  'not-private': 'The message could not be sent privately.',
  smp: 'Verification could not run.',
  store: 'Saved keys could not be read or written.',
  'bad-key': 'That key could not be read.',
  worker: 'The encryption engine is not running.',
  transport: 'The message could not be delivered.',
  internal: 'Something went wrong.',
};

/** What an inline notice is about: an error, or a security change that is not an error. */
export type NoticeCode = ErrorCode | 'protocol-version';

/** Headline of each inline notice. */
export const NOTICE_COPY: Record<NoticeCode, string> = {
  ...ERROR_COPY,
  'protocol-version': 'The protocol version changed.',
};

/** After we answered the peer's question: what it proved, and what it did not. */
export function answeredCopy(peerName: string): string {
  return `You answered ${peerName}'s question. That proves who you are to ${peerName}, but not who ${peerName} is to you: ${peerName} chose the question and the answer. To verify ${peerName}, ask a question of your own.`;
}

/** Format elapsed milliseconds as seconds with one decimal. */
export function seconds(ms: number): string {
  return `${(ms / 1000).toFixed(1)} s`;
}

/** What the live region says about SMP. */
export function announceSmp(outcome: SmpOutcome, peerName: string): string {
  switch (outcome) {
    case 'answered': return answeredCopy(peerName);
    case 'asked': return `${peerName} asks you to verify. The Verify dialog is open.`;
    case 'succeeded': return `Verification succeeded: ${peerName} is verified.`;
    case 'failed': return `Verification failed: the secrets did not match.`;
    case 'aborted': return `Verification was cancelled.`;
  }
}
