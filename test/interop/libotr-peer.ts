/**
 * Test helper: a libotr 4.1 peer process (test/interop/libotr-peer.c) and
 * the wiring between it and one of our `OtrSession`s.
 */
import { execFileSync, spawn, type ChildProcessWithoutNullStreams } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';

import { IdentityKey, type OtrSession, type SmpEvent } from '../../src/protocol/index.js';

const root = join(dirname(fileURLToPath(import.meta.url)), '../..');

let built: string | undefined;

/** Build the peer (installing libotr5-dev/gcc when missing); returns its path. Idempotent. */
export function buildLibotrPeer(): string {
  if (!built) {
    const out = execFileSync(process.execPath, [join(root, 'scripts/build-libotr-peer.mjs')], {
      encoding: 'utf8',
      stdio: ['ignore', 'pipe', 'inherit'],
    });
    built = out.trim().split('\n').at(-1)!; // the script prints the binary's path last

  }
  return built;
}

/**
 * Our side's identity key for the interop tests. otr.js needs seconds to make
 * one, so it is kept in test/interop/build (gitignored) and reused by later
 * files and runs; nothing in these tests depends on its freshness.
 */
export function ourTestKey(): IdentityKey {
  const file = join(root, 'test/interop/build/otrjs-test-key.b64');
  if (existsSync(file)) {
    try {
      return IdentityKey.fromBase64(readFileSync(file, 'utf8').trim());
    } catch {
      // unreadable: make a new one
    }
  }
  const key = IdentityKey.generate();
  mkdirSync(dirname(file), { recursive: true });
  const tmp = `${file}.${process.pid}.tmp`;
  writeFileSync(tmp, key.toBase64());
  renameSync(tmp, file);
  return key;
}

/** How many times the AKE scenarios run (`npm run test:interop -- --repeat N` sets it). */
export const REPEAT = Math.max(1, Number(process.env.OTR_INTEROP_REPEAT) || 20);

/** A temporary directory holding one libotr private key, shared by the peers of one test file. */
export class KeyDir {
  readonly path = mkdtempSync(join(tmpdir(), 'libotr-peer-'));
  readonly keyFile = join(this.path, 'otr.private_key');
  private n = 0;
  nextInstagFile(): string {
    return join(this.path, `otr.instag.${this.n++}`);
  }
  remove(): void {
    rmSync(this.path, { recursive: true, force: true });
  }
}

export interface PeerLine {
  kind: string;
  args: string[];
}

const hex = (text: string) => (text === '' ? '-' : Buffer.from(text, 'utf8').toString('hex'));
const unhex = (h: string | undefined) => (!h || h === '-' ? '' : Buffer.from(h, 'hex').toString('utf8'));
/** Binary data as the peer reads and prints it: lowercase hex of its bytes, `-` for none. */
const hexBytes = (bytes: Uint8Array) => (bytes.length === 0 ? '-' : Buffer.from(bytes).toString('hex'));
const unhexBytes = (h: string | undefined) => (!h || h === '-' ? new Uint8Array(0) : new Uint8Array(Buffer.from(h, 'hex')));

/** An extra symmetric key libotr was asked to take (its `received_symkey`). */
export interface LibotrSymkey {
  use: number;
  usedata: Uint8Array;
  /** The 32-byte key. */
  key: Uint8Array;
}

/** libotr policy bits (libotr/proto.h). */
export const POLICY = {
  ALLOW_V2: 0x02,
  ALLOW_V3: 0x04,
  REQUIRE_ENCRYPTION: 0x08,
  /** libotr forced to protocol v2. */
  V2_ONLY: 0x02,
  /** v2 and v3, and never send plaintext: a message sent unencrypted becomes libotr's own query. */
  MANUAL_REQUIRED: 0x02 | 0x04 | 0x08,
} as const;

/** Outcome of SMP as libotr reports it. */
export type LibotrSmp = 'success' | 'failure' | 'abort' | 'cheated' | 'error';

