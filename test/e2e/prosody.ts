/**
 * The page's side of scripts/wtr-prosody.mjs: the test Prosody's settings,
 * its wiretap, and stopping/starting it (to break connections for real).
 */

/** One test account: a ConnectyCube user id and its password. */
export interface TestUser {
  userId: number;
  password: string;
}

/** Where the test Prosody is and who may log in. */
export interface ProsodyConfig {
  appId: number;
  chatDomain: string;
  websocketUrl: string;
  users: TestUser[];
}

import type { WiretapEntry } from '../../scripts/prosody.d.mts';

export type { WiretapEntry };

async function call<T>(route: string, method: 'GET' | 'POST' = 'GET'): Promise<T> {
  const response = await fetch(`/__prosody__/${route}`, { method, cache: 'no-store' });
  const json = (await response.json()) as T & { error?: string };
  if (!response.ok) throw new Error(`/__prosody__/${route}: ${response.status} ${json.error ?? ''}`);
  return json;
}

/** The test server's settings (waits for it to be up). */
export const prosodyConfig = (): Promise<ProsodyConfig> => call('config');
/** Everything clients sent through the server so far. */
export const readWiretap = (): Promise<WiretapEntry[]> => call('wiretap');
/** Stop the server: every connection drops. */
export const stopProsody = (): Promise<unknown> => call('stop', 'POST');
/** Start it again on the same port, with the same accounts. */
export const startProsody = (): Promise<unknown> => call('start', 'POST');

/** The bare JID local part of a ConnectyCube user: `${userId}-${appId}`. */
export const jidUser = (userId: number, appId: number): string => `${userId}-${appId}`;

/** Wiretap entries sent by any of `userIds`. */
export function sentBy(entries: WiretapEntry[], userIds: number[], appId: number): WiretapEntry[] {
  const prefixes = userIds.map((id) => `${jidUser(id, appId)}@`);
  return entries.filter((e) => prefixes.some((p) => e.from?.startsWith(p)));
}
