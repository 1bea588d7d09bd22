// Types for scripts/prosody.mjs (so TypeScript tests can import it).

/** One account to create: `user` is the JID local part (ConnectyCube: `${userId}-${appId}`). */
export interface ProsodyUser {
  user: string;
  password: string;
}

/** One client-sent <message/> as mod_wiretap recorded it. */
export interface WiretapEntry {
  from: string | null;
  to: string | null;
  type: string | null;
  id: string | null;
  /** null for messages without a body. */
  body: string | null;
}

export interface ProsodyOptions {
  /** HTTP/websocket port; default 5280; 0 picks a free one. */
  port?: number;
  users?: ProsodyUser[];
  /** Folder under .prosody/; default `port-<port>`. */
  name?: string;
  /** Wipe earlier data, log and wiretap first; default true. */
  fresh?: boolean;
  timeoutMs?: number;
  log?: (line: string) => void;
  /**
   * XEP-0363 HTTP File Upload (mod_http_file_share as the component {@link UPLOAD_DOMAIN}); default
   * off. `sizeLimit`: largest upload in bytes, default {@link DEFAULT_FILE_SHARE_SIZE_LIMIT}.
   */
  fileShare?: boolean | { sizeLimit?: number };
}

/** The upload service when `fileShare` is on. */
export interface RunningFileShare {
  /** The component's JID, e.g. upload.localhost. */
  domain: string;
  sizeLimit: number;
  /** Where slot URLs point: http://localhost:<port>. */
  httpOrigin: string;
  /** The folder holding the uploaded files (and, one level up, uploads.list: the slots' metadata). */
  dataDir: string;
  /** The file Prosody keeps for slot id `slot` (the path segment after /file_share/ in slot URLs). */
  storedFile(slot: string): string;
}

export interface RunningProsody {
  /** e.g. ws://localhost:5399/xmpp-websocket */
  url: string;
  domain: string;
  port: number;
  dir: string;
  configFile: string;
  wiretapFile: string;
  logFile: string;
  pid: number;
  /** Milliseconds from spawning Prosody until its websocket endpoint answered. */
  startupMs: number;
  /** Null unless started with `fileShare`. */
  fileShare: RunningFileShare | null;
  register(user: string, password: string): void;
  readWiretap(): WiretapEntry[];
  clearWiretap(): void;
  stop(): Promise<void>;
}

export const DOMAIN: string;
export const DEFAULT_PORT: number;
export const UPLOAD_DOMAIN: string;
export const DEFAULT_FILE_SHARE_SIZE_LIMIT: number;
export function ccUser(userId: number | string, appId: number | string): string;
export function ensureProsody(options?: { log?: (line: string) => void }): void;
export function freePort(): Promise<number>;
export function registerUser(configFile: string, user: string, password: string): void;
export function startProsody(options?: ProsodyOptions): Promise<RunningProsody>;
