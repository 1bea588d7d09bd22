/**
 * The trust side of one `<e2ee-chat>`: SMP progress and outcomes, key-change
 * warnings, and manual verification. Decisions are made in the worker; this
 * only asks it and keeps what the view shows. No DOM here.
 */
import { E2eeError } from '../protocol/errors.js';
import type { ReactiveController, ReactiveControllerHost } from 'lit';
import type { EngineApi, EngineEvent, FingerprintInfo } from '../worker/api.js';

/** Where an SMP exchange stands, as the user sees it. */
export type SmpPhase =
  | { phase: 'idle' }
  /** The peer asked; we must answer (question empty: a shared secret only). */
  | { phase: 'asked'; question: string }
  /** We sent our part and wait for the peer. */
  | { phase: 'running' }
  | { phase: 'succeeded' }
  /**
   * We answered the peer's question correctly. That proves who we are to the peer, nothing about the
   * peer to us: the asker chose the question and the answer. The peer stays unverified here.
   */
  | { phase: 'answered' }
  | { phase: 'failed' }
  | { phase: 'aborted' };

/** What an SMP exchange came to, for announcements: `answered` verified us to the peer, not the peer to us. */
export type SmpOutcome = 'succeeded' | 'answered' | 'failed' | 'aborted' | 'asked';

/** A trust event for the host page (`e2ee-trust`). */
export interface TrustSignal {
  fingerprint: string;
  verified: boolean;
  isNew: boolean;
  replacesVerified: boolean;
}

/**
 * Keeps SMP and key-change state for one peer: a Lit reactive controller that asks its host to
 * update. Decisions stay in the worker; no DOM here.
 */
export class TrustController implements ReactiveController {
  smp: SmpPhase = { phase: 'idle' };
  /** Set when the peer's key changed after another key was verified; cleared when the user acts. */
  keyChange?: { fingerprint: string };
  fingerprints: FingerprintInfo[] = [];

  private readonly onChange: () => void;

  constructor(
    host: ReactiveControllerHost,
    private readonly target: () => { engine: EngineApi; peer: string },
    private readonly onTrust: (signal: TrustSignal) => void,
    private readonly onSmpOutcome: (outcome: SmpOutcome) => void,
    private readonly onWeAsked: () => void = () => undefined,
  ) {
    this.onChange = () => host.requestUpdate();
    host.addController(this);
  }

  /** Lit: the host left the page; an exchange it showed can't be answered from here any more. */
  hostDisconnected(): void {
    if (this.smp.phase === 'asked') this.smp = { phase: 'idle' };
  }

  /** Feed engine events for this peer. */
  handle(event: EngineEvent): void {
    if (event.type === 'trust') {
      if (event.replacesVerified) this.keyChange = { fingerprint: event.fingerprint };
      const { fingerprint, verified, isNew, replacesVerified } = event;
      this.onTrust({ fingerprint, verified, isNew, replacesVerified });
      void this.refresh();
    } else if (event.type === 'smp') {
      const e = event.event;
      if (e.type === 'question') this.set({ phase: 'asked', question: e.question }, 'asked');
      else if (e.type === 'aborted') this.set({ phase: 'aborted' }, 'aborted');
      else if (e.type === 'result') {
        if (!e.success) this.set({ phase: 'failed' }, 'failed');
        else if (e.role === 'answered' && e.withQuestion) this.set({ phase: 'answered' }, 'answered');
        else this.set({ phase: 'succeeded' }, 'succeeded');
        if (e.success) void this.refresh();
      }
    } else if (event.type === 'status' && event.state !== 'encrypted' && event.state !== 'verified' && this.smp.phase === 'running') {
      this.set({ phase: 'aborted' }, 'aborted');
    }
  }

  /** Start SMP with a secret, and a question for the peer if given. */
  async start(secret: string, question?: string): Promise<void> {
    const { engine, peer } = this.target();
    if (!secret) throw new E2eeError('smp', 'Enter the secret first.');
    this.smp = { phase: 'running' };
    this.onChange();
    try {
      await engine.smpStart(peer, secret, question || undefined);
      this.onWeAsked();
    } catch (error) {
      this.smp = { phase: 'idle' };
      this.onChange();
      throw error;
    }
  }

  /** Answer the peer's SMP request. */
  async answer(secret: string): Promise<void> {
    const { engine, peer } = this.target();
    if (!secret) throw new E2eeError('smp', 'Enter the answer first.');
    this.smp = { phase: 'running' };
    this.onChange();
    await engine.smpAnswer(peer, secret);
  }

  /** Abort a running or requested SMP exchange. */
  async abort(): Promise<void> {
    const { engine, peer } = this.target();
    await engine.smpAbort(peer);
  }

  /** Mark the peer's current key verified (or not) after comparing fingerprints. */
  async setVerified(fingerprint: string, verified: boolean): Promise<void> {
    const { engine, peer } = this.target();
    await engine.setVerified(peer, fingerprint, verified);
    this.keyChange = undefined;
    await this.refresh();
  }

  /** Forget every key of this peer. */
  async forget(): Promise<void> {
    const { engine, peer } = this.target();
    await engine.forgetPeer(peer);
    this.keyChange = undefined;
    await this.refresh();
  }

  /** Dismiss the key-change warning without changing trust. */
  acknowledgeKeyChange(): void {
    this.keyChange = undefined;
    this.onChange();
  }

  /** Return to idle after an outcome was shown. */
  reset(): void {
    this.smp = { phase: 'idle' };
    this.onChange();
  }

  /** Re-read the peer's known fingerprints. */
  async refresh(): Promise<void> {
    const { engine, peer } = this.target();
    this.fingerprints = await engine.fingerprints(peer).catch(() => this.fingerprints);
    this.onChange();
  }

  private set(smp: SmpPhase, outcome: SmpOutcome): void {
    this.smp = smp;
    this.onChange();
    this.onSmpOutcome(outcome);
  }
}
