/**
 * Test helper: drives test/stock/stock-otr-peer.mjs, a stock (unpatched)
 * otr.js 0.2.16 peer in a child process, wired to one of our OtrSessions.
 */
import { spawn, type ChildProcessWithoutNullStreams } from 'node:child_process';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';

import type { IdentityKey, OtrSession } from '../../src/protocol/index.js';

const here = dirname(fileURLToPath(import.meta.url));

type PeerEvent =
  | { ev: 'io'; text: string }
  | { ev: 'ui'; text: string; encrypted: boolean }
  | { ev: 'status'; status: number }
  | { ev: 'error'; message: string }
  | { ev: 'ok'; forcedLeft: number };

/** otr.js status code for a completed AKE. */
const AKE_SUCCESS = 2;

/** One stock otr.js process; each {@link StockOtrPeer.fresh} makes a new OTR object in it. */
export class StockOtrPeer {
  readonly events: PeerEvent[] = [];
  onWire: (text: string) => void = () => {};
  private readonly waiters = new Set<() => void>();

  private constructor(private readonly child: ChildProcessWithoutNullStreams) {
    createInterface({ input: child.stdout }).on('line', (line) => {
      const event = JSON.parse(line) as PeerEvent;
      this.events.push(event);
      if (event.ev === 'io') setImmediate(() => this.onWire(event.text));
      for (const w of [...this.waiters]) w();
    });
    child.stderr.on('data', (d: Buffer) => this.events.push({ ev: 'error', message: `stderr: ${d.toString()}` }));
  }

  static start(): StockOtrPeer {
    // The otr package resolved from the project, loaded by plain Node `require` in the child.
    const otrDir = dirname(createRequire(import.meta.url).resolve('otr/package.json'));
    const child = spawn(process.execPath, [join(here, 'stock-otr-peer.mjs')], {
      stdio: ['pipe', 'pipe', 'pipe'],
      env: { ...process.env, NODE_OPTIONS: '', NODE_PATH: dirname(otrDir) },
    });
    return new StockOtrPeer(child);
  }

  private command(cmd: Record<string, unknown>): void {
    this.child.stdin.write(JSON.stringify(cmd) + '\n');
  }

  /** A fresh stock OTR object with `key`; its next 128-bit draws (r) are `forceR`. */
  fresh(key: IdentityKey, forceR: string[] = []): void {
    this.events.length = 0;
    this.command({ cmd: 'new', key: key.toBase64(), forceR });
  }
  receive(text: string): void {
    this.command({ cmd: 'recv', text });
  }
  query(): void {
    this.command({ cmd: 'query' });
  }
  send(text: string): void {
    this.command({ cmd: 'send', text });
  }

  akeDone(): boolean {
    return this.events.some((e) => e.ev === 'status' && e.status === AKE_SUCCESS);
  }
  errors(): string[] {
    return this.events.flatMap((e) => (e.ev === 'error' ? [e.message] : []));
  }
  received(): { text: string; encrypted: boolean }[] {
    return this.events.flatMap((e) => (e.ev === 'ui' ? [{ text: e.text, encrypted: e.encrypted }] : []));
  }

  /** Wait until `check` holds (re-checked on every peer line and every 5 ms). */
  wait(check: () => boolean, what: string, ms = 20_000): Promise<void> {
    return new Promise((resolve, reject) => {
      const started = Date.now();
      const stop = () => {
        clearInterval(timer);
        this.waiters.delete(test);
      };
      const test = () => {
        if (check()) {
          stop();
          resolve();
        } else if (Date.now() - started > ms) {
          stop();
          reject(new Error(`timed out waiting for ${what}; stock errors: ${this.errors().join(' | ') || 'none'}`));
        }
      };
      const timer = setInterval(test, 5);
      this.waiters.add(test);
      test();
    });
  }

  close(): void {
    this.command({ cmd: 'quit' });
  }
}

/** Wire `session` and `peer` both ways; returns what our side saw and an unlink function. */
export function linkStock(session: OtrSession, peer: StockOtrPeer) {
  const ours = { messages: [] as { text: string; encrypted: boolean }[], errors: [] as string[] };
  const offs = [
    session.on('wire', ({ text }) => peer.receive(text)),
    session.on('message', (m) => ours.messages.push({ text: m.text, encrypted: m.encrypted })),
    session.on('error', ({ error }) => ours.errors.push(`${error.code}: ${error.message}`)),
  ];
  peer.onWire = (text) => session.receive(text);
  return { ours, unlink: () => offs.forEach((off) => off()) };
}
