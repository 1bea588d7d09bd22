/** A transport wrapper that records every body it carries, for asserting what crossed the wire. */
import type { Transport, TransportHandler, TransportState } from '../../src/ui/transport.js';

export class RecordingTransport implements Transport {
  readonly sent: { peer: string; body: string }[] = [];
  constructor(readonly inner: Transport) {}
  get self(): string { return this.inner.self; }
  get state(): TransportState { return this.inner.state; }
  get maxMessageSize(): number { return this.inner.maxMessageSize; }
  async send(peer: string, body: string): Promise<void> {
    await this.inner.send(peer, body);
    this.sent.push({ peer, body });
  }
  onMessage(handler: TransportHandler): () => void { return this.inner.onMessage(handler); }
  onStateChange(handler: (state: TransportState) => void): () => void { return this.inner.onStateChange(handler); }
}
