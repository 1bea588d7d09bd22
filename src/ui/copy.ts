/**
 * Every word `<e2ee-chat>` shows, in one catalogue. English is the default; a host overrides any
 * entry through the element's `strings` property (for another language, or its own tone). Entries
 * that name someone are functions of the peer's display name.
 */
import type { ErrorCode } from '../protocol/errors.js';
import type { PrivacyState } from '../worker/api.js';
import type { DeliveryStatus } from './chat-records.js';
import type { SmpOutcome } from './trust-controller.js';

type Named = (peer: string) => string;

/** The catalogue. Override any part with `el.strings = { … }` (a shallow merge over English). */
export interface E2eeStrings {
  /** The status pill: `label` (wide), `short` (narrow) and a longer `description` (tooltip). */
  states: Record<PrivacyState, { label: string; short: string; description: Named }>;
  /** The mark beside one of our messages. */
  delivery: Record<DeliveryStatus, string>;
  /** A plain sentence for each error code; the technical detail goes behind a disclosure. */
  errors: Record<ErrorCode, string>;
  /** The polite announcement of a state change. */
  announceState: (state: PrivacyState, peer: string) => string;
  /** The polite announcement of an SMP outcome. */
  announceSmp: (outcome: SmpOutcome, peer: string) => string;
  /** The assertive announcement that the peer's verified key was replaced by another. */
  announceKeyChange: Named;
  /** Buttons and labels. */
  actions: {
    start: string;
    startShort: string;
    end: string;
    endShort: string;
    startAgain: string;
    verify: string;
    keys: string;
    refresh: string;
    more: string;
    send: string;
    retry: string;
    dismiss: string;
    close: string;
    askBack: string;
    technicalDetails: string;
    messagePlaceholder: string;
    messageLabel: Named;
    messagesLabel: Named;
  };
  /** Timeline notices: one short sentence each. */
  notices: {
    privateStarted: (peer: string, startedBy: 'us' | 'peer' | undefined, verified: boolean) => string;
    /** The peer started a new key exchange inside the running private conversation (its app restarted, say). */
    privateRenewed: (peer: string, verified: boolean) => string;
    endedByUs: Named;
    endedByPeer: Named;
    keyChanged: (peer: string, wasVerified: boolean) => string;
    oldProtocol: Named;
    versionChanged: (peer: string, version: 2 | 3) => string;
    smpAskedUs: (peer: string, question: string) => string;
    smpWeAsked: Named;
    smpVerified: Named;
    smpAnswered: Named;
    smpFailed: Named;
    smpAborted: Named;
    unreadable: Named;
    verifyNudge: Named;
    /** The encryption engine's worker stopped and is being restarted. */
    engineRestarting: () => string;
    /** It runs again; `privateLost`: the private conversation ended with the old worker. */
    engineRestarted: (peer: string, privateLost: boolean) => string;
    /** It kept stopping and was given up. */
    engineGaveUp: () => string;
  };
  /** Small marks on a message: sent again after it could not be read, or read by the peer. */
  marks: {
    resent: string;
    /** Tooltip of `resent` on one of our messages / on one of the peer's. */
    resentOut: Named;
    resentIn: Named;
    delivered: string;
    deliveredTitle: Named;
  };
  /** The Verify panel. */
  verify: {
    title: Named;
    modes: { qa: string; secret: string; fingerprint: string };
    modesLabel: string;
    askIntro: Named;
    secretIntro: Named;
    question: string;
    answer: string;
    sharedSecret: string;
    yourAnswer: string;
    waiting: Named;
    cancel: string;
    decline: string;
    submitVerify: string;
    submitAnswer: string;
    asks: Named;
    asksSecret: Named;
    compare: Named;
    yourFingerprint: string;
    theirFingerprint: Named;
    notGenerated: string;
    startToSee: string;
    currently: (verified: boolean) => string;
    markNotVerified: string;
    markVerified: string;
    succeeded: Named;
    failed: string;
    aborted: string;
  };
  /** The Keys panel. */
  keys: {
    you: string;
    notKnown: string;
    verifiedMark: string;
    exportLibotr: string;
    exportBase64: string;
    import: string;
    exportFingerprints: string;
    regenerate: string;
    forget: Named;
    confirmRegenerate: string;
    confirmForget: Named;
    forgetWarning: Named;
    cancel: string;
  };
  /** A message's badge. */
  lock: { encrypted: string; plaintext: string; encryptedTitle: string; plaintextTitle: string; you: string };
  /** The "new key" confirmation. */
  regenerateWarning: string;
  keygen: (elapsed: string) => string;
  keyChangeWarning: Named;
  /**
   * Isolated mode: why Send and Verify are off. `covered`: the page draws over the chat, or makes it
   * transparent or distorted; `hidden`: part of it is clipped or scrolled out of view.
   */
  inputHeld: (why: 'covered' | 'hidden') => string;
  /** Encrypted files: the attach button, a card's actions and progress, drops. */
  files: {
    attach: string;
    save: string;
    cancel: string;
    uploading: (name: string) => string;
    downloading: (name: string) => string;
    dropHere: string;
  };
}

