/**
 * Fetching a file's ciphertext over HTTP for a `FileStore`: the status says whether it is there, the
 * size is bounded (by Content-Length before reading, and while reading), progress is reported, and an
 * abort or a cut-off download is told apart from the rest. Every failure is an `E2eeError` of code
 * `file` (or the `AbortError`).
 */
import { E2eeError } from '../../protocol/errors.js';
import type { FileProgress } from './file-store.js';

/** GET `url` (no credentials, no redirects) and read at most `maxBytes` of it. */
export async function downloadBytes(
  fetcher: typeof fetch,
  url: string,
  { signal, progress, maxBytes }: { signal?: AbortSignal; progress?: FileProgress; maxBytes: number },
): Promise<Uint8Array> {
  let response: Response;
  try {
    response = await fetcher(url, { signal: signal ?? null, redirect: 'error', credentials: 'omit' });
  } catch (error) {
    if (signal?.aborted) throw abortError(signal);
    throw new E2eeError('file', `The download failed: ${reason(error)}.`);
  }
  if (response.status === 404 || response.status === 410) {
    await response.body?.cancel().catch(() => undefined);
    throw new E2eeError('file', `The file is not on the server (HTTP ${response.status}: removed, expired, or never uploaded).`);
  }
  if (!response.ok) {
    await response.body?.cancel().catch(() => undefined);
    throw new E2eeError('file', `The server did not give the file (HTTP ${response.status}).`);
  }
  return readBody(response, maxBytes, signal, progress);
}

async function readBody(response: Response, maxBytes: number, signal: AbortSignal | undefined, progress: FileProgress | undefined): Promise<Uint8Array> {
  const declared = response.headers.get('content-length');
  const length = declared !== null && /^\d+$/.test(declared) ? Number(declared) : undefined;
  const tooLarge = (bytes: string) => new E2eeError('file', `The file is ${bytes} bytes; this store takes at most ${maxBytes}.`);
  if (length !== undefined && length > maxBytes) {
    await response.body?.cancel().catch(() => undefined);
    throw tooLarge(String(length));
  }
  const reader = response.body?.getReader();
  let buffer = new Uint8Array(length ?? Math.min(maxBytes, 1 << 20));
  let done = 0;
  progress?.(0, length ?? 0);
  if (reader) {
    try {
      for (;;) {
        const chunk = await reader.read();
        if (chunk.done) break;
        if (done + chunk.value.length > maxBytes) {
          await reader.cancel().catch(() => undefined);
          throw tooLarge(`more than ${maxBytes}`);
        }
        if (done + chunk.value.length > buffer.length) {
          const grown = new Uint8Array(Math.min(maxBytes, Math.max(buffer.length * 2, done + chunk.value.length)));
          grown.set(buffer.subarray(0, done));
          buffer = grown;
        }
        buffer.set(chunk.value, done);
        done += chunk.value.length;
        progress?.(done, length ?? done);
      }
    } catch (error) {
      if (signal?.aborted) throw abortError(signal);
      if (error instanceof E2eeError) throw error;
      throw new E2eeError('file', `The download broke off: ${reason(error)}.`);
    }
  }
  if (length !== undefined && done !== length) {
    throw new E2eeError('file', `The download broke off: ${done} of ${length} bytes.`);
  }
  if (length === undefined) progress?.(done, done);
  return done === buffer.length ? buffer : buffer.slice(0, done);
}


export function abortError(signal: AbortSignal): Error {
  const why: unknown = signal.reason;
  return why instanceof Error && why.name === 'AbortError' ? why : new DOMException('The operation was aborted.', 'AbortError');
}

export function reason(error: unknown): string {
  if (error instanceof Error) {
    const cause = error.cause instanceof Error ? ` (${error.cause.message})` : '';
    return `${error.message}${cause}`;
  }
  return String(error);
}
