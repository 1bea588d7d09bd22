/**
 * The main-thread side of the engine: starts the module worker (as
 * {@link configureEngine} says), wraps it with Comlink, and fails loudly. If
 * the worker can't be constructed, throws while loading, or does not answer
 * a ping within the timeout, every pending and every later call rejects with
 * an `E2eeError` of code `worker` naming the cause.
 *
 * Once it ran, a worker that dies or wedges is restarted (engine-supervisor.ts): the new worker has
 * the same name, so the same identity; the subscribers stay subscribed, every `configure()` is
 * applied again, calls made meanwhile wait for it, and messages not yet out are sent again with the
 * same ids (engine-outbox.ts), never in plaintext if they were held or the conversation was private.
 * Subscribers see `{ type: 'engine', phase }` events (`restarting`, `restarted`, `gave-up`).
 */
import { transfer, type Remote } from 'comlink';
import { E2eeError } from '../protocol/errors.js';
import type { EngineApi, EngineEvent, EngineListener, EnginePhase, EventPortApi } from '../worker/api.js';
import '../worker/error-transfer.js';
import { engineConfig } from './engine-config.js';
import { eventHub } from './engine-events.js';
import { Outbox, type PendingSend } from './engine-outbox.js';
import { Supervisor, WorkerDied, type Incarnation } from './engine-supervisor.js';
import { slotClaimed, slotHint, slotReleased } from './tab-instance.js';

/** Options for {@link startEngine}. */
export interface EngineClientOptions {
  /** The identity's name: engines with different names have separate keys and trust. Default `default`. */
  name?: string;
  /** How long the worker may take to answer its first ping. Default: {@link configureEngine}'s, else 10 s. */
  timeoutMs?: number;
  /** Make the worker yourself, for this engine only (tests point this at a broken script). Default: {@link configureEngine}'s. */
  createWorker?: (name: string) => Worker | Promise<Worker>;
  /** How often a running worker is pinged while it has work, in ms. Default 2000. */
  heartbeatMs?: number;
  /** How long a ping may go unanswered before the worker counts as wedged and is restarted, in ms. Default 3000 (30 s while a key may be generated). */
  heartbeatTimeoutMs?: number;
}

/** An engine running in its own worker. Every `EngineApi` method is available on it. */
export interface EngineClient extends EngineApi {
  /** The identity name. */
  readonly name: string;
  /** Resolves once the worker answered its first ping; rejects like every call when it fails. */
  readonly ready: Promise<void>;
  /** Stop the worker, on purpose: it is not restarted, and later calls reject. */
  terminate(): void;
}

type Remote_ = Remote<EngineApi & EventPortApi>;

/** How long `receive` waits for its `received` event after the call answered. */
const RECEIPT_PATIENCE_MS = 5_000;