/** The default English catalogue. */
export const ENGLISH: E2eeStrings = {
  states: {
    plaintext: { label: 'Not encrypted', short: 'Not encrypted', description: () => 'Messages are sent in plaintext: anyone on the way can read them.' },
    encrypted: { label: 'Encrypted · not verified', short: 'Not verified', description: (p) => `Encrypted. ${p}'s identity is not verified yet: verify to be sure no one is in between.` },
    verified: { label: 'Encrypted · verified', short: 'Verified', description: (p) => `Encrypted, and you verified that this is ${p}.` },
    finished: { label: 'Ended by contact', short: 'Ended', description: (p) => `${p} ended the private conversation. Messages you type now are not sent.` },
  },
  delivery: {
    pending: 'Sending…',
    held: 'Waiting for a private conversation',
    sent: 'Sent',
    failed: 'Not sent',
    received: '',
  },
  errors: {
    'invalid-input': 'That input was not accepted.',
    'too-large': 'A message was too large and was dropped.',
    malformed: 'A damaged encrypted message arrived and was dropped.',
    unreadable: 'A message could not be read.',
    'unencrypted-received': 'A message arrived unencrypted.',
    'wrong-instance': 'A message meant for another device of yours was ignored.',
    repeated: 'A message you had already read arrived again and was ignored.',
    'ake-failed': 'The private conversation could not be set up.',
    'peer-error': 'Your contact’s app reported a problem.',
    'not-private': 'The message could not be sent privately.',
    smp: 'Verification could not run.',
    store: 'Saved keys could not be read or written.',
    'bad-key': 'That key could not be read.',
    worker: 'The encryption engine is not running.',
    transport: 'The message could not be delivered.',
    frame: 'The private chat could not start in its protected frame.',
    file: 'The file could not be sent or opened.',
    internal: 'Something went wrong.',
  },
  announceState: (state, p) => {
    switch (state) {
      case 'plaintext': return `Conversation with ${p} is not encrypted.`;
      case 'encrypted': return `Conversation with ${p} is encrypted, but ${p} is not verified.`;
      case 'verified': return `Conversation with ${p} is encrypted and verified.`;
      case 'finished': return `${p} ended the private conversation.`;
    }
  },
  announceKeyChange: (p) => `Warning: ${p}'s key changed. ${p} is no longer verified; verify the new key before you trust it.`,
  announceSmp: (outcome, p) => {
    switch (outcome) {
      case 'asked': return `${p} asks you to verify. The Verify panel is open.`;
      case 'succeeded': return `Verification succeeded: ${p} is verified.`;
      case 'answered': return answeredCopy(p);
      case 'failed': return 'Verification failed: the answers did not match.';
      case 'aborted': return 'Verification was cancelled.';
    }
  },
  actions: {
    start: 'Start private conversation',
    startShort: 'Start',
    end: 'End private conversation',
    endShort: 'End',
    startAgain: 'Start again',
    verify: 'Verify',
    keys: 'Keys',
    refresh: 'Refresh keys',
    more: 'More actions',
    send: 'Send',
    retry: 'Retry',
    dismiss: 'Dismiss',
    close: 'Close',
    askBack: 'Ask your own question',
    technicalDetails: 'Technical details',
    messagePlaceholder: 'Write a message…',
    messageLabel: (p) => `Message to ${p}`,
    messagesLabel: (p) => `Conversation with ${p}`,
  },
  notices: {
    privateStarted: (p, by, verified) =>
      `${by === 'us' ? 'You started a' : by === 'peer' ? `${p} started a` : 'A'} private conversation. ${verified ? `${p} is verified.` : `${p} is not verified yet.`}`,
    privateRenewed: (p, verified) =>
      `${p} started a new private conversation, with new keys (their app may have restarted). ${verified ? `${p} is verified.` : `${p} is not verified yet.`}`,
    endedByUs: () => 'You ended the private conversation. Messages are no longer encrypted.',
    endedByPeer: (p) => `${p} ended the private conversation. Messages you type now are not sent. End it too, or start again.`,
    keyChanged: (p, wasVerified) =>
      wasVerified
        ? `${p}'s key changed since you verified it. This may be a new device, or someone intercepting. Verify again before trusting it.`
        : `${p} is using a different key now. It is not verified.`,
    oldProtocol: (p) => `This conversation uses the old protocol OTR v2, because ${p}'s app does not speak v3.`,
    versionChanged: (p, v) => (v === 2 ? `The conversation with ${p} moved to the old protocol OTR v2. If you did not expect this, end it and start again.` : `The conversation with ${p} now uses OTR v3.`),
    smpAskedUs: (p, q) => (q ? `${p} asks you to verify: “${q}”` : `${p} asks you to verify with the secret you share.`),
    smpWeAsked: (p) => `You asked ${p} to verify. Waiting for the answer…`,
    smpVerified: (p) => `Verified: ${p} gave the same answer. This conversation is with ${p}.`,
    smpAnswered: (p) => answeredCopy(p),
    smpFailed: (p) => `Verification with ${p} failed: the answers did not match. This can be a typo, or someone else.`,
    smpAborted: () => 'Verification was cancelled.',
    unreadable: (p) => `A message from ${p} could not be read. Start the private conversation again to continue.`,
    verifyNudge: (p) => `Make sure this is really ${p}: verify once, and this conversation shows as verified.`,
    engineRestarting: () => 'Reconnecting the encryption engine…',
    engineRestarted: (p, lost) =>
      lost
        ? `The encryption engine is running again, but the private conversation with ${p} ended with it. Start it again to continue privately.`
        : 'The encryption engine is running again.',
    engineGaveUp: () => 'The encryption engine keeps stopping and was not restarted again. Nothing is sent. Reload the page to continue.',
  },
  marks: {
    resent: 'Resent',
    resentOut: (p) => `Sent again: ${p} could not read the first copy.`,
    resentIn: (p) => `${p} sent this again: the first copy could not be read.`,
    delivered: 'Delivered',
    deliveredTitle: (p) => `${p}'s app could read it.`,
  },
  verify: {
    title: (p) => `Verify ${p}`,
    modes: { qa: 'Question & answer', secret: 'Shared secret', fingerprint: 'Fingerprint' },
    modesLabel: 'Ways to verify',
    askIntro: (p) => `Ask a question only ${p} can answer. The answer is never sent; OTR only checks that you both typed the same.`,
    secretIntro: (p) => `Type a secret you agreed with ${p} in person. It is never sent; OTR only checks that you both typed the same.`,
    question: 'Question',
    answer: 'Answer',
    sharedSecret: 'Shared secret',
    yourAnswer: 'Your answer',
    waiting: (p) => `Verifying… waiting for ${p}`,
    cancel: 'Cancel',
    decline: 'Decline',
    submitVerify: 'Verify',
    submitAnswer: 'Answer',
    asks: (p) => `${p} asks:`,
    asksSecret: (p) => `${p} wants to verify you with the secret you share.`,
    compare: (p) => `Compare these with ${p} over another channel you trust (in person, a phone call).`,
    yourFingerprint: 'Your fingerprint',
    theirFingerprint: (p) => `${p}'s fingerprint`,
    notGenerated: 'not generated yet',
    startToSee: 'Start a private conversation to see it.',
    currently: (v) => `Currently: ${v ? 'verified' : 'not verified'}`,
    markNotVerified: 'Mark as not verified',
    markVerified: 'They match: mark verified',
    succeeded: (p) => `Verified: ${p} gave the same answer, so this conversation is with ${p}. It now shows as verified.`,
    failed: 'Verification failed: the answers did not match. This can be a typo, or someone else.',
    aborted: 'Verification was cancelled.',
  },
  keys: {
    you: 'You',
    notKnown: 'not known until a private conversation starts',
    verifiedMark: ' (verified)',
    exportLibotr: 'Export my key (libotr)',
    exportBase64: 'Export my key (base64)',
    import: 'Import a key…',
    exportFingerprints: 'Export known fingerprints',
    regenerate: 'Replace my key…',
    forget: (p) => `Forget ${p}'s keys…`,
    confirmRegenerate: 'Replace my key',
    confirmForget: (p) => `Forget ${p}'s keys`,
    forgetWarning: (p) => `Forget every key of ${p}? Their verification is lost: their next key counts as new and unverified, and you must verify them again.`,
    cancel: 'Cancel',
  },
  lock: { encrypted: 'encrypted', plaintext: 'plaintext', encryptedTitle: 'Sent encrypted', plaintextTitle: 'Sent in plaintext', you: 'You' },
  regenerateWarning:
    'A new key replaces yours for good. Every contact will see a new fingerprint, everyone who verified you must verify you again, and private conversations end now.',
  keygen: (elapsed) => `Generating your encryption key… ${elapsed}`,
  files: {
    attach: 'Attach a file',
    save: 'Save',
    cancel: 'Cancel',
    uploading: (name) => `Encrypting and sending ${name}`,
    downloading: (name) => `Receiving and decrypting ${name}`,
    dropHere: 'Drop to send, encrypted',
  },
  inputHeld: (why) =>
    why === 'covered'
      ? 'Sending and verifying are off: something on the page covers this chat or makes it transparent. They come back once the chat is fully in view.'
      : 'Sending and verifying are off while part of this chat is hidden. Scroll it fully into view.',
  keyChangeWarning: (p) => `Warning: ${p}'s key has changed since you verified it. This may be a new device, or someone intercepting. This conversation is encrypted but not verified; verify again before trusting it.`,
};

