/**
 * Fixes for otr.js 0.2.16 defects, applied at the loader seam
 * (src/protocol/otr/loader.ts). Each fix names the defect it mends and has a
 * regression test in test/protocol/otr-fixes.test.ts; interop with libotr
 * 4.1 is checked by test/interop.
 *
 * The replacements below are our own code, written from the OTR v3 spec
 * (https://otr.cypherpunks.ca/Protocol-v3-4.1.1.html, "Authenticated Key
 * Exchange"). They call otr.js's own helpers (packing, AES-CTR, key
 * derivation, signing) and change only what the defects need.
 */
import type { RawOtr } from 'otr';
import {
  AKE,
  AUTHSTATE_AWAITING_DHKEY,
  AUTHSTATE_AWAITING_REVEALSIG,
  AUTHSTATE_AWAITING_SIG,
  AUTHSTATE_NONE,
  type AkeMessage,
  BI,
  type DhPair,
  HLP,
  MSGSTATE_ENCRYPTED,
  MSG_DH_COMMIT,
  MSG_DH_KEY,
  MSG_REVEAL_SIGNATURE,
  MSG_SIGNATURE,
  OTR,
  P_MINUS_2,
  R_BYTES,
  type RawAkeInternals,
  type RawOtrInternals,
  SMPSTATE_EXPECT1,
  STATUS_AKE_INIT,
  aesCtr,
  randomR,
  sha256,
  stockOtrKey,
} from './internals.js';
import { checkDataMac, instanceTagsOf, sendAkeMessage, withIgnoreUnreadable } from './wire-fixes.js';

/** Each instance's clock (ms), for how long a running AKE is kept ({@link setAkeClock}). */
const clocks = new WeakMap<object, () => number>();

/** Use `now` instead of `Date.now` for `instance`'s AKE patience (the session's clock). */
export function setAkeClock(instance: RawOtr, now: () => number): void {
  clocks.set(instance, now);
}

function clockOf(otr: object): number {
  return (clocks.get(otr) ?? Date.now)();
}

/** DH keys that have been sent in an AKE message; never start another AKE with one. */
const sentInAke = new WeakSet<DhPair>();

/**
 * True when the AKE object still holds the DH key that `init()` made and no
 * AKE has used it yet, so it may open this AKE (saves a modexp). Any other
 * key has been seen by the peer already.
 */
function isPristine(ake: RawAkeInternals): boolean {
  const otr = ake.otr;
  return ake.our_dh === otr.our_old_dh && otr.their_keyid === 0 && !sentInAke.has(ake.our_dh);
}

/**
 * Fix for defect "re-AKE reuses the previous AKE's DH keypair and key id":
 * the AKE object otr.js keeps after a session started still holds that
 * session's DH key (and `_akeInit` hands it the key in current use), so a
 * second AKE in the same instance signs and sends a key the peer has seen
 * already, under a key id otr.js's data messages then contradict. Every AKE
 * now starts from a fresh DH key with key id 1, as libotr does.
 */
function freshAkeKey(ake: RawAkeInternals): void {
  if (!isPristine(ake)) ake.our_dh = ake.otr.dh();
  ake.our_keyid = 1;
}

// ---------------------------------------------------------------------------
// Replacements for AKE steps.

/**
 * Start an AKE: send a D-H Commit message (spec: "AUTHSTATE_NONE ... Choose
 * a random value r (128 bits), x (at least 320 bits) ... send AES_r(g^x),
 * HASH(g^x)").
 *
 * Fix for defect "AKE key r loses leading zeros": otr.js held r as a big
 * integer and rebuilt the AES key from its hex digits, which drops leading
 * zero nibbles (an odd-length or short key), so ~1 AKE in 16 failed against
 * libotr. We keep r as its 16 bytes throughout.
 */
