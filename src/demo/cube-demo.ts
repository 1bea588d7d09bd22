/**
 * The demo's "real server" mode: a settings form for a ConnectyCube (XMPP)
 * deployment and, once connected, one `<e2ee-chat>` with the chosen peer.
 * Works against `npm run xmpp` (a local Prosody) with the defaults.
 */
import { html, nothing, render } from 'lit';
import '../ui/e2ee-chat.js';
import type { E2eeChat } from '../ui/e2ee-chat.js';
import { startEngine, type EngineClient } from '../ui/index.js';
import { ConnectyCubeTransport } from '../ui/connectycube-transport.js';
import type { TransportState } from '../ui/transport.js';
import {
  explainConnectError, initialSettings, saveSettings, settingsProblems, type CubeSettings, type StoredSettings,
} from './cube-settings.js';

/** Options for {@link mountCubeDemo}. */
export interface CubeDemoOptions {
  /** Pre-fills the form (see `QUERY_NAMES`); default: the page's query. */
  query?: URLSearchParams;
  /** Where the settings are remembered; default `localStorage`. */
  storage?: Storage;
  /** Called with a line for each component event, for the page's event log. */
  log?: (line: string) => void;
}

/** A mounted real-server demo. */
export interface CubeDemo {
  /** The chat, once connected. */
  readonly chat: E2eeChat | undefined;
  /** The transport, once connected. */
  readonly transport: ConnectyCubeTransport | undefined;
  /** Close the connection and remove the chat; the form is editable again. */
  disconnect(): Promise<void>;
}

type Phase = 'editing' | 'connecting' | 'connected';

const FIELDS: { key: keyof CubeSettings; label: string; type?: string; hint?: string }[] = [
  { key: 'appId', label: 'App id' },
  { key: 'authKey', label: 'Auth key', hint: 'not used for chat-only logins' },
  { key: 'chatDomain', label: 'Chat domain' },
  { key: 'websocketUrl', label: 'Websocket URL', type: 'url' },
  { key: 'userId', label: 'My user id', type: 'text' },
  { key: 'password', label: 'My password', type: 'password', hint: 'never stored' },
  { key: 'peerId', label: 'Peer user id', type: 'text' },
];

/** Silence the SDK's per-stanza console logging (its configuration is global to the page). */
async function quietSdk(settings: CubeSettings): Promise<void> {
  const { default: sdk } = await import('connectycube');
  new sdk.ConnectyCube().init({ appId: settings.appId, authKey: settings.authKey || 'unused' }, { debug: { mode: 0 } } as Parameters<typeof sdk.init>[1]);
}

