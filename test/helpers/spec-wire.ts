/**
 * Test helper: OTR v3 wire reading and writing written from the spec with
 * Node's crypto (independent of otr.js), and two sessions wired through
 * queues flushed by hand.
 */
import { createCipheriv, createHash } from 'node:crypto';
import { expect } from 'vitest';

import type { OtrSession } from '../../src/protocol/index.js';

// ---------------------------------------------------------------------------
// OTR v3 wire reading and writing, from the spec.

/** The 1536-bit MODP group (RFC 3526, group 5), generator 2. */
export const P = BigInt(
  '0xFFFFFFFFFFFFFFFFC90FDAA22168C234C4C6628B80DC1CD129024E088A67CC74020BBEA63B139B22514A08798E3404DDEF9519B3CD3A431B302B0A6DF25F14374FE1356D6D51C245E485B576625E7EC6F44C42E9A637ED6B0BFF5CB6F406B7EDEE386BFB5A899FA5AE9F24117C4B1FE649286651ECE45B3DC2007CB8A163BF0598DA48361C55D39A69163FA8FD24CF5F83655D23DCA3AD961C62F356208552BB9ED529077096966D670C354E4ABC9804F1746C08CA237327FFFFFFFFFFFFFFFF',
);

export function modPow(base: bigint, exp: bigint, mod: bigint): bigint {
  let result = 1n;
  base %= mod;
  while (exp > 0n) {
    if (exp & 1n) result = (result * base) % mod;
    base = (base * base) % mod;
    exp >>= 1n;
  }
  return result;
}

export const int32 = (n: number) => {
  const b = Buffer.alloc(4);
  b.writeUInt32BE(n >>> 0);
  return b;
};
export const data = (b: Buffer) => Buffer.concat([int32(b.length), b]);
export function mpi(n: bigint): Buffer {
  let hex = n.toString(16);
  if (hex.length % 2) hex = '0' + hex;
  return data(n === 0n ? Buffer.alloc(0) : Buffer.from(hex, 'hex'));
}
export const toBig = (b: Buffer) => (b.length ? BigInt('0x' + b.toString('hex')) : 0n);
export const sha256 = (...parts: Buffer[]) => createHash('sha256').update(Buffer.concat(parts)).digest();
export const aesCtr = (key: Buffer, input: Buffer) => {
  const c = createCipheriv('aes-128-ctr', key, Buffer.alloc(16));
  return Buffer.concat([c.update(input), c.final()]);
};

/** A decoded `?OTR:` message: header fields and a reader over the rest. */
export class OtrMessage {
  readonly version: number;
  readonly type: number;
  readonly sender: number;
  readonly receiver: number;
  private at = 11;
  constructor(readonly body: Buffer) {
    this.version = body.readUInt16BE(0);
    this.type = body[2]!;
    this.sender = body.readUInt32BE(3);
    this.receiver = body.readUInt32BE(7);
  }
  static parse(wire: string): OtrMessage | undefined {
    const m = /^\?OTR:([A-Za-z0-9+/=]+)\.$/.exec(wire);
    return m ? new OtrMessage(Buffer.from(m[1]!, 'base64')) : undefined;
  }
  byte(): number {
    return this.body[this.at++]!;
  }
  int(): number {
    const v = this.body.readUInt32BE(this.at);
    this.at += 4;
    return v;
  }
  data(): Buffer {
    const n = this.int();
    const v = this.body.subarray(this.at, this.at + n);
    this.at += n;
    return v;
  }
  mpi(): bigint {
    return toBig(this.data());
  }
}

export function encode(type: number, sender: number, receiver: number, ...fields: Buffer[]): string {
  const body = Buffer.concat([Buffer.from([0, 3, type]), int32(sender), int32(receiver), ...fields]);
  return `?OTR:${body.toString('base64')}.`;
}

export const DH_COMMIT = 0x02;
export const DH_KEY = 0x0a;
export const REVEAL_SIGNATURE = 0x11;
export const DATA_MSG = 0x03;

// ---------------------------------------------------------------------------
// Two sessions wired through queues we flush by hand.

export const tick = () => new Promise((r) => setTimeout(r, 0));

/** Deliver both queues until three ticks pass with nothing in flight. */
export async function drainQueues(a: { receive(w: string): void }, toA: string[], b: { receive(w: string): void }, toB: string[]): Promise<void> {
  for (let quiet = 0; quiet < 3; ) {
    await tick();
    const moved = toA.length + toB.length > 0;
    for (const w of toA.splice(0)) a.receive(w);
    for (const w of toB.splice(0)) b.receive(w);
    quiet = moved ? 0 : quiet + 1;
  }
}

export class Wire {
  readonly toB: string[] = [];
  readonly toA: string[] = [];
  /** Everything each side ever sent. */
  readonly sentByA: string[] = [];
  readonly sentByB: string[] = [];
  readonly got = { a: [] as string[], b: [] as string[] };
  readonly questions = { a: 0, b: 0 };
  readonly errors: string[] = [];
  constructor(
    readonly a: OtrSession,
    readonly b: OtrSession,
  ) {
    a.on('wire', ({ text }) => (this.toB.push(text), this.sentByA.push(text)));
    b.on('wire', ({ text }) => (this.toA.push(text), this.sentByB.push(text)));
    a.on('message', (m) => this.got.a.push(m.text));
    b.on('message', (m) => this.got.b.push(m.text));
    a.on('smp', (e) => e.type === 'question' && this.questions.a++);
    b.on('smp', (e) => e.type === 'question' && this.questions.b++);
    a.on('error', ({ error }) => this.errors.push(`a: ${error.message}`));
    b.on('error', ({ error }) => this.errors.push(`b: ${error.message}`));
  }
  /** Let otr's setTimeout-based output run, then deliver; repeat until quiet. */
  async flush(only?: 'toA' | 'toB'): Promise<void> {
    for (let quiet = 0; quiet < 3; ) {
      await tick();
      const moved = this.deliver(only);
      quiet = moved ? 0 : quiet + 1;
    }
  }
  private deliver(only?: 'toA' | 'toB'): boolean {
    let moved = false;
    if (only !== 'toA') for (let t; (t = this.toB.shift()) !== undefined; moved = true) this.b.receive(t);
    if (only !== 'toB') for (let t; (t = this.toA.shift()) !== undefined; moved = true) this.a.receive(t);
    return moved;
  }
  async ake(): Promise<void> {
    this.a.startPrivate();
    await this.flush();
    expect(this.errors).toEqual([]);
    expect([this.a.state, this.b.state]).toEqual(['encrypted', 'encrypted']);
  }
  /** Messages both ways, alternating (each direction change rotates keys). */
  async chat(rounds: number, tag: string): Promise<void> {
    for (let i = 0; i < rounds; i++) {
      this.a.send(`${tag} a${i}`);
      await this.flush();
      this.b.send(`${tag} b${i}`);
      await this.flush();
      expect(this.got.b.at(-1)).toBe(`${tag} a${i}`);
      expect(this.got.a.at(-1)).toBe(`${tag} b${i}`);
    }
    expect(this.errors).toEqual([]);
  }
}

