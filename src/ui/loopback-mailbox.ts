/**
 * The loopback transport's mailbox: messages kept in the origin's localStorage until their
 * addressee takes them, so an endpoint that reloads (or was not open yet) still gets what was sent
 * to it meanwhile, as from a chat server's offline storage. One key per message (no read-modify-
 * write across tabs), removed once delivered. Without localStorage (Node, a locked-down page) it
 * keeps nothing and the transport is in-memory only.
 */

/** One message in the mailbox. */
export interface Letter {
  id: string;
  from: string;
  to: string;
  body: string;
  at: number;
  /** The sender's own count, which orders its letters sent within one millisecond. */
  seq: number;
}

/** Letters older than this are dropped unread (an addressee that never came back). */
const MAX_AGE_MS = 24 * 60 * 60 * 1000;

export class Mailbox {
  private readonly storage: Storage | undefined = localStorageOrNone();

  constructor(private readonly channel: string) {}

  /** Keep `letter` until its addressee takes it. */
  post(letter: Letter): void {
    try {
      this.storage?.setItem(this.key(letter.to, letter.id), JSON.stringify(letter));
    } catch {
      // Full or refused storage: the live channel still delivers to an open endpoint.
    }
  }

  /** Every letter waiting for `to`, oldest first; stale ones are dropped. */
  waiting(to: string): Letter[] {
    const storage = this.storage;
    if (!storage) return [];
    const prefix = this.key(to, '');
    const letters: Letter[] = [];
    for (let i = 0; i < storage.length; i++) {
      const key = storage.key(i);
      if (!key?.startsWith(prefix)) continue;
      const letter = parse(storage.getItem(key));
      if (letter && Date.now() - letter.at < MAX_AGE_MS) letters.push(letter);
    }
    for (const stale of this.stale(prefix)) storage.removeItem(stale);
    return letters.sort((a, b) => a.at - b.at || (a.from === b.from ? a.seq - b.seq : a.from < b.from ? -1 : 1));
  }

  /** `to` has taken the letter `id`. */
  delivered(to: string, id: string): void {
    this.storage?.removeItem(this.key(to, id));
  }

  private stale(prefix: string): string[] {
    const keys: string[] = [];
    for (let i = 0; i < (this.storage?.length ?? 0); i++) {
      const key = this.storage!.key(i);
      if (!key?.startsWith(prefix)) continue;
      const letter = parse(this.storage!.getItem(key));
      if (!letter || Date.now() - letter.at >= MAX_AGE_MS) keys.push(key);
    }
    return keys;
  }

  private key(to: string, id: string): string {
    return `e2ee-loopback\u0000${this.channel}\u0000${to}\u0000${id}`;
  }
}

function parse(text: string | null): Letter | undefined {
  try {
    const l = JSON.parse(text ?? '') as Partial<Letter>;
    return typeof l.id === 'string' && typeof l.to === 'string' && typeof l.from === 'string' && typeof l.body === 'string' && typeof l.at === 'number' && typeof l.seq === 'number' ? (l as Letter) : undefined;
  } catch {
    return undefined;
  }
}

function localStorageOrNone(): Storage | undefined {
  try {
    return typeof localStorage === 'undefined' ? undefined : localStorage;
  } catch {
    return undefined; // access can throw (sandboxed frames, disabled storage)
  }
}
