/**
 * The isolated mode's bridge: every message the page's shell (frame-host.ts) and the frame
 * (frame-page.ts) exchange, declared once, with the checks each side runs on what it receives.
 *
 * The frame trusts nothing from the page: a message that fails its check is refused, never
 * half-used. What crosses to the page is public by design: the transport's `?OTR` wire text,
 * states, fingerprints and delivery outcomes; message text only when the page opted in
 * (`expose-text`).
 *
 * Handshake: the frame posts {@link FrameReady} to its parent (it holds nothing secret); the shell
 * checks the frame's origin and version, then posts {@link HostHello} to that exact origin with one
 * end of a `MessageChannel`. The frame takes the first hello from its parent and no other; all
 * later traffic goes over the port.
 */
import type { ErrorCode } from '../../protocol/errors.js';
import type { TransportState } from '../transport.js';

/** Bridge version: a shell and a frame from different releases refuse each other. */
export const BRIDGE_VERSION = '1';

/** Frame → parent window, once the frame's code runs. */
export interface FrameReady {
  e2eeFrame: 'ready';
  version: string;
  /** Whether the frame can tell when it is covered (IntersectionObserver v2). */
  overlayGuard: boolean;
}

/** Parent window → frame, with the bridge port in `ports[0]`. */
export interface HostHello {
  e2eeHost: 'hello';
  version: string;
}

/** The element's settings the frame applies to its own chat. */
export interface FrameSettings {
  peer: string;
  peerName: string;
  autoPrivate: boolean;
  requireV3: boolean;
  ephemeral: boolean;
  accountName: string;
  /** Let message text cross to the page in `e2ee-message` events and `send()`. */
  exposeText: boolean;
  /** Which identity (key) the frame's engine uses. */
  identity: string;
  /** Our id on the page's transport. */
  self: string;
  maxMessageSize: number;
  transportState: TransportState;
  /** Whether the page has a file store (the element's `files`), and the largest file to send. */
  files: boolean;
  maxFileSize: number;
}

/** The methods of the element that the page may still call in isolated mode. */
export type FrameMethod = 'startPrivate' | 'endPrivate' | 'send' | 'verify' | 'exportFingerprints';

/** The names of the events the frame passes on (the element's own `e2ee-*` events). */
export const FORWARDED_EVENTS = ['e2ee-status', 'e2ee-message', 'e2ee-error', 'e2ee-keygen', 'e2ee-trust', 'e2ee-engine'] as const;
export type ForwardedEvent = (typeof FORWARDED_EVENTS)[number];

/** Page → frame, over the port. */
export type HostMessage =
  | { t: 'settings'; settings: FrameSettings }
  | { t: 'theme'; vars: Record<string, string> }
  | { t: 'incoming'; id: number; from: string; body: string; at: number }
  | { t: 'transport-state'; state: TransportState }
  | { t: 'sent'; id: number; error?: { code: ErrorCode; message: string } }
  | { t: 'call'; id: number; method: FrameMethod; arg?: string }
  /** The page's store kept the ciphertext at `at`, or could not. */
  | { t: 'file-stored'; id: number; at?: string; error?: { code: ErrorCode; message: string } }
  /** The ciphertext at the place the frame asked for, or why not. */
  | { t: 'file-fetched'; id: number; ciphertext?: Uint8Array; error?: { code: ErrorCode; message: string } }
  | { t: 'file-progress'; id: number; done: number; total: number };

/** Frame → page, over the port. */
export type FrameMessage =
  | { t: 'send'; id: number; peer: string; body: string }
  | { t: 'claim'; peer: string }
  | { t: 'read'; id: number; error?: { code: ErrorCode; message: string } }
  | { t: 'event'; name: ForwardedEvent; detail: Record<string, unknown> }
  | { t: 'result'; id: number; value?: string; error?: { code: ErrorCode; message: string } }
  | { t: 'attached' }
  /** Files: the page's store keeps or fetches ciphertext (never anything else); `file-abort` stops one. */
  | { t: 'file-put'; id: number; ciphertext: Uint8Array }
  | { t: 'file-get'; id: number; at: string }
  | { t: 'file-abort'; id: number };

/** Longest string field the frame accepts from the page (a wire body is bounded by the engine's own limit). */
const MAX_FIELD = 4 * 1024 * 1024;
const METHODS: readonly string[] = ['startPrivate', 'endPrivate', 'send', 'verify', 'exportFingerprints'];
const STATES: readonly string[] = ['connecting', 'connected', 'disconnected'];

type Fields = Record<string, unknown>;
const isRecord = (v: unknown): v is Fields => typeof v === 'object' && v !== null && !Array.isArray(v);
const str = (v: unknown, max = MAX_FIELD): v is string => typeof v === 'string' && v.length <= max;
const int = (v: unknown): v is number => Number.isSafeInteger(v) && (v as number) >= 0;
const bool = (v: unknown): v is boolean => typeof v === 'boolean';
/** A file's ciphertext: bytes, and no more than any file the element would send (512 MB bounds it). */
const bytes = (v: unknown): v is Uint8Array => v instanceof Uint8Array && v.length <= 512 * 1024 * 1024;
/** Exactly one of a reply's value and error. */
const oneOf = (value: unknown, error: unknown): boolean => (value === undefined) !== (error === undefined);
/** Exactly these keys (optional ones may be missing), nothing else. */
const keys = (v: Fields, required: string[], optional: string[] = []): boolean =>
  required.every((k) => Object.hasOwn(v, k)) && Object.keys(v).every((k) => required.includes(k) || optional.includes(k));
