/** Input checks for values that cross the Comlink boundary into the engine. */
import { E2eeError, MIN_FRAGMENT_SIZE } from '../protocol/index.js';
import type { ConversationSettings, KeyFormat, SendOptions } from './api.js';

const MAX_PEER_ID = 256;

/** A non-empty string of at most 256 characters. */
export function checkPeer(peer: unknown): string {
  if (typeof peer !== 'string' || peer.length === 0 || peer.length > MAX_PEER_ID) {
    throw new E2eeError('invalid-input', `Peer id must be a non-empty string of at most ${MAX_PEER_ID} characters.`);
  }
  return peer;
}

/** A string (possibly empty). */
export function checkString(value: unknown, what: string): string {
  if (typeof value !== 'string') throw new E2eeError('invalid-input', `${what} must be a string.`);
  return value;
}

/** Settings with a valid fragment size. */
export function checkSettings(settings: unknown): ConversationSettings {
  if (typeof settings !== 'object' || settings === null) throw new E2eeError('invalid-input', 'Settings must be an object.');
  const size = (settings as ConversationSettings).fragmentSize;
  if (size !== undefined && size !== 0 && (typeof size !== 'number' || !Number.isInteger(size) || size < MIN_FRAGMENT_SIZE)) {
    throw new E2eeError('invalid-input', `Fragment size must be 0 (no limit) or an integer of at least ${MIN_FRAGMENT_SIZE}.`);
  }
  return settings as ConversationSettings;
}

/** Send options: absent, or an object whose `requireEncryption` is a boolean when given. */
export function checkSendOptions(options: unknown): SendOptions {
  if (options === undefined) return {};
  if (typeof options !== 'object' || options === null) throw new E2eeError('invalid-input', 'Send options must be an object.');
  const { requireEncryption } = options as SendOptions;
  if (requireEncryption !== undefined && typeof requireEncryption !== 'boolean') throw new E2eeError('invalid-input', 'requireEncryption must be a boolean.');
  return options as SendOptions;
}

/** `base64` or `libotr`. */
export function checkFormat(format: unknown): KeyFormat {
  if (format !== 'base64' && format !== 'libotr') throw new E2eeError('invalid-input', "Key format must be 'base64' or 'libotr'.");
  return format;
}
