/**
 * AKEs that converge: concurrent AKEs from both sides, a restarted peer (new
 * instance tag), and a failed AKE followed by a good one.
 */
import { beforeAll, describe, expect, it } from 'vitest';

import { IdentityKey, OtrSession } from '../../src/protocol/index.js';
import { OtrMessage, Wire, tick } from '../helpers/spec-wire.js';

let alice: IdentityKey;
let bob: IdentityKey;
beforeAll(() => {
  alice = IdentityKey.generate();
  bob = IdentityKey.generate();
});

/** Bob wired to whichever Alice is current; everything each side sent is kept. */
class Switchboard {
  readonly toBob: string[] = [];
  readonly toAlice: string[] = [];
  readonly fromBob: string[] = [];
  readonly got: string[] = [];
  readonly errors: string[] = [];
  alice!: OtrSession;
  constructor(readonly bob: OtrSession) {
    bob.on('wire', ({ text }) => (this.toAlice.push(text), this.fromBob.push(text)));
    bob.on('message', (m) => this.got.push(`bob: ${m.text}`));
    bob.on('error', ({ error }) => this.errors.push(`bob: ${error.message}`));
  }
  connect(alice: OtrSession): void {
    this.alice = alice;
    this.toAlice.length = 0;
    alice.on('wire', ({ text }) => this.alice === alice && this.toBob.push(text));
    alice.on('message', (m) => this.got.push(`alice: ${m.text}`));
    alice.on('error', ({ error }) => this.errors.push(`alice: ${error.message}`));
  }
  async flush(): Promise<void> {
    for (let quiet = 0; quiet < 3; ) {
      await tick();
      let moved = false;
      for (let t; (t = this.toBob.shift()) !== undefined; moved = true) this.bob.receive(t);
      for (let t; (t = this.toAlice.shift()) !== undefined; moved = true) this.alice.receive(t);
      quiet = moved ? 0 : quiet + 1;
    }
  }
  async roundTrip(tag: string): Promise<void> {
    this.alice.send(`${tag} from alice`);
    await this.flush();
    this.bob.send(`${tag} from bob`);
    await this.flush();
    expect(this.got.slice(-2)).toEqual([`bob: ${tag} from alice`, `alice: ${tag} from bob`]);
  }
}

describe('concurrent AKEs from both sides converge', () => {
  it('both sides start at once, first AKE and refreshes', async () => {
    const wire = new Wire(new OtrSession({ key: alice }), new OtrSession({ key: bob }));
    for (let round = 0; round < 5; round++) {
      wire.a.startPrivate();
      wire.b.startPrivate();
      await wire.flush();
      expect(wire.errors).toEqual([]);
      expect([wire.a.state, wire.b.state]).toEqual(['encrypted', 'encrypted']);
      await wire.chat(1, `round ${round}`);
    }
  });

  it('both sides auto-private: tagged messages crossing start two AKEs that converge', async () => {
    const a = new OtrSession({ key: alice });
    const b = new OtrSession({ key: bob });
    a.autoPrivate = true;
    b.autoPrivate = true;
    const wire = new Wire(a, b);
    a.send('hi (tagged)');
    b.send('hi back (tagged)');
    await wire.flush();
    expect([a.state, b.state]).toEqual(['encrypted', 'encrypted']);
    expect(wire.errors.filter((e) => !/unencrypted/.test(e))).toEqual([]);
    await wire.chat(2, 'converged');
  });
});