/** Render the settings form into `container` and connect on submit. */
export function mountCubeDemo(container: HTMLElement, options: CubeDemoOptions = {}): CubeDemo {
  const storage = options.storage ?? (typeof localStorage === 'undefined' ? undefined : localStorage);
  const log = options.log ?? (() => {});
  const initial: StoredSettings = initialSettings(options.query ?? new URLSearchParams(location.search), storage);
  let settings: CubeSettings = { ...initial, password: '' };
  let phase: Phase = 'editing';
  let problems: string[] = [];
  let chat: E2eeChat | undefined;
  let engine: EngineClient | undefined;
  let transport: ConnectyCubeTransport | undefined;
  let linkState: TransportState = 'disconnected';
  const chatSlot = document.createElement('div');
  chatSlot.className = 'cc-chat';

  const field = (f: (typeof FIELDS)[number]) => html`
    <label class="cc-field">
      <span>${f.label}${f.hint ? html` <small>(${f.hint})</small>` : nothing}</span>
      <input id=${`cc-${f.key}`} name=${f.key} type=${f.type ?? 'text'} .value=${settings[f.key]} autocomplete=${f.key === 'password' ? 'current-password' : 'off'}
        @input=${(e: Event) => { settings = { ...settings, [f.key]: (e.target as HTMLInputElement).value.trim() }; }} />
    </label>`;

  const update = (): void => {
    render(html`
      <form id="cc-form" class="cc-form" novalidate @submit=${onSubmit} aria-describedby="cc-error">
        <fieldset ?disabled=${phase !== 'editing'}>
          <legend>ConnectyCube / XMPP server</legend>
          ${FIELDS.map(field)}
        </fieldset>
        <div class="cc-actions">
          ${phase === 'connected'
            ? html`<button type="button" id="cc-disconnect" @click=${() => void disconnect()}>Disconnect</button>
                ${linkState === 'disconnected' ? html`<button type="button" id="cc-reconnect" @click=${() => void reconnect()}>Reconnect</button>` : nothing}`
            : html`<button type="submit" id="cc-connect" ?disabled=${phase === 'connecting'}>${phase === 'connecting' ? 'Connecting…' : 'Connect'}</button>`}
          <span id="cc-status" role="status" aria-live="polite">${statusText()}</span>
        </div>
        <div id="cc-error" role="alert" class="cc-error" ?hidden=${problems.length === 0}>
          ${problems.length === 1 ? problems[0] : html`<ul>${problems.map((p) => html`<li>${p}</li>`)}</ul>`}
        </div>
      </form>`, container);
    if (chatSlot.parentNode !== container) container.append(chatSlot);
  };

  const statusText = (): string => {
    if (phase === 'connecting') return `Connecting to ${settings.websocketUrl}…`;
    if (phase !== 'connected') return '';
    return linkState === 'connected' ? `Connected as ${settings.userId}, talking to ${settings.peerId}.` : `Connection ${linkState}.`;
  };

  async function onSubmit(event: Event): Promise<void> {
    event.preventDefault();
    if (phase !== 'editing') return;
    problems = settingsProblems(settings);
    if (problems.length > 0) return update();
    phase = 'connecting';
    update();
    try {
      await quietSdk(settings);
      transport = await ConnectyCubeTransport.connect({
        appId: settings.appId, authKey: settings.authKey || 'unused', chatDomain: settings.chatDomain,
        websocketUrl: settings.websocketUrl, userId: settings.userId, password: settings.password,
        autoReconnectSeconds: 5,
      });
    } catch (error) {
      phase = 'editing';
      problems = [explainConnectError(error, settings)];
      return update();
    }
    saveSettings(settings, storage);
    transport.claim(settings.peerId); // the peer's plaintext (before any OTR) belongs to this chat, not to nobody
    linkState = transport.state;
    transport.onStateChange((state) => { linkState = state; update(); });
    phase = 'connected';
    mountChat(transport);
    update();
  }

  function mountChat(link: ConnectyCubeTransport): void {
    const element = document.createElement('e2ee-chat');
    element.id = 'chat-cc';
    element.peer = settings.peerId;
    element.peerName = `User ${settings.peerId}`;
    engine = startEngine({ name: `cc-${settings.appId}-${settings.userId}` }); // one identity per account, kept across visits
    element.engine = engine;
    element.transport = link;
    for (const type of ['e2ee-status', 'e2ee-keygen', 'e2ee-error'] as const) {
      element.addEventListener(type, (e) => log(`${settings.userId}: ${type} ${JSON.stringify(e.detail)}`));
    }
    chatSlot.replaceChildren(element);
    chat = element;
  }

  async function reconnect(): Promise<void> {
    try {
      problems = [];
      await transport?.reconnect();
    } catch (error) {
      problems = [explainConnectError(error, settings)];
    }
    update();
  }

  async function disconnect(): Promise<void> {
    chat?.remove();
    engine?.terminate();
    await transport?.close();
    chat = undefined;
    engine = undefined;
    transport = undefined;
    phase = 'editing';
    problems = [];
    update();
  }

  update();
  return {
    get chat() { return chat; },
    get transport() { return transport; },
    disconnect,
  };
}
