/**
 * Scenario steps shared by the libotr interop tests: one of our
 * `OtrSession`s wired to one libotr peer process.
 */
import { expect } from 'vitest';

import { OtrSession, formatFingerprint, smpVerifiesPeer, type IdentityKey } from '../../src/protocol/index.js';
import { KeyDir, LibotrPeer, link, otrHeader, waitFor, type LibotrSmp, type Link } from './libotr-peer.js';

export type Side = 'us' | 'libotr';

/** One of our sessions and a libotr peer, wired together. */
export class Pair {
  private constructor(
    readonly session: OtrSession,
    readonly peer: LibotrPeer,
    readonly link: Link,
  ) {}

  static async open(
    key: IdentityKey,
    keys: KeyDir,
    options: { fragmentSize?: number; maxMessageSize?: number; policy?: number } = {},
  ): Promise<Pair> {
    const peer = await LibotrPeer.start(keys);
    if (options.maxMessageSize) await peer.setMaxMessageSize(options.maxMessageSize);
    if (options.policy !== undefined) await peer.setPolicy(options.policy);
    const session = new OtrSession({ key, fragmentSize: options.fragmentSize ?? 0 });
    return new Pair(session, peer, link(session, peer));
  }

  wait(check: () => boolean, what: string, ms = 20_000): Promise<void> {
    return waitFor(check, what, ms, this.peer, () => this.link.diag());
  }

  /** libotr's count of completed AKEs (new or refreshed sessions). */
  private akes(): number {
    return this.peer.count('secure') + this.peer.count('still-secure');
  }

  /**
   * Run an AKE started by `by` (its side sends the query) and wait until both
   * sides are encrypted. Works for a first AKE, after an end, and as a refresh.
   */
  async ake(by: Side): Promise<void> {
    const before = this.akes();
    const signatures = this.link.signatures;
    if (by === 'us') this.session.startPrivate();
    else await this.peer.query();
    // Our side is done once the Signature message (the last of the AKE) has
    // passed through it; in a refresh, our state stays 'encrypted' throughout.
    await this.wait(
      () => this.session.state === 'encrypted' && this.akes() > before && this.link.signatures > signatures,
      `AKE started by ${by}`,
    );
    // libotr is told last when it answers; one message each way proves both sides agree.
    await this.roundTrip(`after AKE by ${by}`, `libotr after AKE by ${by}`);
  }

  /** Send one message each way and check both arrive, encrypted. */
  async roundTrip(ours: string, theirs: string): Promise<void> {
    await this.sendFromUs(ours);
    await this.sendFromLibotr(theirs);
  }

  async sendFromUs(text: string): Promise<void> {
    const n = this.peer.received.length;
    this.session.send(text);
    await this.wait(() => this.peer.received.length > n, `libotr to receive ${describe(text)}`);
    expect(this.peer.received.slice(n)).toEqual([{ text, encrypted: true }]);
  }

  async sendFromLibotr(text: string): Promise<void> {
    const n = this.link.ourMessages.length;
    await this.peer.send(text);
    await this.wait(() => this.link.ourMessages.length > n, `us to receive ${describe(text)}`);
    expect(this.link.ourMessages.slice(n)).toEqual([{ text, encrypted: true }]);
  }

  /** End the private conversation from `by`'s side and wait until the other side knows. */
  async end(by: Side): Promise<void> {
    if (by === 'us') {
      const ended = this.peer.count('ended');
      await this.session.endPrivate();
      expect(this.session.state).toBe('plaintext');
      await this.wait(() => this.peer.count('ended') > ended, 'libotr to see the end');
      expect((await this.peer.tags()).msgstate).toBe(2); // OTRL_MSGSTATE_FINISHED
    } else {
      await this.peer.end();
      await this.wait(() => this.session.state === 'finished', 'us to see the end');
    }
  }

