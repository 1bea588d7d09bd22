import type { CubeMessage } from './types.js';

/** The OTR whitespace tag's fixed prefix (tagged plaintext, OTR spec "Tagged plaintext messages"). */
const WHITESPACE_TAG = ' \t  \t\t\t\t \t \t \t  ';

/**
 * True when `body` is OTR protocol text: a query, error, encoded message or
 * fragment (all start with `?OTR`), or plaintext carrying the OTR whitespace tag.
 */
export function isOtrText(body: string): boolean {
  return body.trimStart().startsWith('?OTR') || body.includes(WHITESPACE_TAG);
}

/** The send time of a message the server held back (XEP-0203 `<delay stamp>`), if any. */
export function delayStamp(message: CubeMessage): Date | undefined {
  const delay = message.delay;
  if (typeof delay !== 'object' || delay === null) return undefined;
  const attrs: unknown = Reflect.get(delay, 'attrs');
  if (typeof attrs !== 'object' || attrs === null) return undefined;
  const stamp: unknown = Reflect.get(attrs, 'stamp');
  if (typeof stamp !== 'string') return undefined;
  const at = new Date(stamp);
  return Number.isNaN(at.getTime()) ? undefined : at;
}

/** ConnectyCube user ids are positive integers; the transport speaks them as decimal strings. */
export function peerNumber(peer: string | number): number | undefined {
  const text = String(peer).trim();
  if (!/^[1-9]\d{0,15}$/.test(text)) return undefined;
  const id = Number(text);
  return Number.isSafeInteger(id) ? id : undefined;
}

/** Characters XML 1.0 forbids; one in a body makes the server close the whole stream. */
const NOT_XML = /[\u0000-\u0008\u000B\u000C\u000E-\u001F\uFFFE\uFFFF]|[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/u;

/**
 * Why `body` cannot travel in an XMPP stanza, or undefined when it can.
 * (A carriage return can, but arrives as a line feed: XML normalises line ends.)
 */
export function xmlProblem(body: string): string | undefined {
  const match = NOT_XML.exec(body);
  if (!match) return undefined;
  const code = match[0].charCodeAt(0).toString(16).toUpperCase().padStart(4, '0');
  return `the body contains U+${code}, which XML (and so XMPP) cannot carry`;
}
