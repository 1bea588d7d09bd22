/**
 * Key ids as evidence of delivery: what each data message we send announces, and which of our keys
 * each verified data message from the peer names. Part of the otr seam (it wraps methods of one
 * otr.js instance); {@link OtrConnection} surfaces what it reports, {@link Outbox}
 * (src/protocol/outbox.ts) turns it into acknowledgements.
 *
 * The facts used (OTR v3 spec, https://otr.cypherpunks.ca/Protocol-v3-4.1.1.html, "Data Message"
 * and "Exchanging Data"):
 * - every data message carries `sender keyid` (the key it was encrypted with), `recipient keyid`
 *   (the peer's key it was encrypted to) and `next_dh`, our newest key, whose id is
 *   `sender keyid + 1`: the message *announces* that key;
 * - the peer learns a key of ours (other than the AKE's, id 1) only from a data message that
 *   announced it, and encrypts to the newest one it has seen;
 * - "Receiving a Data Message": the receiver uses the keys named only after the MAC verifies, and
 *   "Revealing MAC keys" only ever publishes MAC keys of keys both sides have stopped using, so a
 *   message that verifies under a key of ours came from the peer holding the session's keys.
 *
 * So a verified peer message naming our key `R` proves the peer read at least one message of ours
 * that announced `R`, and every such message was sent no earlier than the *first* one that did.
 * Each prepared data message gets a sequence number; {@link VerifiedKeys.provenThrough} is the
 * sequence number of the first message that announced `R` in this session.
 */
import type { RawOtr } from 'otr';
import { HLP, type DataMessage, type RawOtrInternals } from './internals.js';

/** What one data message we sent announced. */
export interface SentKeys {
  /** Which OTR session (AKE) of this connection encrypted it; counts up from 1. */
  session: number;
  /** Its place among every data message prepared in that session (SMP and heartbeats included). */
  seq: number;
  /** The id of our key it announced (`next_dh`). */
  announced: number;
  /** Its plaintext (UTF-16), as given to otr.js. */
  text: string;
}

/** What a MAC-verified data message from the peer proves. */
export interface VerifiedKeys {
  session: number;
  /** The `recipient keyid` it named: the newest key of ours the peer has seen. */
  recipientKeyId: number;
  /**
   * The peer read a message of ours sent at or after sequence number `provenThrough` (see the file
   * comment); undefined when the key was never announced in a data message (the AKE's key).
   */
  provenThrough?: number;
  /** It named our newest key, so we moved to a new one (announced by our next data message). */
  rotated: boolean;
}

/** Who hears about sent and verified data messages. */
export interface KeyIdWatcher {
  /** A data message was prepared for `meta` (what `sendMsg` was given; undefined for SMP). */
  sent(meta: unknown, keys: SentKeys): void;
  verified(keys: VerifiedKeys): void;
}

const DATA_FIELDS = ['BYTE', 'INT', 'INT', 'MPI', 'CTR', 'DATA', 'MAC', 'DATA'];
/** How many of our key ids to remember the first announcement of (the peer names one of our two newest). */
const KEEP_KEY_IDS = 4;

type Prepare = RawOtrInternals['prepareMsg'];
type HandleData = RawOtrInternals['handleDataMsg'];
interface Watched extends RawOtrInternals {
  sendMsg(msg: string, meta?: unknown): void;
  sendStored(): void;
  storedMgs: { msg: string; meta?: unknown }[];
  init(): void;
  ssid: string | null;
}

const utf8 = new TextDecoder('utf-8');

/** Text of UTF-8 bytes held one per character, when any is above U+007F. */
const NON_ASCII = /[^\x00-\x7f]/;

/** otr.js holds text to encrypt as UTF-8 bytes, one char per byte. */
function fromBytes(bytes: string): string {
  if (!NON_ASCII.test(bytes)) return bytes; // ASCII: the bytes are the text (1.8 ms saved at 64 KiB)
  const buffer = new Uint8Array(bytes.length);
  for (let i = 0; i < bytes.length; i++) buffer[i] = bytes.charCodeAt(i) & 0xff;
  return utf8.decode(buffer);
}