/** After we answered the peer's question: what it proved, and what it did not. */
export function answeredCopy(peerName: string): string {
  return `You answered ${peerName}'s question. That proves who you are to ${peerName}, but not who ${peerName} is to you: ${peerName} chose the question and the answer. To verify ${peerName}, ask a question of your own.`;
}

/** What a host may override: any entry, and within a section any of its entries. */
export type E2eeStringOverrides = {
  [K in keyof E2eeStrings]?: E2eeStrings[K] extends string | ((...args: never[]) => unknown) ? E2eeStrings[K] : Partial<E2eeStrings[K]>;
};

/** English with the host's overrides on top (a shallow merge per section). */
export function resolveStrings(overrides: E2eeStringOverrides | undefined): E2eeStrings {
  if (!overrides) return ENGLISH;
  const merged = { ...ENGLISH, ...overrides } as E2eeStrings;
  for (const section of ['states', 'delivery', 'errors', 'actions', 'notices', 'marks', 'verify', 'keys', 'lock', 'files'] as const) {
    if (overrides[section]) Object.assign(merged, { [section]: { ...ENGLISH[section], ...overrides[section] } });
  }
  return merged;
}

/** Format elapsed milliseconds as seconds with one decimal. */
export function seconds(ms: number): string {
  return `${(ms / 1000).toFixed(1)} s`;
}