/** One libotr peer process. */
export class LibotrPeer {
  /** Every line the peer printed, in order. */
  readonly lines: PeerLine[] = [];
  /** Wire texts libotr sent. */
  readonly wireOut: string[] = [];
  /** Messages libotr delivered to its user. */
  readonly received: { text: string; encrypted: boolean }[] = [];
  /** Problems libotr reported (message events other than heartbeats, errors). */
  readonly problems: string[] = [];
  fingerprint = '';
  instanceTag = 0;
  onWire: (text: string) => void = () => {};

  private readonly pending: { cmd: string; resolve: (lines: PeerLine[]) => void; since: number }[] = [];
  private readonly waiters = new Set<() => void>();
  private exited = false;

  private constructor(private readonly child: ChildProcessWithoutNullStreams) {
    const rl = createInterface({ input: child.stdout });
    rl.on('line', (line) => this.onLine(line));
    child.stderr.on('data', (d: Buffer) => this.problems.push(`stderr: ${d.toString().trim()}`));
    child.on('exit', (code) => {
      this.exited = true;
      if (code) this.problems.push(`exited with ${code}`);
      this.wake();
    });
  }

  /**
   * Start a peer using (or creating) the key in `keys`, with a new instance tag, or the one kept in
   * `instagFile` (a restart).
   */
  static async start(keys: KeyDir, instagFile = keys.nextInstagFile()): Promise<LibotrPeer> {
    const child = spawn(buildLibotrPeer(), [keys.keyFile, instagFile], { stdio: ['pipe', 'pipe', 'pipe'] });
    const peer = new LibotrPeer(child);
    await peer.waitFor(() => peer.fingerprint !== '', 'ready', 20_000);
    return peer;
  }

  private onLine(line: string): void {
    const [kind = '', ...args] = line.split(' ');
    const entry = { kind, args };
    this.lines.push(entry);
    switch (kind) {
      case 'ready':
        this.fingerprint = args[0] ?? '';
        this.instanceTag = parseInt(args[1] ?? '0', 16);
        break;
      case 'wire': {
        const text = unhex(args[0]);
        this.wireOut.push(text);
        // Deliver after this line is handled, like a network would.
        setImmediate(() => this.onWire(text));
        break;
      }
      case 'msg':
        this.received.push({ encrypted: args[0] === '1', text: unhex(args[1]) });
        break;
      case 'event':
        if (!/^heartbeat/.test(args[0] ?? '')) this.problems.push(`event ${args[0]} ${unhex(args[1])} ${args.slice(2).join(' ')}`.trim());
        break;
      case 'error':
        this.problems.push(`error ${args.join(' ')}`);
        break;
      case 'ok': {
        const job = this.pending.shift();
        if (job) job.resolve(this.lines.slice(job.since));
        break;
      }
    }
    this.wake();
  }

  private wake(): void {
    for (const w of [...this.waiters]) w();
  }

  /** Run one command; resolves with the lines it printed (after every `wire` it caused). */
  command(line: string): Promise<PeerLine[]> {
    if (this.exited) return Promise.reject(new Error(`libotr peer has exited (${this.problems.join('; ')})`));
    return new Promise((resolve) => {
      this.pending.push({ cmd: line.split(' ')[0]!, resolve, since: this.lines.length });
      this.child.stdin.write(line + '\n');
    });
  }

  recv(wire: string): Promise<PeerLine[]> {
    return this.command(`recv ${hex(wire)}`);
  }
  send(text: string): Promise<PeerLine[]> {
    return this.command(`send ${hex(text)}`);
  }
  query(): Promise<PeerLine[]> {
    return this.command('query');
  }
  end(): Promise<PeerLine[]> {
    return this.command('end');
  }
  smpStart(secret: string, question?: string): Promise<PeerLine[]> {
    return this.command(question === undefined ? `smp ${hex(secret)}` : `smp ${hex(secret)} ${hex(question)}`);
  }
  smpRespond(secret: string): Promise<PeerLine[]> {
    return this.command(`smp-respond ${hex(secret)}`);
  }
  setMaxMessageSize(n: number): Promise<PeerLine[]> {
    return this.command(`mms ${n}`);
  }
  /** Set libotr's policy bits (OTRL_POLICY_*), e.g. {@link POLICY.V2_ONLY}. */
  setPolicy(bits: number): Promise<PeerLine[]> {
    return this.command(`policy ${bits.toString(16)}`);
  }
  async fingerprints(): Promise<{ ours: string; theirs: string | undefined }> {
    const out = await this.command('fingerprint');
    const line = out.find((l) => l.kind === 'fingerprint')!;
    return { ours: line.args[0]!, theirs: line.args[1] === '-' ? undefined : line.args[1] };
  }
  async tags(): Promise<{ ours: number; theirs: number; version: number; msgstate: number }> {
    const out = await this.command('tags');
    const a = out.find((l) => l.kind === 'tags')!.args;
    return { ours: parseInt(a[0]!, 16), theirs: parseInt(a[1]!, 16), version: Number(a[2]), msgstate: Number(a[3]) };
  }