describe('a restarted peer (new instance tag) gets a fresh session', () => {
  it('its query is answered with a D-H Commit open to any instance, and the AKE completes', async () => {
    const board = new Switchboard(new OtrSession({ key: bob }));
    const first = new OtrSession({ key: alice });
    board.connect(first);
    first.startPrivate();
    await board.flush();
    await board.roundTrip('first');

    const restarted = new OtrSession({ key: alice });
    expect(restarted.instanceTag).not.toBe(first.instanceTag);
    board.connect(restarted);
    const sent = board.fromBob.length;
    restarted.startPrivate();
    await board.flush();
    const commits = board.fromBob.slice(sent).map((w) => OtrMessage.parse(w)).filter((m) => m?.type === 0x02);
    expect(commits.map((m) => m!.receiver)).toEqual([0]); // never the old tag
    expect([restarted.state, board.bob.state]).toEqual(['encrypted', 'encrypted']);
    await board.roundTrip('restarted');
    const later = board.fromBob.slice(-1).map((w) => OtrMessage.parse(w)!);
    expect(later[0]!.receiver).toBe(restarted.instanceTag);
  });

  it("its D-H Commit is accepted while we are private with its old instance", async () => {
    const board = new Switchboard(new OtrSession({ key: bob }));
    const first = new OtrSession({ key: alice });
    board.connect(first);
    first.startPrivate();
    await board.flush();
    const restarted = new OtrSession({ key: alice });
    board.connect(restarted);
    board.bob.startPrivate(); // bob's query; the restarted alice sends the D-H Commit
    await board.flush();
    expect([restarted.state, board.bob.state]).toEqual(['encrypted', 'encrypted']);
    await board.roundTrip('after commit from new instance');
  });

  it('a forged data message from an unknown instance changes nothing', async () => {
    const wire = new Wire(new OtrSession({ key: alice }), new OtrSession({ key: bob }));
    await wire.ake();
    wire.a.send('real');
    await tick();
    const [real] = wire.toB.splice(0);
    const body = Buffer.from(real!.slice(5, -1), 'base64');
    body.writeUInt32BE(0x0badf00d, 3); // another sender instance
    wire.b.receive(`?OTR:${body.toString('base64')}.`);
    wire.b.receive(real!);
    expect(wire.got.b).toEqual(['real']);
    expect(wire.errors).toEqual(['b: Received a message intended for a different session.']); // a warning
    wire.errors.length = 0;
    await wire.chat(1, 'after');
  });
});

describe('a refresh started by a query completes', () => {
  it('a query without a usable version (?OTRv4?) arriving mid-AKE does not wipe it', async () => {
    const wire = new Wire(new OtrSession({ key: alice }), new OtrSession({ key: bob }));
    await wire.ake();
    const sent = wire.sentByB.length;
    const sentByA = wire.sentByA.length;
    wire.b.receive('?OTRv3?'); // bob starts a refresh: D-H Commit
    wire.b.receive('?OTR Error:x'); // releases the running AKE for the next query
    wire.b.receive('?OTRv4?'); // no usable version: must change nothing
    await wire.flush();
    const types = wire.sentByB.slice(sent).map((w) => OtrMessage.parse(w)?.type);
    expect(types).toContain(0x02);
    expect(types).toContain(0x11); // bob answered alice's D-H Key: the refresh went on
    expect(wire.sentByA.slice(sentByA).map((w) => OtrMessage.parse(w)?.type).filter((t) => t === 0x12)).toHaveLength(1); // alice's Signature
    wire.errors.length = 0;
    await wire.chat(1, 'after the refresh');
  });
});

describe('a failed AKE leaves nothing that blocks the next one', () => {
  it('a corrupted Reveal Signature fails the AKE; the next AKE completes, also with a restarted peer', async () => {
    const board = new Switchboard(new OtrSession({ key: bob }));
    const first = new OtrSession({ key: alice });
    board.connect(first);
    first.startPrivate(); // bob sends the D-H Commit, later the Reveal Signature
    for (let step = 0; step < 50; step++) {
      await tick();
      for (let t; (t = board.toBob.shift()) !== undefined; ) board.bob.receive(t);
      for (let t; (t = board.toAlice.shift()) !== undefined; ) {
        const m = OtrMessage.parse(t);
        if (m?.type === 0x11) {
          const body = Buffer.from(t.slice(5, -1), 'base64');
          body[20]! ^= 0xff; // inside r
          t = `?OTR:${body.toString('base64')}.`;
        }
        first.receive(t);
      }
    }
    expect(first.state).toBe('plaintext');
    expect(board.errors.some((e) => /alice: .*(Hashed g\^x|Malformed)/.test(e))).toBe(true);
    await board.flush();

    const restarted = new OtrSession({ key: alice });
    board.connect(restarted);
    restarted.startPrivate();
    await board.flush();
    if (process.env.DBG) console.log(board.errors, board.fromBob.map((w) => [OtrMessage.parse(w)?.type, OtrMessage.parse(w)?.receiver, w.slice(0, 20)]));
    expect([restarted.state, board.bob.state]).toEqual(['encrypted', 'encrypted']);
    await board.roundTrip('after the failed AKE');
  });
});