function initiateAKE(this: RawAkeInternals, version: string): void {
  this.otr.trigger('status', [STATUS_AKE_INIT]);
  freshAkeKey(this);
  const gxmpi = HLP.packMPI(this.our_dh.publicKey);
  sentInAke.add(this.our_dh);
  this.r = randomR();
  this.myhashed = HLP.packData(sha256(gxmpi));
  this.dhcommit = HLP.packData(aesCtr(this.r, gxmpi)) + this.myhashed;
  this.otr.authstate = AUTHSTATE_AWAITING_DHKEY;
  // Spec ("Instance Tags"): a D-H Commit may leave the receiver tag 0. Ours
  // always does, so a peer that restarted (new instance tag) can answer it.
  this.peerTag = 0;
  this.startedAt = clockOf(this.otr);
  this.otr_version_sent = version;
  this.akeVersion = version;
  this.sendMsg(version, MSG_DH_COMMIT, this.dhcommit);
}

/**
 * Receive a D-H Key message (spec: in AUTHSTATE_AWAITING_DHKEY reply with a
 * Reveal Signature message and go to AUTHSTATE_AWAITING_SIG; in
 * AUTHSTATE_AWAITING_SIG retransmit it if the g^y is the same, otherwise
 * ignore; in any other state ignore).
 *
 * Fix for defect "r revealed as an MPI": the spec sends r as DATA (always
 * 16 bytes). otr.js packed it as an MPI, which drops leading zero bytes, so
 * ~1 in 256 of its Reveal Signature messages carried a 15-byte key.
 */
function receiveDhKey(this: RawAkeInternals, msg: AkeMessage): void {
  const [gyField = ''] = HLP.splitype(['MPI'], msg.msg);
  const gy = HLP.readMPI(gyField);
  const state = this.otr.authstate;
  if (state === AUTHSTATE_AWAITING_SIG) {
    if (!this.their_y || !BI.equals(this.their_y, gy)) return; // a different D-H Key: ignore
  } else if (state !== AUTHSTATE_AWAITING_DHKEY) {
    return;
  }
  if (!HLP.checkGroup(gy, P_MINUS_2)) return this.otr.error('Illegal g^y.');
  if (this.r === null || this.r.length !== R_BYTES) return; // no commitment of ours to reveal
  this.their_y = gy;
  this.otr.authstate = AUTHSTATE_AWAITING_SIG;
  this.createKeys(gy);
  const reveal = HLP.packData(this.r) + this.makeM(gy, this.m1!, this.c!, this.m2!);
  this.m1 = this.m2 = this.c = null;
  this.sendMsg(msg.version, MSG_REVEAL_SIGNATURE, reveal);
}

/**
 * Receive a Reveal Signature message (spec: only in
 * AUTHSTATE_AWAITING_REVEALSIG; use r to decrypt g^x from the D-H Commit,
 * check its hash, check the signature, reply with a Signature message and go
 * encrypted).
 *
 * Fix for defect "AKE key r loses leading zeros" (receiving side): r is DATA;
 * otr.js read it as a number and rebuilt the key from hex digits, so when
 * libotr's r began with a zero nibble it reported "Hashed g^x does not
 * match." We use the 16 bytes as sent.
 */
