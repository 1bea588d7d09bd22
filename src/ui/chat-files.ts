/**
 * Files in one conversation, on the page's side (issue 21): a file the person attaches is sealed by
 * the engine (in its worker), its ciphertext goes to the `FileStore`, and its reference to the peer in
 * the private conversation; a file the peer sent is fetched from the store and opened by the engine.
 * The page only ever holds the person's own file and the decrypted file, as a `Blob`; the store and
 * the network only ciphertext. Each file is one record of the message list, with its progress,
 * Cancel, a clear failure, and Retry.
 */
import { E2eeError } from '../protocol/errors.js';
import type { EngineApi, EngineEvent } from '../worker/api.js';
import type { ChatRecord, FileCard } from './chat-records.js';
import type { FileStore } from './file-stores/file-store.js';

/** The default largest file (bytes), as the `max-file-size` attribute defaults to. */
export const DEFAULT_MAX_FILE_BYTES = 25 * 1024 * 1024;

/** What the file transfers need from their conversation. */
export interface FilesHost {
  bound(): { engine: EngineApi; peer: string };
  store(): FileStore | undefined;
  add(record: ChatRecord): void;
  update(id: string, patch: Partial<ChatRecord>): void;
  find(id: string): ChatRecord | undefined;
  newRecord(direction: 'in' | 'out', file: FileCard): ChatRecord;
  /** A failure worth a notice in the timeline (besides the file's own card). */
  notify(error: unknown): void;
}

type FileEvent = Extract<EngineEvent, { type: 'file' }>;

/** The words beside a file, for peers whose app cannot open files (Pidgin shows them). */
export function fileSentence(name: string, size: number): string {
  return `[file] ${name} (${formatSize(size)}): an encrypted file this app cannot open.`;
}

/** `bytes` for people: 980 B, 14.2 KB, 3.1 MB. */
export function formatSize(bytes: number): string {
  if (bytes < 1000) return `${bytes} B`;
  if (bytes < 1_000_000) return `${(bytes / 1000).toFixed(1)} KB`;
  return `${(bytes / 1_000_000).toFixed(1)} MB`;
}

export class ChatFiles {
  private readonly jobs = new Map<string, AbortController>();
  /** What a failed transfer needs to be tried again. */
  private readonly retries = new Map<string, () => Promise<void>>();
  private readonly urls = new Set<string>();

  constructor(private readonly host: FilesHost) {}

  /** Send `file` (refused above `maxBytes`, or without a file store). */
  async send(file: Blob & { name?: string }, maxBytes = DEFAULT_MAX_FILE_BYTES): Promise<void> {
    const name = file.name || 'file';
    const card: FileCard = { name, mediaType: file.type || 'application/octet-stream', size: file.size, phase: 'uploading', done: 0 };
    const record = this.host.newRecord('out', card);
    if (file.size > maxBytes) {
      this.host.add({ ...record, status: 'failed', file: { ...card, phase: 'failed', error: `${name} is ${formatSize(file.size)}: files of at most ${formatSize(maxBytes)} can be sent.` } });
      return;
    }
    if (card.mediaType.startsWith('image/')) card.url = this.url(file); // our own picture, from the person's own file
    this.host.add({ ...record, file: card });
    const attempt = () => this.upload(record.id, file, card, maxBytes);
    this.retries.set(record.id, attempt);
    await attempt();
  }

