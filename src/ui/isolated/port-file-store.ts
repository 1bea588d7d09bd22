/**
 * Inside the frame: the page's file store, reached over the bridge port. The frame's chat seals a
 * file in its engine and hands this store the ciphertext only; the page's store keeps it and says
 * where, or fetches the ciphertext a reference names.
 */
import { E2eeError } from '../../protocol/errors.js';
import type { FileProgress, FileStore } from '../file-stores/file-store.js';
import type { FrameMessage, HostMessage } from './bridge-protocol.js';

type Reply = Extract<HostMessage, { t: 'file-stored' | 'file-fetched' }>;

export class PortFileStore implements FileStore {
  private readonly jobs = new Map<number, { settle: (reply: Reply) => void; progress?: FileProgress }>();
  private nextId = 1;

  constructor(private readonly post: (message: FrameMessage) => void) {}

  async put(ciphertext: Uint8Array, options: { signal?: AbortSignal; progress?: FileProgress } = {}): Promise<string> {
    const reply = await this.run((id) => ({ t: 'file-put', id, ciphertext }), options);
    return reply.t === 'file-stored' && reply.at ? reply.at : Promise.reject(failure(reply));
  }

  async get(at: string, options: { signal?: AbortSignal; progress?: FileProgress } = {}): Promise<Uint8Array> {
    const reply = await this.run((id) => ({ t: 'file-get', id, at }), options);
    return reply.t === 'file-fetched' && reply.ciphertext ? reply.ciphertext : Promise.reject(failure(reply));
  }

  /** The page's answer (or progress) for one job. */
  answer(message: Extract<HostMessage, { t: 'file-stored' | 'file-fetched' | 'file-progress' }>): void {
    const job = this.jobs.get(message.id);
    if (!job) return;
    if (message.t === 'file-progress') return job.progress?.(message.done, message.total);
    this.jobs.delete(message.id);
    job.settle(message);
  }

  private run(request: (id: number) => FrameMessage, options: { signal?: AbortSignal; progress?: FileProgress }): Promise<Reply> {
    options.signal?.throwIfAborted();
    const id = this.nextId++;
    return new Promise<Reply>((resolve, reject) => {
      const onAbort = () => {
        this.jobs.delete(id);
        this.post({ t: 'file-abort', id });
        reject(options.signal!.reason);
      };
      options.signal?.addEventListener('abort', onAbort, { once: true });
      this.jobs.set(id, {
        settle: (reply) => {
          options.signal?.removeEventListener('abort', onAbort);
          resolve(reply);
        },
        ...(options.progress ? { progress: options.progress } : {}),
      });
      this.post(request(id));
    });
  }
}

function failure(reply: Reply): E2eeError {
  return new E2eeError(reply.error?.code === 'transport' ? 'transport' : 'file', reply.error?.message ?? "The page's file store gave no answer.");
}