  /**
   * Take the extra symmetric key for `use` with `usedata` (libotr's `otrl_message_symkey`, which sends
   * TLV 8 in an otherwise empty data message); resolves with libotr's 32-byte key.
   * @throws when libotr refuses (say, not private in v3).
   */
  async symkey(use: number, usedata: Uint8Array): Promise<Uint8Array> {
    const useHex = (use >>> 0).toString(16).padStart(8, '0');
    const out = await this.command(`symkey ${useHex} ${hexBytes(usedata)}`);
    const sent = out.find((l) => l.kind === 'symkey-sent');
    if (!sent) throw new Error(`libotr sent no extra key: ${out.map((l) => [l.kind, ...l.args].join(' ')).join(' | ')}`);
    if (sent.args[0] !== useHex) throw new Error(`libotr sent the extra key for use ${sent.args[0]}, not ${useHex}`);
    return unhexBytes(sent.args[1]);
  }

  /** Every extra key libotr was asked to take (`received_symkey`), in order. */
  receivedSymkeys(): LibotrSymkey[] {
    return this.lines
      .filter((l) => l.kind === 'symkey-received')
      .map((l) => ({ use: parseInt(l.args[0]!, 16), usedata: unhexBytes(l.args[1]), key: unhexBytes(l.args[2]) }));
  }

  /** Lines of one kind seen so far. */
  count(kind: string, first?: string): number {
    return this.lines.filter((l) => l.kind === kind && (first === undefined || l.args[0] === first)).length;
  }

  /** SMP outcomes libotr reported, in order. */
  smpResults(): LibotrSmp[] {
    return this.lines
      .filter((l) => l.kind === 'smp' && ['success', 'failure', 'abort', 'cheated', 'error'].includes(l.args[0]!))
      .map((l) => l.args[0] as LibotrSmp);
  }

  /** libotr's trust in our key after its last successful SMP: `smp`, or `-` for none. */
  lastSmpTrust(): string | undefined {
    return [...this.lines].reverse().find((l) => l.kind === 'smp' && l.args[0] === 'success')?.args[1];
  }

  /** The question of the last SMP request libotr received ('' for none). */
  lastSmpQuestion(): string | undefined {
    const l = [...this.lines].reverse().find((x) => x.kind === 'smp' && (x.args[0] === 'ask-answer' || x.args[0] === 'ask-secret'));
    return l ? (l.args[0] === 'ask-answer' ? unhex(l.args[1]) : '') : undefined;
  }

  waitFor(check: () => boolean, what: string, ms = 20_000): Promise<void> {
    return waitFor(check, what, ms, this);
  }

  async close(): Promise<void> {
    if (this.exited) return;
    const gone = new Promise<void>((r) => this.child.once('exit', () => r()));
    this.child.stdin.end('quit\n');
    const timer = setTimeout(() => this.child.kill('SIGKILL'), 2000);
    await gone;
    clearTimeout(timer);
  }

  /** The waiters registry, for {@link waitFor}. */
  get _waiters(): Set<() => void> {
    return this.waiters;
  }
}