function receiveRevealSignature(this: RawAkeInternals, msg: AkeMessage): void {
  if (this.otr.authstate !== AUTHSTATE_AWAITING_REVEALSIG) return;
  const [rField = '', sigField = '', mac = ''] = HLP.splitype(['DATA', 'DATA', 'MAC'], msg.msg);
  const r = rField.slice(4);
  if (r.length === 0 || r.length > R_BYTES || this.encrypted === null || this.hashed === null) {
    return failedStep(this, 'Malformed Reveal Signature message.');
  }
  // Fix for defect "stock otr.js's short r is refused": stock otr.js 0.2.16
  // sends r as an MPI (leading zero bytes dropped) and encrypted its D-H
  // Commit under a key rebuilt from r's hex digits (see stockOtrKey). We try
  // the spec's key first, then stock otr.js's; the hash of g^x decides which
  // one the peer used, so accepting both weakens nothing.
  const keys = r.length === R_BYTES ? [r, stockOtrKey(r)] : [stockOtrKey(r)];
  let gxmpi: string | undefined;
  for (const key of keys) {
    const candidate = aesCtr(key, this.encrypted);
    if (HLP.compare(sha256(candidate), this.hashed)) {
      gxmpi = candidate;
      break;
    }
  }
  if (gxmpi === undefined) return failedStep(this, 'Hashed g^x does not match.');
  const gx = HLP.readMPI(gxmpi);
  if (!HLP.checkGroup(gx, P_MINUS_2)) return failedStep(this, 'Illegal g^x.');

  this.r = r;
  this.their_y = gx;
  this.createKeys(gx);
  const [problem, keyid, theirKey] = this.verifySignMac(
    mac,
    sigField,
    this.m2!,
    this.c!,
    gx,
    this.our_dh.publicKey,
    this.m1!,
    HLP.packCtr(0),
  );
  if (problem) return failedStep(this, problem);
  this.their_keyid = keyid!;
  this.their_priv_pk = theirKey;

  const signature = this.makeM(gx, this.m1_prime!, this.c_prime!, this.m2_prime!);
  this.c = this.c_prime = this.m1 = this.m2 = this.m1_prime = this.m2_prime = null;
  this.sendMsg(msg.version, MSG_SIGNATURE, signature);
  this.akeSuccess(msg.version);
}

/**
 * An AKE message that should have taken this AKE a step further failed its check. As the spec says
 * ("Otherwise, ignore the message"), the AKE stays where it is, so the real message can still
 * complete it; but it no longer holds off a new one (AKE_PATIENCE_MS): the fuzz tier found AKEs,
 * derailed by stale or forged messages, that blocked every recovery for 10 s.
 */
function failedStep(ake: RawAkeInternals, reason: string): void {
  releasePatience(ake);
  ake.otr.error(reason);
}

/**
 * The running AKE keeps its state, but no longer holds off a new one (see `akeRunning`): a query or
 * a recovery may start over at once.
 */
function releasePatience(ake: RawAkeInternals | undefined): void {
  if (ake) ake.startedAt = undefined;
}

/**
 * Whether an AKE message of its protocol version may go on in this AKE. One AKE runs in one
 * version: the fuzz tier found v2 and v3 messages of different AKEs (a query of each version, both
 * answered) mixed into one, which completed on one side only, or in a version the other side was
 * not in. A D-H Commit of another version means the peer started over in that version: ours is
 * forgotten and theirs answered, as for a D-H Commit in AUTHSTATE_NONE. Any other message of
 * another version is ignored.
 */
function acceptAkeVersion(ake: RawAkeInternals, msg: AkeMessage): boolean {
  if (ake.otr.authstate === AUTHSTATE_NONE || ake.akeVersion === undefined || msg.version === ake.akeVersion) return true;
  if (msg.type !== MSG_DH_COMMIT) return false;
  ake.otr.authstate = AUTHSTATE_NONE;
  return true;
}

/**
 * Whether an AKE message from its sender instance may go on in this AKE
 * (spec, "Instance Tags" and "Authenticated Key Exchange"). A D-H Commit from
 * any instance starts an AKE with that instance; a D-H Key may answer our
 * open D-H Commit from any instance; every other AKE message must come from
 * the instance this AKE runs with (or, before one started, the conversation's).
 */
function acceptAkeSender(ake: RawAkeInternals, msg: AkeMessage): boolean {
  if (msg.version !== '\x00\x03' || msg.instance_tags === undefined) return true;
  const { sender } = instanceTagsOf(msg.instance_tags);
  const awaitingKey = ake.otr.authstate === AUTHSTATE_AWAITING_DHKEY;
  if (msg.type === MSG_DH_COMMIT || (msg.type === MSG_DH_KEY && awaitingKey && ake.peerTag === 0)) {
    ake.peerTag = sender;
    return true;
  }
  const expected = ake.peerTag ?? HLP.readLen(ake.otr.their_instance_tag);
  return expected === 0 || sender === expected;
}

