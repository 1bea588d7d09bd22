/**
 * Test helpers for encrypted files over the WTR Prosody (scripts/wtr-prosody.mjs): its upload
 * service's settings, the uploads it keeps on disk (listed, searched, tampered with, deleted), a
 * `FileStore` wrapper that records what it was given and can misbehave on `put`, and the test files.
 */
import type { FileProgress, FileStore } from '../../src/ui/file-stores/file-store.js';
import type { CubeChatSide } from './cube-chat.js';

/** `/__prosody__/config`'s upload part (null when the server runs without file upload). */
export interface UploadConfig {
  domain: string;
  origin: string;
  sizeLimit: number;
}

/** One file Prosody keeps for an upload slot. */
export interface StoredUpload {
  slot: string;
  size: number;
  /** base64, like a file reference's `sha256`. */
  sha256: string;
  /** With `listUploads(bytes)`: whether the file holds those bytes. */
  contains?: boolean;
}

async function call<T>(route: string, method: 'GET' | 'POST' = 'GET'): Promise<T> {
  const response = await fetch(`/__prosody__/${route}`, { method, cache: 'no-store' });
  const json = (await response.json()) as T & { error?: string };
  if (!response.ok) throw new Error(`/__prosody__/${route}: ${response.status} ${json.error ?? ''}`);
  return json;
}

export const b64 = (bytes: Uint8Array): string => {
  let text = '';
  for (let i = 0; i < bytes.length; i += 0x8000) text += String.fromCharCode(...bytes.subarray(i, i + 0x8000));
  return btoa(text);
};

export const uploadConfig = async (): Promise<UploadConfig | null> => (await call<{ upload?: UploadConfig | null }>('config')).upload ?? null;
/** Every stored upload; with `needle`, each says whether it contains those bytes. */
export const listUploads = (needle?: Uint8Array): Promise<StoredUpload[]> =>
  call(needle ? `uploads?contains=${encodeURIComponent(b64(needle))}` : 'uploads');
export const tamperUpload = (slot: string): Promise<unknown> => call(`uploads/tamper?slot=${encodeURIComponent(slot)}`, 'POST');
export const deleteUpload = (slot: string): Promise<unknown> => call(`uploads/delete?slot=${encodeURIComponent(slot)}`, 'POST');
/** The slot id in a mod_http_file_share URL: http://host/file_share/<slot>/<name>. */
export const slotOf = (url: string): string => decodeURIComponent(new URL(url).pathname.split('/')[2] ?? '');

export const sha256 = async (bytes: Uint8Array): Promise<string> => b64(new Uint8Array(await crypto.subtle.digest('SHA-256', bytes as BufferSource)));

/** One `put` as the wrapped store made it. */
export interface RecordedPut {
  at: string;
  size: number;
  sha256: string;
}

/**
 * A `FileStore` around another: records each ciphertext it puts (size and hash), and, when
 * `sabotage` is set, lets it change the upload or the URL before the element sends the reference.
 */
export class RecordingStore implements FileStore {
  readonly puts: RecordedPut[] = [];
  sabotage: ((at: string) => Promise<string>) | undefined;

  constructor(readonly inner: FileStore) {}

  async put(ciphertext: Uint8Array, options?: { signal?: AbortSignal; progress?: FileProgress }): Promise<string> {
    const at = await this.inner.put(ciphertext, options);
    this.puts.push({ at, size: ciphertext.length, sha256: await sha256(ciphertext) });
    return this.sabotage ? this.sabotage(at) : at;
  }

  get(at: string, options?: { signal?: AbortSignal; progress?: FileProgress }): Promise<Uint8Array> {
    return this.inner.get(at, options);
  }
}

/** A recognisable 64 bytes put in every big test file; it must never be seen by the server. */
export const MARKER = new TextEncoder().encode('E2EE-FILES-E2E-MARKER: this must never be readable on the server');
/** The first 8 bytes of every PNG. */
export const PNG_SIGNATURE = new Uint8Array([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);

/** A file of `size` random bytes with {@link MARKER} in it, and its bytes. */
export function markedFile(name: string, size = 10 * 1024 * 1024): { file: File; bytes: Uint8Array } {
  const bytes = new Uint8Array(size);
  for (let i = 0; i < size; i += 65_536) crypto.getRandomValues(bytes.subarray(i, i + 65_536));
  bytes.set(MARKER, Math.floor(size / 3));
  return { file: new File([bytes], name, { type: 'application/octet-stream' }), bytes };
}

/** A 64×48 PNG drawn with OffscreenCanvas, and its bytes. */
export async function pngFile(name: string, colour: string): Promise<{ file: File; bytes: Uint8Array }> {
  const canvas = new OffscreenCanvas(64, 48);
  const g = canvas.getContext('2d')!;
  g.fillStyle = colour;
  g.fillRect(0, 0, 64, 48);
  g.fillStyle = '#fff';
  g.fillRect(8, 8, 16, 16);
  const bytes = new Uint8Array(await (await canvas.convertToBlob({ type: 'image/png' })).arrayBuffer());
  return { file: new File([bytes], name, { type: 'image/png' }), bytes };
}

export const sameBytes = (a: Uint8Array, b: Uint8Array): boolean => a.length === b.length && a.every((x, i) => x === b[i]);

const root = (side: CubeChatSide): ShadowRoot => side.el.shadowRoot!;
/** The file card named `name` in `side`'s message list. */
export const card = (side: CubeChatSide, name: string): HTMLElement | undefined =>
  [...root(side).querySelectorAll<HTMLElement>('[part=file]')].find((c) => c.querySelector('.file-name')?.textContent === name);
export const phase = (side: CubeChatSide, name: string): string | undefined => card(side, name)?.dataset.phase;

/** Attach `files` the way the person does: through the composer's file input. */
export function attach(side: CubeChatSide, ...files: File[]): void {
  const input = root(side).querySelector<HTMLInputElement>('[part=attach-button] input[type=file]');
  if (!input) throw new Error(`no attach button at ${side.user.userId} (is \`files\` set?)`);
  const picked = new DataTransfer();
  for (const file of files) picked.items.add(file);
  input.files = picked.files;
  input.dispatchEvent(new Event('change', { bubbles: true }));
}

/** Run `body`, failing after `ms` (each test's own time box, under the runner's 180 s). */
export async function timeBoxed(ms: number, what: string, body: () => Promise<void>): Promise<void> {
  let timer: ReturnType<typeof setTimeout> | undefined;
  const late = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`${what}: over its ${ms / 1000} s time box`)), ms);
  });
  try {
    await Promise.race([body(), late]);
  } finally {
    clearTimeout(timer);
  }
}
