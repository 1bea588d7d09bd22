/**
 * Helpers for the otr.js fixes (src/protocol/otr/fixes.ts) that concern
 * data messages and instance tags. Written from the OTR v3 spec
 * (https://otr.cypherpunks.ca/Protocol-v3-4.1.1.html, "Data Message",
 * "Instance Tags"); they call otr.js's own packing and MAC helpers.
 */
import { HLP, MSGSTATE_ENCRYPTED, type DataMessage, type RawAkeInternals, type RawOtrInternals } from './internals.js';

const V3 = '\x00\x03';
const DATA_FIELDS = ['BYTE', 'INT', 'INT', 'MPI', 'CTR', 'DATA', 'MAC', 'DATA'];
/** Data message flag (spec): the receiver should not report this message if it cannot read it. */
const IGNORE_UNREADABLE = '\x01';

/** Sender and receiver of a v3 message's 8 bytes of instance tags. */
export function instanceTagsOf(tags: string): { sender: number; receiver: number } {
  return { sender: HLP.readLen(tags.slice(0, 4)), receiver: HLP.readLen(tags.slice(4, 8)) };
}

/**
 * Check a data message's MAC the way otr.js's `handleDataMsg` will, without
 * changing any state. Returns 'forged' when the MAC is wrong (after reporting
 * it as otr.js does, unless the message asks to be ignored); 'repeated' for an
 * authentic message whose counter is not larger than the last one read (spec,
 * "Receiving a Data Message": the counter must increase), i.e. one already
 * read: a store-and-forward transport delivering it twice, or a replay; 'pass'
 * otherwise: then otr.js's own handling runs, and any other failure it finds
 * comes before it changes state.
 */
export function checkDataMac(otr: RawOtrInternals, msg: DataMessage): 'forged' | 'repeated' | 'pass' {
  let fields: string[];
  try {
    fields = HLP.splitype(DATA_FIELDS, msg.msg);
  } catch {
    return 'pass';
  }
  if (otr.msgstate !== MSGSTATE_ENCRYPTED || fields.length !== 8) return 'pass';
  const ourKeyid = otr.our_keyid - HLP.readLen(fields[2]!);
  const theirKeyid = otr.their_keyid - HLP.readLen(fields[1]!);
  if (ourKeyid < 0 || ourKeyid > 1 || theirKeyid < 0 || theirKeyid > 1) return 'pass';
  if (theirKeyid === 1 && !otr.their_old_y) return 'pass';
  const keys = otr.sessKeys[ourKeyid]?.[theirKeyid];
  if (!keys) return 'pass';
  let authenticated = msg.version + msg.type;
  if (otr.ake.otr_version === V3) authenticated += msg.instance_tags ?? '';
  authenticated += fields.slice(0, 6).join('');
  if (HLP.compare(fields[6]!, HLP.make1Mac(authenticated, keys.rcvmac))) return HLP.unpackCtr(fields[4]!) <= keys.rcv_counter ? 'repeated' : 'pass';
  if (fields[0] !== IGNORE_UNREADABLE) otr.error('MACs do not match.');
  return 'forged';
}

/**
 * Send one AKE message (otr.js's `AKE.sendMsg`), addressed to the AKE's own
 * peer instance when it has one (see `peerTag`), else to the conversation's.
 */
export function sendAkeMessage(ake: RawAkeInternals, version: string, type: string, body: string): void {
  const otr = ake.otr;
  const v3 = version === V3;
  const theirTag = ake.peerTag === undefined ? otr.their_instance_tag : HLP.packINT(ake.peerTag);
  const message = version + type + (v3 ? otr.our_instance_tag + theirTag : '') + body;
  const [problem, wrapped] = HLP.wrapMsg(message, otr.fragment_size, v3, otr.our_instance_tag, theirTag);
  if (problem) return otr.error(problem);
  otr.io(wrapped);
}

/**
 * Run `build` (otr.js's `prepareMsg`) so that the data message it builds has
 * the IGNORE_UNREADABLE flag set. otr.js writes a zero flag byte inline; for
 * the duration of the call the two helpers that see the packed message (the
 * MAC and the base64 wrapper) get it with the flag byte set, so the MAC covers
 * the flag that is sent.
 */
export function withIgnoreUnreadable<T>(otr: RawOtrInternals, build: () => T): T {
  const flagAt = otr.ake.otr_version === V3 ? 3 + 8 : 3;
  const withFlag = (packed: string) =>
    typeof packed === 'string' && packed.charCodeAt(2) === 0x03 && packed.length > flagAt
      ? packed.slice(0, flagAt) + IGNORE_UNREADABLE + packed.slice(flagAt + 1)
      : packed;
  const { make1Mac, wrapMsg } = HLP;
  HLP.make1Mac = (data, key) => make1Mac(withFlag(data), key);
  HLP.wrapMsg = (data, ...rest) => wrapMsg(withFlag(data), ...rest);
  try {
    return build();
  } finally {
    HLP.make1Mac = make1Mac;
    HLP.wrapMsg = wrapMsg;
  }
}