/** Poll-free wait: re-checks on every peer line, and every 10 ms for our side. */
export function waitFor(check: () => boolean, what: string, ms = 20_000, peer?: LibotrPeer, diag?: () => string): Promise<void> {
  return new Promise((resolve, reject) => {
    const start = Date.now();
    let timer: ReturnType<typeof setInterval> | undefined;
    const done = (err?: Error) => {
      if (timer) clearInterval(timer);
      peer?._waiters.delete(test);
      if (err) reject(err);
      else resolve();
    };
    const test = () => {
      let ok = false;
      try {
        ok = check();
      } catch (e) {
        return done(e as Error);
      }
      if (ok) return done();
      if (Date.now() - start > ms) {
        const extra = [diag?.(), peer && `libotr problems: ${peer.problems.join(' | ') || 'none'}`].filter(Boolean).join('\n');
        done(new Error(`timed out after ${ms} ms waiting for ${what}${extra ? '\n' + extra : ''}`));
      }
    };
    peer?._waiters.add(test);
    timer = setInterval(test, 10);
    test();
  });
}

/** Decoded header of an `?OTR:` message: protocol version, type and (v3) instance tags. */
export function otrHeader(wire: string): { version: number; type: number; sender: number; receiver: number } | undefined {
  const m = /^\?OTR:([A-Za-z0-9+/=]+)\./.exec(wire);
  if (!m) return undefined;
  const b = Buffer.from(m[1]!, 'base64');
  if (b.length < 3) return undefined;
  const version = b.readUInt16BE(0);
  const type = b[2]!;
  return version === 3 && b.length >= 11
    ? { version, type, sender: b.readUInt32BE(3), receiver: b.readUInt32BE(7) }
    : { version, type, sender: 0, receiver: 0 };
}

/** Everything one side of a wired pair saw. */
export interface Link {
  /** Wire texts our session produced (already fragmented by it). */
  ourWire: string[];
  /** Decrypted/plain messages our session delivered. */
  ourMessages: { text: string; encrypted: boolean }[];
  ourSmp: SmpEvent[];
  ourErrors: string[];
  /**
   * AKE Signature messages (the last of an AKE) we sent or fully handled;
   * counts only unfragmented ones.
   */
  signatures: number;
  /** Problems on both sides, for failure messages. */
  diag(): string;
  /** Unhook from the session. */
  unlink(): void;
}

const SIGNATURE = 0x12;

/** Joins v3 (`?OTR|s|r,k,n,piece,`) and v2 (`?OTR,k,n,piece,`) fragments back into the message; other texts pass through. */
export class Reassembler {
  private pieces: string[] = [];
  /** Returns the whole message once complete, '' while incomplete. */
  add(text: string): string {
    const m = /^\?OTR(?:\|[0-9a-f]+\|[0-9a-f]+)?,(\d+),(\d+),(.*),$/s.exec(text);
    if (!m) return text;
    const k = Number(m[1]);
    const n = Number(m[2]);
    if (k === 1) this.pieces = [];
    this.pieces.push(m[3]!);
    if (k < n) return '';
    const whole = this.pieces.join('');
    this.pieces = [];
    return whole;
  }
}

/** Wire `session` and `peer` together: what one puts on the wire the other receives. */
export function link(session: OtrSession, peer: LibotrPeer): Link {
  const l: Link = {
    ourWire: [],
    ourMessages: [],
    ourSmp: [],
    ourErrors: [],
    signatures: 0,
    diag: () => `our errors: ${l.ourErrors.join(' | ') || 'none'}\nlibotr problems: ${peer.problems.join(' | ') || 'none'}`,
    unlink: () => offs.forEach((off) => off()),
  };
  const outgoing = new Reassembler();
  const incoming = new Reassembler();
  const offs = [
    session.on('wire', ({ text }) => {
      l.ourWire.push(text);
      if (otrHeader(outgoing.add(text))?.type === SIGNATURE) l.signatures++;
      void peer.recv(text).catch(() => {});
    }),
    session.on('message', (m) => l.ourMessages.push(m)),
    session.on('smp', (e) => l.ourSmp.push(e)),
    session.on('error', ({ error, warning }) => l.ourErrors.push(`${warning ? 'warning' : 'error'} ${error.code}: ${error.message}`)),
  ];
  peer.onWire = (text) => {
    session.receive(text);
    if (otrHeader(incoming.add(text))?.type === SIGNATURE) l.signatures++;
  };
  return l;
}
