/**
 * OTR Error Messages from the peer (spec, "OTR Error Messages": `?OTR Error:`
 * followed by human-readable text). The text is the peer's, unverified; we
 * never present it as our own words.
 */

/** The most characters of a peer's error text we pass on. */
export const MAX_PEER_ERROR_TEXT = 500;

const CONTROL = /[\u0000-\u0008\u000b-\u001f\u007f-\u009f\u202a-\u202e\u2066-\u2069]/g;

/**
 * The peer's error text when `text` is an OTR Error Message, else undefined.
 * Like libotr and otr.js we look at the first `?OTR` in the text.
 */
export function peerErrorText(text: string): string | undefined {
  const at = text.indexOf('?OTR');
  if (at < 0 || !text.startsWith(' Error:', at + 4)) return undefined;
  const words = text.slice(at + '?OTR Error:'.length).replace(CONTROL, '').trim();
  return words.length > MAX_PEER_ERROR_TEXT ? `${words.slice(0, MAX_PEER_ERROR_TEXT)}…` : words;
}

/** The message of a `peer-error`: the peer's words, quoted and labelled as theirs. */
export function peerErrorMessage(peerText: string): string {
  return peerText === '' ? 'Their app sent no details.' : `Their app’s words (not ours): “${peerText}”`;
}
