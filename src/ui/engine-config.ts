/**
 * The one place the page configures how engines start: which worker script,
 * or a factory of its own, and which Trusted Types policy vouches for the
 * script's URL. Every engine started afterwards uses it, the shared default
 * engine of `<e2ee-chat>` included.
 */

/** The part of a Trusted Types policy the engine needs: one that makes script URLs. */
export interface ScriptUrlPolicy {
  /** Return a `TrustedScriptURL` for `url` (or throw to refuse it). */
  createScriptURL(url: string): unknown;
}

/** Settings for {@link configureEngine}. All are optional. */
export interface EngineConfig {
  /**
   * Where the worker script is, when you host it yourself (the package's `e2ee-chat/worker.js`).
   * Relative URLs resolve against the document. From another origin, the worker is started
   * through a same-origin `blob:` bootstrap that imports it (the script must be served with CORS).
   * Default: the worker built into the package, started from a `blob:` URL.
   */
  workerUrl?: string | URL;
  /** Make the worker yourself; `name` must be passed on as the worker's name (it selects the identity). */
  createWorker?: (name: string) => Worker | Promise<Worker>;
  /**
   * The Trusted Types policy for the worker's script URL. Default: a policy named `e2ee-chat`,
   * created on first use when the browser has Trusted Types, which accepts only the URLs the
   * engine itself derives. `null`: pass plain strings.
   */
  trustedTypesPolicy?: ScriptUrlPolicy | null;
  /** How long a worker may take to answer its first ping. Default 10 s. */
  timeoutMs?: number;
  /**
   * Isolated mode for every `<e2ee-chat>` without an `isolated` property of its own: the chat, its
   * keys and its engine run in a cross-origin frame the page cannot read (see the README). Default:
   * isolated when the package is served from another origin than the page and the page configures
   * no worker of its own; else not.
   */
  isolated?: boolean;
  /**
   * The isolated mode's frame page (the package's `e2ee-chat/frame.html`), on an origin other than
   * the page's. Default: frame.html next to the package's modules.
   */
  frameUrl?: string | URL;
  /** The origin the frame must answer from. Default: the frame URL's origin. */
  frameOrigin?: string;
  /** How long the frame may take to answer. Default 10 s. */
  frameTimeoutMs?: number;
}

let current: Readonly<EngineConfig> = {};
let frozenBy: string | undefined;

/**
 * Configure every engine started from now on, the shared default engine included.
 * Call it before the first `<e2ee-chat>` is connected. Each call replaces the previous settings.
 * @throws Error once the shared default engine has started, since it would not see the change.
 */
export function configureEngine(config: EngineConfig): void {
  if (frozenBy) throw new Error(`configureEngine() came too late: ${frozenBy} already started with the previous settings.`);
  current = { ...config };
}

/** The settings in force. */
export function engineConfig(): Readonly<EngineConfig> {
  return current;
}

/** Called when the shared engine starts: later changes would be silently ignored, so they throw. */
export function freezeEngineConfig(by: string): void {
  frozenBy ??= by;
}