/**
 * Let the next query start a new AKE even though one is running (see
 * `doAKE` above): for when the peer reported an error, so its side of the
 * running AKE has most likely failed.
 */
export function releaseRunningAke(instance: RawOtr): void {
  releasePatience((instance as unknown as RawOtrInternals).ake);
}

/**
 * Start a new AKE ourselves (send a D-H Commit) during a private
 * conversation whose messages we cannot read, unless an AKE is running.
 * While private, an unreadable data message means the two sides' keys
 * diverged (e.g. one side completed an AKE the other dropped); a fresh AKE
 * brings them together again. A forgery can trigger it too: the forged
 * message itself changes no key or counter (see handleDataMsg), and costs at
 * most a new AKE that completes (`allow` rate-limits).
 * Returns whether an AKE was started.
 */
export function restartAkeAfterUnreadable(instance: RawOtr, allow: () => boolean): boolean {
  const otr = instance as unknown as RawOtrInternals;
  if (otr.msgstate !== MSGSTATE_ENCRYPTED || akeRunning(otr)) return false;
  const version = otr.ake.otr_version;
  if ((version !== '\x00\x02' && version !== '\x00\x03') || !allow()) return false;
  otr.ake.initiateAKE(version);
  return true;
}

/** How long a running AKE is kept against queries before a query may start over. */
export const AKE_PATIENCE_MS = 10_000;

function akeRunning(otr: RawOtrInternals): boolean {
  const started = otr.ake?.startedAt;
  return otr.authstate !== AUTHSTATE_NONE && started !== undefined && clockOf(otr) - started < AKE_PATIENCE_MS;
}

let moduleFixesApplied = false;

/**
 * Patch otr.js's AKE prototype (once per module instance). Called by
 * {@link installOtrPatches} (install.ts), never at import.
 */