  /**
   * Run SMP started by `by` with the given secrets (and question); check
   * both sides report the same outcome, and return it.
   */
  async smp(by: Side, secrets: { asker: string; answerer: string }, question?: string): Promise<boolean> {
    const ourBefore = this.link.ourSmp.length;
    const theirBefore = this.peer.smpResults().length;
    const ourResult = () => this.link.ourSmp.slice(ourBefore).find((e) => e.type === 'result' || e.type === 'aborted');
    if (by === 'us') {
      const asks = this.peer.count('smp', 'ask-secret') + this.peer.count('smp', 'ask-answer');
      this.session.smpStart(secrets.asker, question);
      await this.wait(
        () => this.peer.count('smp', 'ask-secret') + this.peer.count('smp', 'ask-answer') > asks,
        'libotr to be asked for the SMP secret',
      );
      expect(this.peer.lastSmpQuestion()).toBe(question ?? '');
      await this.peer.smpRespond(secrets.answerer);
    } else {
      await this.peer.smpStart(secrets.asker, question);
      await this.wait(() => this.link.ourSmp.slice(ourBefore).some((e) => e.type === 'question'), 'us to be asked for the SMP secret');
      const asked = this.link.ourSmp.slice(ourBefore).find((e) => e.type === 'question');
      expect(asked).toEqual({ type: 'question', question: question ?? '', withQuestion: question !== undefined });
      this.session.smpAnswer(secrets.answerer);
    }
    await this.wait(() => ourResult() !== undefined && this.peer.smpResults().length > theirBefore, 'both SMP results', 60_000);
    const ours = ourResult()!;
    const theirs: LibotrSmp = this.peer.smpResults()[theirBefore]!;
    expect(ours.type).toBe('result');
    const success = ours.type === 'result' && ours.success;
    expect(theirs).toBe(success ? 'success' : 'failure');
    if (ours.type === 'result') expect(ours.role).toBe(by === 'us' ? 'asked' : 'answered');
    if (success && ours.type === 'result') {
      // Trust agrees with libotr's in each mode: with a question only the asker trusts; without, both.
      const weTrust = by === 'us' || question === undefined;
      const theyTrust = by === 'libotr' || question === undefined;
      expect(smpVerifiesPeer(ours)).toBe(weTrust);
      expect(this.peer.lastSmpTrust()).toBe(theyTrust ? 'smp' : '-');
    }
    return success;
  }

  /** Both sides see each other's fingerprints as the owners report them. */
  async checkFingerprints(): Promise<void> {
    const fps = await this.peer.fingerprints();
    expect(fps.ours).toBe(this.peer.fingerprint);
    expect(this.session.theirFingerprint).toBe(formatFingerprint(this.peer.fingerprint));
    expect(fps.theirs && formatFingerprint(fps.theirs)).toBe(this.session.ourFingerprint);
  }

  /** Protocol v3 with the right instance tags, on both sides and on the wire. */
  async checkInstanceTags(): Promise<void> {
    expect(this.session.protocolVersion).toBe(3);
    const tags = await this.peer.tags();
    expect(tags).toMatchObject({ ours: this.peer.instanceTag, theirs: this.session.instanceTag, version: 3, msgstate: 1 });
    const ours = this.link.ourWire.map(otrHeader).filter((h) => h !== undefined);
    const theirs = this.peer.wireOut.map(otrHeader).filter((h) => h !== undefined);
    expect(ours.length).toBeGreaterThan(0);
    expect(theirs.length).toBeGreaterThan(0);
    for (const h of ours) {
      expect(h.version).toBe(3);
      expect(h.sender).toBe(this.session.instanceTag);
      // Only a D-H Commit answering a query may leave the receiver open.
      expect(h.receiver === this.peer.instanceTag || (h.type === 0x02 && h.receiver === 0)).toBe(true);
    }
    for (const h of theirs) {
      expect(h.version).toBe(3);
      expect(h.sender).toBe(this.peer.instanceTag);
      expect(h.receiver === this.session.instanceTag || (h.type === 0x02 && h.receiver === 0)).toBe(true);
    }
  }

  /** Neither side reported a problem. */
  expectClean(): void {
    expect(this.link.ourErrors).toEqual([]);
    expect(this.peer.problems).toEqual([]);
  }

  async close(): Promise<void> {
    this.link.unlink();
    await this.peer.close();
  }
}

function describe(text: string): string {
  return text.length > 40 ? `${JSON.stringify(text.slice(0, 20))}… (${text.length} chars)` : JSON.stringify(text);
}

/** Messages for the 20-message exchange: emoji, RTL, CJK, combining marks and one of 5,000 characters. */
export const MESSAGES = [
  'Hello 👋',
  'مرحبا، كيف حالك؟',
  '你好，世界',
  'שלום עולם',
  '👨‍👩‍👧‍👦 family, 🏳️‍🌈 flag, 🇩🇪 regional indicators',
  'こんにちは、元気ですか？',
  'mixed: English עברית العربية 中文',
  'Zalgo: Z̷͎̈a̸̰͝l̵̗̿g̶̙̈́o̴̧͐',
  '안녕하세요',
  'x'.repeat(10) + '🙂'.repeat(10),
  'ascii <b>not html</b> & "quotes" \\ backslash',
  'Ελληνικά και Русский',
  'tab\tand\nnewline',
  '𝔘𝔫𝔦𝔠𝔬𝔡𝔢 astral 𠜎𠜱𠝹',
  'فارسی: سلام دنیا',
  '🔐'.repeat(50),
  'trailing space ',
  'ok',
  // 5,000 characters mixing scripts (counted in UTF-16 code units).
  ('Lorem ipsum 漢字 עברית 🙂 ').repeat(250).slice(0, 5000),
  'last one ✅',
];
