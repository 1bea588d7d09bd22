/**
 * Every error the OTR layer reports. otr.js itself only says
 * "An OTR error has occurred." unless in debug mode; we keep the real reason
 * locally and attach a stable code to it.
 */
export type ErrorCode =
  /** A value that is not a string (or is otherwise unusable) was passed in. */
  | 'invalid-input'
  /** An incoming message exceeds the size limit and was not processed. */
  | 'too-large'
  /** An `?OTR` message that could not be parsed (truncated, garbled). */
  | 'malformed'
  /** An encrypted message that cannot be decrypted or authenticated. */
  | 'unreadable'
  /** A plaintext message arrived while a private conversation was expected. */
  | 'unencrypted-received'
  /** A message addressed to another OTR instance of ours; ignored. */
  | 'wrong-instance'
  /** A message read before (delivered twice, or replayed); ignored. Always a warning. */
  | 'repeated'
  /** The authenticated key exchange failed. */
  | 'ake-failed'
  /** The peer sent an `?OTR Error:` message. */
  | 'peer-error'
  /** Sending is not possible in the current state (e.g. after the peer ended). */
  | 'not-private'
  /** A Socialist Millionaires' Protocol request was refused or failed. */
  | 'smp'
  /** A stored key or record could not be read. */
  | 'store'
  /** A key could not be parsed. */
  | 'bad-key'
  /** The worker failed to start or stopped answering. */
  | 'worker'
  /** The transport could not deliver a message. */
  | 'transport'
  /**
   * Isolated mode: the chat's frame did not load, answered from another origin or release, refused a
   * malformed message from the page, or was asked for something the page may not have (a key, text).
   */
  | 'frame'
  /** An encrypted file could not be sent or opened (too large, not found, changed, truncated, not decrypting). */
  | 'file'
  /** Anything else: an internal failure, with the original message. */
  | 'internal';

/** A typed error: `code` is stable, `message` says the real reason in plain words. */
export class E2eeError extends Error {
  override readonly name = 'E2eeError';
  constructor(
    readonly code: ErrorCode,
    message: string,
    /** The peer the error concerns, when there is one. */
    readonly peer?: string,
  ) {
    super(message);
  }

  /** Plain-object form, safe to post across threads. */
  toJSON(): { code: ErrorCode; message: string; peer?: string } {
    return this.peer === undefined
      ? { code: this.code, message: this.message }
      : { code: this.code, message: this.message, peer: this.peer };
  }
}

/** Map otr.js's own error texts to our codes. Unknown texts become `internal`. */
export function codeForOtrMessage(text: string): ErrorCode {
  for (const [pattern, code] of OTR_MESSAGE_CODES) if (pattern.test(text)) return code;
  return 'internal';
}

const OTR_MESSAGE_CODES: ReadonlyArray<readonly [RegExp, ErrorCode]> = [
  [/unreadable encrypted|latest keys|have that key|Counter in message|MACs do not match/i, 'unreadable'],
  [/Received an unencrypted message/i, 'unencrypted-received'],
  [/intended for a different session/i, 'wrong-instance'],
  [/already read/i, 'repeated'],
  [/Hashed g\^x|Illegal g\^|Cannot verify signature|equal keys|no compatible protocol/i, 'ake-failed'],
  [/Not ready to encrypt|cannot be sent at this time|Should have rekeyed/i, 'not-private'],
  [/SMP|Secret is required/i, 'smp'],
  [/too long|Too many fragments/i, 'too-large'],
  [/Invalid Msg|Malformed|Parse error/i, 'malformed'],
];