export function applyModuleFixes(): void {
  if (moduleFixesApplied) return;
  moduleFixesApplied = true;
  const proto = AKE.prototype;
  const originalHandle = proto.handleAKE;
  const originalSuccess = proto.akeSuccess;

  proto.initiateAKE = initiateAKE;

  proto.handleAKE = function handleAKE(this: RawAkeInternals, msg: AkeMessage): void {
    if (!acceptAkeSender(this, msg)) {
      return this.otr.notify('Received a message intended for a different session.', 'warn');
    }
    if (!acceptAkeVersion(this, msg)) return;
    switch (msg.type) {
      case MSG_DH_KEY:
        return receiveDhKey.call(this, msg);
      case MSG_REVEAL_SIGNATURE:
        return receiveRevealSignature.call(this, msg);
      case MSG_DH_COMMIT:
        // A new AKE started by the peer: answer with a fresh DH key (see freshAkeKey).
        // In the other states otr.js's own handling follows the spec.
        if (this.otr.authstate === AUTHSTATE_NONE) {
          freshAkeKey(this);
          sentInAke.add(this.our_dh);
          this.startedAt = clockOf(this.otr);
          this.akeVersion = msg.version;
        }
        return originalHandle.call(this, msg);
      case MSG_SIGNATURE: {
        const awaiting = this.otr.authstate === AUTHSTATE_AWAITING_SIG;
        originalHandle.call(this, msg);
        // Still awaiting it: the Signature message failed its check (see failedStep).
        if (awaiting && this.otr.authstate === AUTHSTATE_AWAITING_SIG) releasePatience(this);
        return;
      }
      default:
        return originalHandle.call(this, msg);
    }
  };

  /**
   * Fix for defects "re-AKE keeps stale key ids" and "SMP keeps the old
   * session's ssid": otr.js's akeSuccess adopted the AKE's DH key as our
   * old key without setting our key id to match, kept the next key already
   * announced in the old session, rebuilt the session keys only when the
   * peer's key id changed, and left any SMP state bound to the old ssid
   * (which then silently drops every SMP message). As libotr does, the AKE
   * key (id k) becomes our old key, a fresh one (id k+1) our next key, the
   * session keys are built from the AKE's keys, and SMP starts over.
   */
  proto.akeSuccess = function akeSuccess(this: RawAkeInternals, version: string): void {
    const otr = this.otr;
    if (this.their_y && BI.equals(this.their_y, this.our_dh.publicKey)) return originalSuccess.call(this, version); // reflected: otr.js reports it
    if (otr.our_old_dh !== this.our_dh) otr.our_dh = otr.dh();
    otr.our_keyid = this.our_keyid + 1;
    // Forget the previous session's view of the peer, so otr.js rebuilds the session keys.
    otr.their_keyid = 0;
    otr.their_y = null;
    otr.their_old_y = null;
    if (otr.sm) {
      const running = otr.sm.smpstate !== SMPSTATE_EXPECT1;
      otr.sm = null;
      if (running) otr.trigger('smp', ['abort']);
    }
    // The AKE's peer instance is now the conversation's (see acceptAkeSender).
    if (this.peerTag) otr.their_instance_tag = HLP.packINT(this.peerTag);
    originalSuccess.call(this, version);
  };

  /** AKE messages go to the AKE's own peer instance (see acceptAkeSender). */
  proto.sendMsg = function sendMsg(this: RawAkeInternals, version: string, type: string, msg: string): void {
    sendAkeMessage(this, version, type, msg);
  };

  /**
   * Fix for defect "instance tags adopted from unauthenticated messages":
   * otr.js took the peer's instance tag from the first v3 message of any kind
   * (a forged data message included) and then ignored every other instance,
   * so a restarted peer was shut out. Here only the receiver tag and the
   * tags' range are checked; the sender is checked per message kind: AKE
   * messages by acceptAkeSender, data messages against the conversation's
   * peer instance (below). The peer's tag changes only when an AKE completes.
   */
  OTR.prototype.checkInstanceTags = function checkInstanceTags(this: RawOtrInternals, tags: string): boolean {
    const { sender, receiver } = instanceTagsOf(tags);
    if (receiver !== 0 && receiver !== HLP.readLen(this.our_instance_tag)) return true;
    return sender < 0x100;
  };

  /**
   * Fix for defect "the receive counter is stored before the MAC is checked":
   * otr.js stored a data message's counter, then checked its MAC, so one
   * forged message made every later real one "Counter in message is not
   * larger." As libotr does (and the spec's "Receiving a Data Message":
   * verify, then use), nothing changes unless the MAC is right.
   */
  const originalHandleData = OTR.prototype.handleDataMsg;
  OTR.prototype.handleDataMsg = function handleDataMsg(this: RawOtrInternals, msg): string | undefined {
    const tags = msg.instance_tags;
    if (msg.version === '\x00\x03' && tags !== undefined) {
      const known = HLP.readLen(this.their_instance_tag);
      // Knowing no peer instance yet (a fresh session, e.g. after a reload), the message is simply
      // unreadable: otr.js reports it and replies with an error (spec, "Receiving a Data Message" in
      // MSGSTATE_PLAINTEXT; libotr does the same), so the sender learns it must re-send.
      if (known !== 0 && known !== instanceTagsOf(tags).sender) {
        this.notify('Received a message intended for a different session.', 'warn');
        return undefined;
      }
    }
    const verdict = checkDataMac(this, msg);
    if (verdict === 'forged') return undefined;
    if (verdict === 'repeated') {
      // Read before: nothing to show and nothing to recover, so no error reply (which would make
      // the peer re-send); a replay changes nothing either.
      this.notify('Received a message that was already read; it was ignored.', 'warn');
      return undefined;
    }
    return originalHandleData.call(this, msg);
  };

  /**
   * Fix for defect "end and SMP messages lack IGNORE_UNREADABLE": libotr sets
   * the flag on messages without text for the user (the disconnect TLV, SMP),
   * so a peer that has already ended does not report them as unreadable.
   */
  const originalPrepare = OTR.prototype.prepareMsg;
  OTR.prototype.prepareMsg = function prepareMsg(this: RawOtrInternals, msg: string, esk?: unknown) {
    if (typeof msg !== 'string' || msg.charCodeAt(0) !== 0) return originalPrepare.call(this, msg, esk);
    return withIgnoreUnreadable(this, () => originalPrepare.call(this, msg, esk));
  };

  /**
   * Fix for defect "queries abandon a running AKE": every query (and every
   * whitespace tag, with auto-start on) made otr.js drop the AKE in progress
   * and start another. Unauthenticated junk could so make one side drop an
   * AKE the other side had just completed: the completing side moved to new
   * keys, the other stayed on the old ones, and nothing decrypted either way.
   * While an AKE is running (for up to AKE_PATIENCE_MS), a query instead
   * retransmits our D-H Commit if that is where we are, and is otherwise
   * ignored: the running AKE answers it.
   */
  const originalDoAke = OTR.prototype.doAKE;
  OTR.prototype.doAKE = function doAKE(this: RawOtrInternals, msg: { ver: string[] }): void {
    if (!akeRunning(this)) return originalDoAke.call(this, msg);
    const ake = this.ake;
    if (this.authstate === AUTHSTATE_AWAITING_DHKEY && ake.dhcommit && ake.otr_version_sent) {
      ake.sendMsg(ake.otr_version_sent, MSG_DH_COMMIT, ake.dhcommit);
    }
  };

  const originalAkeInit = OTR.prototype._akeInit;
  /**
   * Fix for defect "a refresh forgets the protocol version": when a query
   * arrives during a private conversation, otr.js replaces its AKE object,
   * and with it the negotiated version its data messages are built and
   * checked with. Until the new AKE completes, every message we sent was
   * garbage ("?OTR:dW5kZWZpbmVk…", libotr: unrecognized) and every v3
   * message we received failed its MAC check. The running session keeps
   * its version until the new AKE replaces it.
   *
   * Fix for defect "a query without a usable version wipes the AKE": otr.js
   * replaced the AKE object before it looked at the query's versions, so
   * `?OTRv4?` (or any query arriving mid-AKE) left the running AKE with no
   * key r while its state still awaited a D-H Key, and the peer's answer was
   * then dropped. During a private conversation the AKE object is kept: a
   * new AKE (initiateAKE, or a D-H Commit in AUTHSTATE_NONE) draws fresh
   * keys itself (freshAkeKey), and doAKE above decides whether one starts.
   */
  OTR.prototype._akeInit = function _akeInit(this: RawOtrInternals & { _akeInit(): void }): void {
    if (this.msgstate === MSGSTATE_ENCRYPTED && this.ake) return;
    originalAkeInit.call(this);
  };
}


/** Applied by the loader to every new otr.js instance. */
export function applyInstanceFixes(instance: RawOtr): void {
  void instance;
}

/**
 * Fix for otr.js defect "re-AKE after an end reuses stale state": once a
 * private conversation ends (either side), otr.js keeps the old DH keypairs,
 * key ids, session keys and SMP state. The next AKE then reuses the first
 * AKE's DH key (a forward-secrecy flaw) and sends data messages with key ids
 * libotr does not expect. We rebuild all of it as for a fresh instance,
 * keeping the message state, the policy flags and any held messages.
 */
export function resetKeyState(instance: RawOtr): void {
  const kept = {
    msgstate: instance.msgstate,
    ALLOW_V2: instance.ALLOW_V2,
    ALLOW_V3: instance.ALLOW_V3,
    REQUIRE_ENCRYPTION: instance.REQUIRE_ENCRYPTION,
    SEND_WHITESPACE_TAG: instance.SEND_WHITESPACE_TAG,
    WHITESPACE_START_AKE: instance.WHITESPACE_START_AKE,
    ERROR_START_AKE: instance.ERROR_START_AKE,
    storedMgs: instance.storedMgs,
  };
  instance.init();
  Object.assign(instance, kept);
}