const errorShape = (v: unknown): boolean =>
  v === undefined || (isRecord(v) && keys(v, ['code', 'message']) && str(v.code, 64) && str(v.message, 2000));

function settingsShape(v: unknown): v is FrameSettings {
  if (!isRecord(v)) return false;
  const strings = ['peer', 'peerName', 'accountName', 'identity', 'self'];
  const flags = ['autoPrivate', 'requireV3', 'ephemeral', 'exposeText', 'files'];
  return (
    keys(v, [...strings, ...flags, 'maxMessageSize', 'transportState', 'maxFileSize']) &&
    strings.every((k) => str(v[k], 1000)) &&
    flags.every((k) => bool(v[k])) &&
    int(v.maxMessageSize) &&
    int(v.maxFileSize) &&
    STATES.includes(v.transportState as string) &&
    /^[\w.-]{1,64}$/.test(v.identity as string)
  );
}

/** The page's message if it is well formed, else undefined (the frame refuses it). */
export function parseHostMessage(data: unknown): HostMessage | undefined {
  if (!isRecord(data) || !str(data.t, 32)) return undefined;
  const ok = ((): boolean => {
    switch (data.t) {
      case 'settings':
        return keys(data, ['t', 'settings']) && settingsShape(data.settings);
      case 'theme':
        return keys(data, ['t', 'vars']) && isRecord(data.vars) && Object.values(data.vars).every((x) => str(x, 200));
      case 'incoming':
        return keys(data, ['t', 'id', 'from', 'body', 'at']) && int(data.id) && str(data.from, 1000) && str(data.body) && Number.isFinite(data.at);
      case 'transport-state':
        return keys(data, ['t', 'state']) && STATES.includes(data.state as string);
      case 'sent':
        return keys(data, ['t', 'id'], ['error']) && int(data.id) && errorShape(data.error);
      case 'call':
        return (
          keys(data, ['t', 'id', 'method'], ['arg']) &&
          int(data.id) &&
          METHODS.includes(data.method as string) &&
          (data.arg === undefined || str(data.arg, 1_000_000))
        );
      case 'file-stored':
        return (
          keys(data, ['t', 'id'], ['at', 'error']) &&
          int(data.id) &&
          (data.at === undefined || str(data.at, 2048)) &&
          errorShape(data.error) &&
          oneOf(data.at, data.error)
        );
      case 'file-fetched':
        return (
          keys(data, ['t', 'id'], ['ciphertext', 'error']) &&
          int(data.id) &&
          (data.ciphertext === undefined || bytes(data.ciphertext)) &&
          errorShape(data.error) &&
          oneOf(data.ciphertext, data.error)
        );
      case 'file-progress':
        return keys(data, ['t', 'id', 'done', 'total']) && int(data.id) && int(data.done) && int(data.total);
      default:
        return false;
    }
  })();
  return ok ? (data as HostMessage) : undefined;
}

/** The frame's message if it is well formed, else undefined (the shell ignores it). */
export function parseFrameMessage(data: unknown): FrameMessage | undefined {
  if (!isRecord(data) || !str(data.t, 32)) return undefined;
  const ok = ((): boolean => {
    switch (data.t) {
      case 'send':
        return keys(data, ['t', 'id', 'peer', 'body']) && int(data.id) && str(data.peer, 1000) && str(data.body);
      case 'claim':
        return keys(data, ['t', 'peer']) && str(data.peer, 1000);
      case 'read':
        return keys(data, ['t', 'id'], ['error']) && int(data.id) && errorShape(data.error);
      case 'event':
        return keys(data, ['t', 'name', 'detail']) && (FORWARDED_EVENTS as readonly string[]).includes(data.name as string) && isRecord(data.detail);
      case 'result':
        return keys(data, ['t', 'id'], ['value', 'error']) && int(data.id) && (data.value === undefined || str(data.value)) && errorShape(data.error);
      case 'attached':
        return keys(data, ['t']);
      case 'file-put':
        return keys(data, ['t', 'id', 'ciphertext']) && int(data.id) && bytes(data.ciphertext);
      case 'file-get':
        return keys(data, ['t', 'id', 'at']) && int(data.id) && str(data.at, 2048);
      case 'file-abort':
        return keys(data, ['t', 'id']) && int(data.id);
      default:
        return false;
    }
  })();
  return ok ? (data as FrameMessage) : undefined;
}

/** The frame's ready message, if `data` is one. */
export function parseFrameReady(data: unknown): FrameReady | undefined {
  return isRecord(data) &&
    data.e2eeFrame === 'ready' &&
    keys(data, ['e2eeFrame', 'version', 'overlayGuard']) &&
    str(data.version, 64) &&
    bool(data.overlayGuard)
    ? (data as unknown as FrameReady)
    : undefined;
}

/** The page's hello, if `data` is one. */
export function parseHostHello(data: unknown): HostHello | undefined {
  return isRecord(data) && data.e2eeHost === 'hello' && keys(data, ['e2eeHost', 'version']) && str(data.version, 64)
    ? (data as unknown as HostHello)
    : undefined;
}