/** Start an engine in a new worker. */
export function startEngine(options: EngineClientOptions = {}): EngineClient {
  const base = engineConfig();
  const name = options.name ?? 'default';
  const config = options.createWorker ? { ...base, createWorker: options.createWorker } : base;
  const timeoutMs = options.timeoutMs ?? base.timeoutMs ?? 10_000;

  const outbox = new Outbox();
  let inFlight = 0;
  let slow = 0; // calls that may generate a key
  let keygenRunning = false;
  let identityKnown = false;
  let restartAnnounced = false;

  /** Receipts the worker has yet to confirm (see `receive`): resolved when its `received` event arrives. */
  const receipts = new Map<string, () => void>();
  let receiptCount = 0; // receipts name one call of this client's, so a counter is unique enough
  const tap = (event: EngineEvent) => {
    if (event.type === 'received') receipts.get(event.receipt)?.();
    outbox.observe(event);
    if (event.type === 'keygen') {
      keygenRunning = event.phase === 'started';
      if (event.phase === 'done') identityKnown = true;
    }
  };
  const hub = eventHub(async (port) => {
    for (;;) {
      const incarnation = await supervisor.incarnation();
      try {
        const end = port();
        return await incarnation.run(incarnation.remote.openEvents(transfer(end, [end])));
      } catch (error) {
        if (!(error instanceof WorkerDied)) throw asTypedError(error);
      }
    }
  }, tap);
  const announce = (phase: EnginePhase, reason: string) => hub.emit({ type: 'engine', phase, reason });

  /** Hand `entry` to `incarnation` (once per worker); a death leaves it in the outbox for the next. */
  const dispatch = (entry: PendingSend, incarnation: Incarnation): void => {
    if (entry.attempt >= incarnation.generation) return;
    entry.attempt = incarnation.generation;
    const { peer, messageId } = entry;
    incarnation.run(incarnation.remote.send(peer, entry.text, messageId, outbox.options(entry))).then(
      (id) => {
        if (hub.size === 0) outbox.drop(messageId); // no one listens for its wire text: nothing to deliver, or to send again
        entry.resolve(id);
      },
      (error: unknown) => {
        if (error instanceof WorkerDied) return; // sent again by the next worker
        outbox.drop(messageId);
        const typed = asTypedError(error);
        if (!entry.settled) return entry.reject(typed);
        hub.emit({ type: 'delivery', peer, messageId, outcome: 'failed' });
        hub.emit({ type: 'error', peer, code: typed.code, message: typed.message, warning: false });
      },
    );
  };

  /** This tab's OTR instance slot (tab-instance.ts): a restarted worker asks for the same one. */
  let slot: number | undefined;
  const supervisor: Supervisor = new Supervisor(
    { name, config, timeoutMs, ...defined({ heartbeatMs: options.heartbeatMs, heartbeatTimeoutMs: options.heartbeatTimeoutMs }) },
    {
      started(remote) {
        // Posted before any other call, so the engine claims this tab's instance first.
        remote.claimInstance(slot ?? slotHint(name)).then(
          (info) => {
            if (info.slot === slot) return;
            if (slot !== undefined) slotReleased(name, slot);
            slot = info.slot;
            slotClaimed(name, info.slot);
          },
          () => undefined,
        );
      },
      restarting(reason) {
        outbox.crashed();
        hub.detach();
        if (!restartAnnounced) announce('restarting', reason);
        restartAnnounced = true;
      },
      async restore(incarnation) {
        keygenRunning = false;
        await hub.reopen((end) => incarnation.remote.openEvents(transfer(end, [end])));
        for (const [peer, settings] of outbox.configurations()) {
          // Settings the engine accepted once; a death meanwhile cuts the restore short (the supervisor races it).
          await incarnation.remote.configure(peer, settings).catch(() => undefined);
        }
        for (const entry of outbox.entries()) dispatch(entry, incarnation);
      },
      restarted(reason) {
        restartAnnounced = false;
        announce('restarted', reason);
      },
      gaveUp(error) {
        hub.detach();
        outbox.clear(error);
        announce('gave-up', error.message);
      },
      busy: () => hub.size > 0 || outbox.size > 0 || inFlight > 0 || outbox.configuredPeers > 0,
      patient: () => keygenRunning || slow > 0 || !identityKnown,
    },
  );

  /** Run `invoke` on the worker; one cut short by a restart runs again on the new worker (once), if `retry` (says). */
  const call = async <T>(invoke: (r: Remote_) => Promise<T>, retry: boolean | (() => boolean) = true): Promise<T> => {
    inFlight++;
    supervisor.poke();
    try {
      for (let cut = 0; ; cut++) {
        const incarnation = await supervisor.incarnation();
        try {
          return await incarnation.run(invoke(incarnation.remote));
        } catch (error) {
          if (!(error instanceof WorkerDied)) throw asTypedError(error);
          if (!(typeof retry === 'function' ? retry() : retry) || cut >= 1)
            throw new E2eeError('worker', `The encryption engine restarted during this call (${error.reason}); try again.`);
        }
      }
    } finally {
      inFlight--;
    }
  };
  /** A call that may generate a key: the heartbeat is patient meanwhile. */
  const keyCall = async <T>(invoke: (r: Remote_) => Promise<T>, retry = true): Promise<T> => {
    slow++;
    try {
      const result = await call(invoke, retry);
      identityKnown = true;
      return result;
    } finally {
      slow--;
    }
  };

  /**
   * {@link call} with a file's bytes, moved to the worker rather than copied: when `bytes` is a
   * Uint8Array spanning the whole of its own ArrayBuffer (as `new Uint8Array(await blob.arrayBuffer())`
   * and a download are), its buffer is transferred, and the caller's view is left detached (length 0).
   * A structured clone of 25 MiB held the page's thread ~90 ms and cost the worker another copy.
   * Views into a larger buffer, shared memory and anything else are cloned as before (the worker
   * checks the type). A call cut short by a restart runs again only if the bytes were not transferred
   * (an empty buffer counts as transferred: nothing to seal again).
   */
  const fileCall = <T>(bytes: Uint8Array, invoke: (r: Remote_, bytes: Uint8Array) => Promise<T>): Promise<T> => {
    // A view as long as its buffer starts at 0: it is the whole buffer.
    const whole = bytes instanceof Uint8Array && bytes.byteLength === bytes.buffer.byteLength && bytes.buffer instanceof ArrayBuffer && bytes.buffer;
    return call(
      (r) => invoke(r, whole ? transfer(bytes, [whole]) : bytes),
      () => !whole || whole.byteLength > 0,
    );
  };

  const client: EngineClient = {
    name,
    ready: supervisor.ready,
    terminate() {
      const error = new E2eeError('worker', 'The encryption worker was stopped.');
      supervisor.stop(error);
      if (slot !== undefined) slotReleased(name, slot);
      hub.detach();
      outbox.clear(error);
    },
    ping: () => call((r) => r.ping()),
    diagnostics: () => call((r) => r.diagnostics()),
    claimInstance: (wanted) => keyCall((r) => r.claimInstance(wanted)),
    identity: () => keyCall((r) => r.identity()),
    subscribe: async (listener: EngineListener) => {
      if (supervisor.failure) throw supervisor.failure;
      const id = await hub.subscribe(listener);
      supervisor.poke();
      return id;
    },
    unsubscribe: (id) => (supervisor.failure ? Promise.reject(supervisor.failure) : hub.unsubscribe(id)),
    configure: (peer, settings) =>
      call((r) => r.configure(peer, settings)).then(() => {
        outbox.configured(peer, settings);
        supervisor.poke();
      }),
    send: (peer, text, messageId, sendOptions) => {
      if (supervisor.failure) return Promise.reject(supervisor.failure);
      const id = messageId ?? crypto.randomUUID();
      const { entry, result } = outbox.track(peer, text, id, sendOptions);
      supervisor.poke();
      supervisor.incarnation().then(
        (incarnation) => dispatch(entry, incarnation),
        (error: unknown) => {
          outbox.drop(id);
          entry.reject(error);
        },
      );
      return result;
    },
    receive: (peer, wire, at, given) => {
      // Resolves once the page has seen every event the text caused: the events come on their own
      // port, which the call's answer may overtake. Without subscribers there are none to wait for.
      if (given !== undefined || hub.size === 0) return call((r) => r.receive(peer, wire, at, given));
      const receipt = `r${++receiptCount}`;
      let patience: ReturnType<typeof setTimeout> | undefined;
      let read = false; // the receipt came: the engine read the text, and the page saw what it showed
      const seen = new Promise<void>((resolve) => {
        receipts.set(receipt, () => {
          read = true;
          resolve();
        });
        patience = setTimeout(resolve, RECEIPT_PATIENCE_MS); // the events port may not be open yet: don't wait forever
      });
      // An engine that ends after reading (a reload, a crash) may cut off the answer, not the receipt:
      // the text was read then, and reading it again (a retry, a transport's redelivery) shows it twice.
      return call(
        (r) => r.receive(peer, wire, at, receipt),
        () => !read,
      )
        .then(
          () => seen,
          (error: unknown) => {
            if (!(read && error instanceof E2eeError && error.code === 'worker')) throw error;
          },
        )
        .finally(() => {
          clearTimeout(patience);
          receipts.delete(receipt);
        });
    },
    startPrivate: (peer) => call((r) => r.startPrivate(peer)),
    endPrivate: (peer) => call((r) => r.endPrivate(peer)),
    conversation: (peer) =>
      call((r) => r.conversation(peer)).then((info) => {
        outbox.conversation(info);
        return info;
      }),
    smpStart: (peer, secret, question) => call((r) => r.smpStart(peer, secret, question), false),
    smpAnswer: (peer, secret) => call((r) => r.smpAnswer(peer, secret), false),
    smpAbort: (peer) => call((r) => r.smpAbort(peer), false),
    exportPrivateKey: (format, account) => call((r) => r.exportPrivateKey(format, account)),
    importPrivateKey: (text, format, account) => keyCall((r) => r.importPrivateKey(text, format, account), false),
    regenerateKey: () => keyCall((r) => r.regenerateKey(), false),
    fingerprints: (peer) => call((r) => r.fingerprints(peer)),
    setVerified: (peer, fingerprint, verified) => call((r) => r.setVerified(peer, fingerprint, verified)),
    forgetPeer: (peer) => call((r) => r.forgetPeer(peer)),
    exportFingerprints: (accountName, protocol) => call((r) => r.exportFingerprints(accountName, protocol)),
    // Files: the bytes cross to the worker transferred (see fileCall) and come back transferred
    // (worker.ts); sealed files and received keys stay in that worker. A call whose bytes went to a
    // worker that died is not run again: they are gone (a retry would seal or open nothing).
    sealFile: (data, fileName, mediaType, maxBytes) => fileCall(data, (r, bytes) => r.sealFile(bytes, fileName, mediaType, maxBytes)),
    sendFile: (peer, token, at, text) => call((r) => r.sendFile(peer, token, at, text)),
    openFile: (fileId, ciphertext) => fileCall(ciphertext, (r, bytes) => r.openFile(fileId, bytes)),
  };
  return client;
}

/** The defined values of `values` (exactOptionalPropertyTypes-safe). */
function defined<T extends object>(values: T): Partial<T> {
  return Object.fromEntries(Object.entries(values).filter(([, v]) => v !== undefined)) as Partial<T>;
}

/** Errors from the worker arrive as plain `Error`s carrying `code`; give them back their class. */
function asTypedError(error: unknown): E2eeError {
  if (error instanceof E2eeError) return error;
  const e = error as { code?: unknown; message?: unknown; peer?: unknown } | null;
  const message = typeof e?.message === 'string' ? e.message : String(error);
  const peer = typeof e?.peer === 'string' ? e.peer : undefined;
  return typeof e?.code === 'string' ? new E2eeError(e.code as E2eeError['code'], message, peer) : new E2eeError('internal', message, peer);
}
