/**
 * Starts the engine's worker as {@link EngineConfig} says: a factory of the
 * page's, a URL (same-origin directly, cross-origin through a same-origin
 * `blob:` bootstrap that imports it), or the built-in worker code. Every
 * script URL goes through a Trusted Types policy when the browser has them.
 */
import { defaultWorkerSource, type WorkerSource } from './default-worker.js';
import type { EngineConfig, ScriptUrlPolicy } from './engine-config.js';

/** URLs this module derived itself: the only ones its own policy accepts. */
const derived = new Set<string>();
/** One blob URL per code text (the built-in worker, or a bootstrap), kept for the page's lifetime. */
const blobs = new Map<string, string>();
let ownPolicy: ScriptUrlPolicy | null | undefined;

/** Start the worker for identity `name`. Rejects with the browser's reason when it can't be constructed. */
export async function launchWorker(name: string, config: Readonly<EngineConfig>): Promise<Worker> {
  if (config.createWorker) return config.createWorker(name);
  const source: WorkerSource = config.workerUrl !== undefined ? { url: new URL(config.workerUrl, document.baseURI) } : await defaultWorkerSource();
  const url =
    'code' in source
      ? blobUrl(source.code)
      : source.url.origin === location.origin
        ? source.url.href
        : blobUrl(`import ${JSON.stringify(source.url.href)};\n`);
  derived.add(url);
  const policy = config.trustedTypesPolicy === undefined ? defaultPolicy() : config.trustedTypesPolicy;
  const scriptUrl = policy ? policy.createScriptURL(url) : url;
  return new Worker(scriptUrl as string, { type: 'module', name });
}

function blobUrl(code: string): string {
  let url = blobs.get(code);
  if (!url) {
    url = URL.createObjectURL(new Blob([code], { type: 'text/javascript' }));
    blobs.set(code, url);
  }
  return url;
}

interface TrustedTypesFactory {
  createPolicy(name: string, rules: { createScriptURL(url: string): string }): ScriptUrlPolicy;
}

/** Our policy `e2ee-chat`, made once; none where the browser lacks Trusted Types or the page's CSP forbids the name. */
function defaultPolicy(): ScriptUrlPolicy | null {
  if (ownPolicy !== undefined) return ownPolicy;
  const factory = (globalThis as { trustedTypes?: TrustedTypesFactory }).trustedTypes;
  try {
    ownPolicy =
      factory?.createPolicy('e2ee-chat', {
        createScriptURL(url) {
          if (!derived.has(url)) throw new TypeError(`e2ee-chat: refusing an unexpected worker URL: ${url}`);
          return url;
        },
      }) ?? null;
  } catch {
    ownPolicy = null; // the page's `trusted-types` directive does not allow the name: pass strings and let the page's own policy decide
  }
  return ownPolicy;
}