  private async upload(id: string, file: Blob, card: FileCard, maxBytes: number): Promise<void> {
    const store = this.host.store();
    const abort = new AbortController();
    this.jobs.set(id, abort);
    this.patch(id, { ...card, phase: 'uploading', done: 0 }, 'pending');
    try {
      if (!store) throw new E2eeError('file', 'No file store is set (the element\'s `files` property), so files cannot be sent.');
      const { engine, peer } = this.host.bound();
      const { token, ciphertext } = await engine.sealFile(new Uint8Array(await file.arrayBuffer()), card.name, card.mediaType, maxBytes);
      abort.signal.throwIfAborted();
      const at = await store.put(ciphertext, { signal: abort.signal, progress: (done, total) => this.patch(id, { ...card, phase: 'uploading', done: Math.min(done, total), total }) });
      abort.signal.throwIfAborted();
      await engine.sendFile(peer, token, at, fileSentence(card.name, card.size));
      this.retries.delete(id);
      this.patch(id, { ...card, phase: 'sent', done: card.size }, 'sent', true);
    } catch (error) {
      this.failed(id, card, error, abort.signal.aborted);
    } finally {
      this.jobs.delete(id);
    }
  }

  /** A file the peer sent: fetch it from the store and open it. */
  async receive(event: FileEvent): Promise<void> {
    const card: FileCard = { name: event.name, mediaType: event.mediaType, size: event.size, phase: 'downloading', done: 0 };
    const record = this.host.newRecord('in', card);
    this.host.add({ ...record, status: 'received', encrypted: true, file: card });
    const attempt = () => this.download(record.id, event, card);
    this.retries.set(record.id, attempt);
    await attempt();
  }

  private async download(id: string, event: FileEvent, card: FileCard): Promise<void> {
    const store = this.host.store();
    const abort = new AbortController();
    this.jobs.set(id, abort);
    this.patch(id, { ...card, phase: 'downloading', done: 0 });
    try {
      if (!store) throw new E2eeError('file', 'No file store is set (the element\'s `files` property), so files cannot be fetched.');
      const ciphertext = await store.get(event.at, { signal: abort.signal, progress: (done, total) => this.patch(id, { ...card, phase: 'downloading', done: Math.min(done, total), total }) });
      abort.signal.throwIfAborted();
      const data = await this.host.bound().engine.openFile(event.fileId, ciphertext);
      // Decoded from the decrypted bytes, in the page: never from the store's URL.
      const blob = new Blob([data as BlobPart], { type: safeType(card.mediaType) });
      this.retries.delete(id);
      this.patch(id, { ...card, phase: 'ready', done: card.size, url: this.url(blob) });
    } catch (error) {
      this.failed(id, card, error, abort.signal.aborted);
    } finally {
      this.jobs.delete(id);
    }
  }

  /** Stop a running upload or download. */
  cancel(id: string): void {
    this.jobs.get(id)?.abort();
  }

  /** Try a failed or cancelled transfer again. */
  retry(id: string): Promise<void> {
    return this.retries.get(id)?.() ?? Promise.resolve();
  }

  /** Let go of every decrypted file (the element left the page). */
  clear(): void {
    for (const job of this.jobs.values()) job.abort();
    for (const url of this.urls) URL.revokeObjectURL(url);
    this.urls.clear();
  }

  private failed(id: string, card: FileCard, error: unknown, cancelled: boolean): void {
    const message = cancelled ? 'Cancelled.' : error instanceof Error ? error.message : String(error);
    this.patch(id, { ...card, phase: cancelled ? 'cancelled' : 'failed', error: message }, 'failed');
    if (!cancelled) this.host.notify(error instanceof E2eeError ? error : new E2eeError('file', message));
  }

  private patch(id: string, file: FileCard, status?: ChatRecord['status'], encrypted?: boolean): void {
    if (!this.host.find(id)) return;
    this.host.update(id, { file, ...(status ? { status } : {}), ...(encrypted ? { encrypted } : {}) });
  }

  private url(blob: Blob): string {
    const url = URL.createObjectURL(blob);
    this.urls.add(url);
    return url;
  }
}

/** Only plain media types go on the Blob (a type decides how a browser treats a saved or opened file). */
function safeType(type: string): string {
  return /^[\w.+-]+\/[\w.+-]+$/.test(type) && !/html|xml|javascript|svg/i.test(type) ? type : 'application/octet-stream';
}
