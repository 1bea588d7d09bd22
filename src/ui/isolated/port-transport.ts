/**
 * Inside the frame: the page's transport, reached over the bridge port. It sends only `?OTR` wire
 * text (queries, AKE and data messages, errors, fragments): a plaintext body never leaves the frame,
 * whatever the conversation's state.
 */
import { E2eeError } from '../../protocol/errors.js';
import type { Transport, TransportHandler, TransportMessage, TransportState } from '../transport.js';
import type { FrameMessage, FrameSettings } from './bridge-protocol.js';

export class PortTransport implements Transport {
  self: string;
  state: TransportState;
  maxMessageSize: number;
  private readonly handlers = new Set<TransportHandler>();
  private readonly stateHandlers = new Set<(state: TransportState) => void>();
  private readonly pending = new Map<number, { resolve: () => void; reject: (error: E2eeError) => void }>();
  private nextId = 1;

  constructor(
    private readonly post: (message: FrameMessage) => void,
    settings: FrameSettings,
  ) {
    this.self = settings.self;
    this.state = settings.transportState;
    this.maxMessageSize = settings.maxMessageSize;
  }

  send(peer: string, body: string): Promise<void> {
    if (!body.startsWith('?OTR'))
      return Promise.reject(new E2eeError('frame', 'Isolated mode sends only encrypted OTR messages; this one was kept in the frame.'));
    const id = this.nextId++;
    return new Promise((resolve, reject) => {
      this.pending.set(id, { resolve, reject });
      this.post({ t: 'send', id, peer, body });
    });
  }

  onMessage(handler: TransportHandler): () => void {
    this.handlers.add(handler);
    return () => this.handlers.delete(handler);
  }

  onStateChange(handler: (state: TransportState) => void): () => void {
    this.stateHandlers.add(handler);
    return () => this.stateHandlers.delete(handler);
  }

  claim(peer: string): void {
    this.post({ t: 'claim', peer });
  }

  /** The page's answer to one of our sends. */
  sent(id: number, error?: { code: string; message: string }): void {
    const job = this.pending.get(id);
    this.pending.delete(id);
    if (!job) return;
    if (error) job.reject(new E2eeError(error.code === 'transport' ? 'transport' : 'frame', error.message));
    else job.resolve();
  }

  /** A message the page's transport received; resolves once every handler has read it. */
  async deliver(message: TransportMessage): Promise<void> {
    await Promise.all([...this.handlers].map((handler) => handler(message)));
  }

  setState(state: TransportState): void {
    this.state = state;
    for (const handler of this.stateHandlers) handler(state);
  }
}
