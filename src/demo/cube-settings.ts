/**
 * Settings of the demo's "real server" mode (ConnectyCube chat over XMPP):
 * where they come from (URL query, then localStorage, then defaults that fit
 * `npm run xmpp`), how they are checked, and how a failed connection is
 * explained. No DOM here.
 */

/** Everything needed to log in to a ConnectyCube (XMPP) chat server and pick a peer. */
export interface CubeSettings {
  appId: string;
  /** Unused by chat-only logins (no REST calls are made), but the SDK wants one. */
  authKey: string;
  /** The XMPP domain; must be the websocket URL's host. */
  chatDomain: string;
  websocketUrl: string;
  /** My ConnectyCube user id. */
  userId: string;
  /** Never stored, never read from the URL. */
  password: string;
  /** The other side's ConnectyCube user id. */
  peerId: string;
}

/** The settings that are remembered (all but the password). */
export type StoredSettings = Omit<CubeSettings, 'password'>;

/** Query parameters that pre-fill the form, e.g. `?cc=1&appId=1&ws=ws://localhost:5280/xmpp-websocket&user=1001&peer=1002`. */
export const QUERY_NAMES: Readonly<Record<keyof StoredSettings, string>> = {
  appId: 'appId',
  authKey: 'authKey',
  chatDomain: 'domain',
  websocketUrl: 'ws',
  userId: 'user',
  peerId: 'peer',
};

/** The localStorage key the settings live under. */
export const STORAGE_KEY = 'e2ee-chat-demo:connectycube';

/** Defaults that match `npm run xmpp` (users 1001 and 1002, passwords password1001 and password1002). */
export const DEFAULT_SETTINGS: StoredSettings = {
  appId: '1',
  authKey: 'unused',
  chatDomain: 'localhost',
  websocketUrl: 'ws://localhost:5280/xmpp-websocket',
  userId: '1001',
  peerId: '1002',
};

const FIELDS = Object.keys(QUERY_NAMES) as (keyof StoredSettings)[];

/** True when the URL asks for the real-server mode (`?cc=1`). */
export function wantsCube(query: URLSearchParams): boolean {
  const value = query.get('cc');
  return value !== null && value !== '0' && value !== 'false';
}

function readStored(storage: Storage | undefined): Partial<StoredSettings> {
  try {
    const raw = storage?.getItem(STORAGE_KEY);
    const parsed: unknown = raw ? JSON.parse(raw) : {};
    if (typeof parsed !== 'object' || parsed === null) return {};
    const out: Partial<StoredSettings> = {};
    for (const field of FIELDS) {
      const value: unknown = Reflect.get(parsed, field);
      if (typeof value === 'string') out[field] = value;
    }
    return out;
  } catch {
    return {}; // unreadable or blocked storage: start from the defaults
  }
}

/** The form's initial values: URL query first, then what was remembered, then the defaults. */
export function initialSettings(query: URLSearchParams, storage: Storage | undefined): StoredSettings {
  const stored = readStored(storage);
  const out = { ...DEFAULT_SETTINGS, ...stored };
  for (const field of FIELDS) {
    const value = query.get(QUERY_NAMES[field]);
    if (value !== null) out[field] = value.trim();
  }
  return out;
}

/** Remember everything but the password. Storage failures are ignored (private browsing). */
export function saveSettings(settings: CubeSettings, storage: Storage | undefined): void {
  const stored: StoredSettings = {
    appId: settings.appId, authKey: settings.authKey, chatDomain: settings.chatDomain,
    websocketUrl: settings.websocketUrl, userId: settings.userId, peerId: settings.peerId,
  };
  try {
    storage?.setItem(STORAGE_KEY, JSON.stringify(stored));
  } catch {
    /* not remembered; the connection still works */
  }
}

const USER_ID = /^[1-9]\d{0,15}$/;

/** What is wrong with `settings`, in plain words, one problem per entry (empty when fine). */
export function settingsProblems(settings: CubeSettings): string[] {
  const problems: string[] = [];
  if (!settings.appId.trim()) problems.push('Enter the app id.');
  if (!USER_ID.test(settings.userId)) problems.push('Your user id must be a ConnectyCube user id (a positive whole number).');
  if (!settings.password) problems.push('Enter your password.');
  if (!USER_ID.test(settings.peerId)) problems.push('The peer id must be a ConnectyCube user id (a positive whole number).');
  else if (settings.peerId === settings.userId) problems.push('The peer must be someone else: use a different peer id.');
  let url: URL | undefined;
  try {
    url = new URL(settings.websocketUrl);
  } catch {
    problems.push('The websocket URL is not a URL (e.g. ws://localhost:5280/xmpp-websocket).');
  }
  if (url && url.protocol !== 'ws:' && url.protocol !== 'wss:') problems.push('The websocket URL must start with ws:// or wss://.');
  if (!settings.chatDomain.trim()) problems.push('Enter the chat domain.');
  else if (url && url.hostname !== settings.chatDomain) {
    problems.push(`The chat domain (${settings.chatDomain}) must be the websocket URL's host (${url.hostname}): the SDK takes the XMPP domain from the URL.`);
  }
  return problems;
}

/** Explain a failed `ConnectyCubeTransport.connect` in plain words. */
export function explainConnectError(error: unknown, settings: CubeSettings): string {
  const detail = error instanceof Error ? error.message : String(error);
  if (/not-authorized/.test(detail)) {
    return `The server refused user ${settings.userId} with this password (not-authorized). Check your user id, password and app id.`;
  }
  if (/ECONNERROR|ECONNREFUSED|WebSocket/i.test(detail)) {
    return `Could not reach the chat server at ${settings.websocketUrl}. Is it running, and is the URL right? (${detail})`;
  }
  if (/no answer in/.test(detail)) return `The chat server at ${settings.websocketUrl} did not answer in time. (${detail})`;
  if (/host-unknown|improper-addressing/.test(detail)) {
    return `The server does not serve the domain ${settings.chatDomain}. Check the chat domain. (${detail})`;
  }
  return `Could not connect: ${detail}`;
}