/** The `recipient keyid` of a data message, or undefined when it does not parse. */
function recipientKeyIdOf(msg: DataMessage): number | undefined {
  try {
    const fields = HLP.splitype(DATA_FIELDS, msg.msg);
    return fields.length === DATA_FIELDS.length ? HLP.readLen(fields[2]!) : undefined;
  } catch {
    return undefined;
  }
}

/**
 * Watch one otr.js instance's data messages (instance-level wrappers around its `prepareMsg`,
 * `sendMsg`, `sendStored`, `handleDataMsg` and `init`, calling the patched prototype's). The
 * returned `session()` counts OTR sessions: a new one starts with every completed AKE (a new
 * `ssid`, set before otr.js reports the success) and with every key reset (`init`).
 */
export function watchKeyIds(instance: RawOtr, watcher: KeyIdWatcher): { session(): number } {
  const otr = instance as unknown as Watched;
  let session = 1;
  let ssid = otr.ssid;
  let seq = 0;
  /** Our key id → sequence number of the first data message that announced it, this session. */
  let firstAnnounced = new Map<number, number>();
  /** What the last prepareMsg call produced, for the sendMsg / sendStored wrappers. */
  let prepared: (Omit<SentKeys, 'text'> & { bytes: string }) | undefined;

  const newSession = () => {
    session++;
    ssid = otr.ssid;
    seq = 0;
    firstAnnounced = new Map();
  };
  const current = () => {
    if (otr.ssid !== ssid) newSession();
    return session;
  };
  const init = otr.init;
  otr.init = function (this: Watched): void {
    init.call(this);
    newSession(); // resetKeyState (fixes.ts): key ids start over
  };

  const prepare: Prepare = otr.prepareMsg;
  otr.prepareMsg = function (this: Watched, msg, esk) {
    const out = prepare.call(this, msg, esk);
    if (out === undefined || out === null) return out;
    current();
    const announced = this.our_keyid;
    const at = ++seq;
    if (!firstAnnounced.has(announced)) firstAnnounced.set(announced, at);
    for (const id of firstAnnounced.keys()) if (id < announced - KEEP_KEY_IDS) firstAnnounced.delete(id);
    prepared = { session, seq: at, announced, bytes: msg };
    return out;
  };
  const report = (meta: unknown) => {
    const keys = prepared;
    prepared = undefined;
    if (keys) watcher.sent(meta, { session: keys.session, seq: keys.seq, announced: keys.announced, text: fromBytes(keys.bytes) });
  };

  const sendMsg = otr.sendMsg;
  otr.sendMsg = function (this: Watched, msg: string, meta?: unknown): void {
    prepared = undefined;
    sendMsg.call(this, msg, meta);
    report(meta);
  };
  // otr.js's sendStored prepares each held message, then hands it to io with its meta, in order.
  const io = otr.io;
  const sendStored = otr.sendStored;
  otr.sendStored = function (this: Watched): void {
    const metas = this.storedMgs.map((m) => m.meta);
    let index = 0;
    this.io = function (msg: string | string[], meta?: unknown): void {
      if (index < metas.length && meta === metas[index]) {
        index++;
        report(meta);
      }
      io.call(this, msg, meta);
    };
    try {
      sendStored.call(this);
    } finally {
      this.io = io;
    }
  };

  const handleData: HandleData = otr.handleDataMsg;
  otr.handleDataMsg = function (this: Watched, msg: DataMessage): string | undefined {
    const recipientKeyId = recipientKeyIdOf(msg);
    current();
    const newest = this.our_keyid;
    const out = handleData.call(this, msg);
    // A string (even empty) comes back only after the MAC verified and the message decrypted.
    if (typeof out === 'string' && recipientKeyId !== undefined) {
      const provenThrough = firstAnnounced.get(recipientKeyId);
      const rotated = recipientKeyId === newest;
      watcher.verified(provenThrough === undefined ? { session, recipientKeyId, rotated } : { session, recipientKeyId, provenThrough, rotated });
    }
    return out;
  };
  return { session: current };
}
