/**
 * The mark on a re-sent message, as libotr puts it: libotr 4.1 (src/message.c, `maybe_resend`)
 * re-sends its last message after a new AKE as the `resent_msg_prefix` op's text (default
 * `"[resent]"`), a space, then the message. Pidgin users see exactly that text, so it is the one
 * mark that needs nothing new on the wire.
 */

/** What a re-sent message's plaintext starts with. */
export const RESENT_PREFIX = '[resent] ';

/** The plaintext to send when re-sending `text`. */
export function markResent(text: string): string {
  return RESENT_PREFIX + text;
}

/**
 * A decrypted message with the mark taken off: `resent` says whether it was there. Only for
 * encrypted messages (a plaintext one proves nothing about who wrote the mark).
 */
export function readResent(text: string): { text: string; resent: boolean } {
  return text.startsWith(RESENT_PREFIX) ? { text: text.slice(RESENT_PREFIX.length), resent: true } : { text, resent: false };
}
