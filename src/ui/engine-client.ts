/**
 * The main-thread side of the engine: starts the module worker (as
 * {@link configureEngine} says), wraps it with Comlink, and fails loudly. If
 * the worker can't be constructed, throws while loading, or does not answer
 * a ping within the timeout, every pending and every later call rejects with
 * an `E2eeError` of code `worker` naming the cause.
 */
import { releaseProxy, transfer, wrap, type Remote } from 'comlink';
import { E2eeError } from '../protocol/errors.js';
import type { EngineApi, EngineListener, EventPortApi, InstanceInfo } from '../worker/api.js';
import '../worker/error-transfer.js';
import { engineConfig } from './engine-config.js';
import { eventHub } from './engine-events.js';
import { launchWorker } from './worker-launch.js';
import { slotClaimed, slotHint, slotReleased } from './tab-instance.js';

/** Options for {@link startEngine}. */
export interface EngineClientOptions {
  /** The identity's name: engines with different names have separate keys and trust. Default `default`. */
  name?: string;
  /** How long the worker may take to answer its first ping. Default: {@link configureEngine}'s, else 10 s. */
  timeoutMs?: number;
  /** Make the worker yourself, for this engine only (tests point this at a broken script). Default: {@link configureEngine}'s. */
  createWorker?: (name: string) => Worker | Promise<Worker>;
}

/** An engine running in its own worker. Every `EngineApi` method is available on it. */
export interface EngineClient extends EngineApi {
  /** The identity name. */
  readonly name: string;
  /** Resolves once the worker answered its first ping; rejects like every call when it fails. */
  readonly ready: Promise<void>;
  /** Stop the worker. Later calls reject. */
  terminate(): void;
}

/** Start an engine in a new worker. */
export function startEngine(options: EngineClientOptions = {}): EngineClient {
  const config = engineConfig();
  const name = options.name ?? 'default';
  const timeoutMs = options.timeoutMs ?? config.timeoutMs ?? 10_000;

  let failure: E2eeError | undefined;
  let fail!: (error: E2eeError) => void;
  const dead = new Promise<never>((_, reject) => {
    fail = (error) => {
      if (failure) return;
      failure = error;
      reject(error);
    };
  });
  dead.catch(() => undefined);

  const onError = (event: ErrorEvent | Event) => {
    event.preventDefault(); // handled here: don't also report it as the page's uncaught error
    const detail = event instanceof ErrorEvent && event.message ? event.message : 'the script could not be loaded or threw at start-up';
    fail(new E2eeError('worker', `The encryption worker failed to start: ${detail}.`));
  };
  const launched = Promise.resolve()
    .then(() => launchWorker(name, options.createWorker ? { ...config, createWorker: options.createWorker } : config))
    .then((worker) => {
      worker.addEventListener('error', onError);
      worker.addEventListener('messageerror', () => fail(new E2eeError('worker', 'The encryption worker sent a message that could not be read.')));
      if (failure) worker.terminate(); // stopped (or timed out) while it was being made
      return { worker, remote: wrap<EngineApi & EventPortApi>(worker) };
    }, (error: unknown) => {
      const reason = error instanceof Error ? error.message : String(error);
      throw new E2eeError('worker', `The encryption worker could not be created: ${reason}`);
    });
  const started = Promise.race([launched, dead]);
  started.catch((error: unknown) => fail(error instanceof E2eeError ? error : new E2eeError('worker', String(error))));

  const timer = setTimeout(
    () => fail(new E2eeError('worker', `The encryption worker did not answer within ${timeoutMs} ms.`)),
    timeoutMs,
  );
  let instance: Promise<InstanceInfo> | undefined;
  const ready = started.then(({ worker, remote }) => Promise.race([remote.ping(), dead]).then(() => {
    clearTimeout(timer);
    worker.removeEventListener('error', onError);
    // Posted before any call that waits for `ready`, so the engine claims this tab's instance first.
    instance = remote.claimInstance(slotHint(name));
    instance.then((info) => slotClaimed(name, info.slot), () => undefined);
  }));
  ready.catch(() => clearTimeout(timer));

  const call = async <T>(invoke: (r: Remote<EngineApi & EventPortApi>) => Promise<T>): Promise<T> => {
    if (failure) throw failure;
    const { remote } = await started;
    await Promise.race([ready, dead]);
    return Promise.race([invoke(remote), dead]).catch((error: unknown) => {
      throw asTypedError(error);
    });
  };

  // Events leave the worker on a port of their own, batched and one way (see worker/event-port.ts).
  const events = eventHub((port) => call((r) => r.openEvents(transfer(port, [port]))));
  const client: EngineClient = {
    name,
    ready,
    terminate() {
      fail(new E2eeError('worker', 'The encryption worker was stopped.'));
      void instance?.then((info) => slotReleased(name, info.slot), () => undefined);
      void launched.then(({ worker, remote }) => {
        worker.terminate();
        remote[releaseProxy]();
      }, () => undefined);
    },
    ping: () => call((r) => r.ping()),
    diagnostics: () => call((r) => r.diagnostics()),
    claimInstance: (slot) => (instance && slot === undefined ? instance : call((r) => r.claimInstance(slot))),
    identity: () => call((r) => r.identity()),
    subscribe: (listener: EngineListener) => (failure ? Promise.reject(failure) : events.subscribe(listener)),
    unsubscribe: (id) => (failure ? Promise.reject(failure) : events.unsubscribe(id)),
    configure: (peer, settings) => call((r) => r.configure(peer, settings)),
    send: (peer, text, messageId, sendOptions) => call((r) => r.send(peer, text, messageId, sendOptions)),
    receive: (peer, wire, at) => call((r) => r.receive(peer, wire, at)),
    startPrivate: (peer) => call((r) => r.startPrivate(peer)),
    endPrivate: (peer) => call((r) => r.endPrivate(peer)),
    conversation: (peer) => call((r) => r.conversation(peer)),
    smpStart: (peer, secret, question) => call((r) => r.smpStart(peer, secret, question)),
    smpAnswer: (peer, secret) => call((r) => r.smpAnswer(peer, secret)),
    smpAbort: (peer) => call((r) => r.smpAbort(peer)),
    exportPrivateKey: (format, account) => call((r) => r.exportPrivateKey(format, account)),
    importPrivateKey: (text, format, account) => call((r) => r.importPrivateKey(text, format, account)),
    regenerateKey: () => call((r) => r.regenerateKey()),
    fingerprints: (peer) => call((r) => r.fingerprints(peer)),
    setVerified: (peer, fingerprint, verified) => call((r) => r.setVerified(peer, fingerprint, verified)),
    forgetPeer: (peer) => call((r) => r.forgetPeer(peer)),
    exportFingerprints: (accountName, protocol) => call((r) => r.exportFingerprints(accountName, protocol)),
  };
  return client;
}

/** Errors from the worker arrive as plain `Error`s carrying `code`; give them back their class. */
function asTypedError(error: unknown): E2eeError {
  if (error instanceof E2eeError) return error;
  const e = error as { code?: unknown; message?: unknown; peer?: unknown } | null;
  const message = typeof e?.message === 'string' ? e.message : String(error);
  const peer = typeof e?.peer === 'string' ? e.peer : undefined;
  return typeof e?.code === 'string' ? new E2eeError(e.code as E2eeError['code'], message, peer) : new E2eeError('internal', message, peer);
}
