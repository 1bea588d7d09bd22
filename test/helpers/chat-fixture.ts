/** Test helper: `<e2ee-chat>` elements on the loopback, each with its own engine, recording their events. */
import '../../src/ui/e2ee-chat.js';
import type { E2eeChat } from '../../src/ui/e2ee-chat.js';
import { LoopbackTransport, startEngine, type EngineClient, type EngineClientOptions } from '../../src/ui/index.js';
import type { E2eeEventMap } from '../../src/ui/events.js';
import { RecordingTransport } from './recording-transport.js';
import { until } from './engine-pair.js';

const unique = () => `c${Date.now()}-${Math.random().toString(36).slice(2)}`;
export type Recorded = { [K in keyof E2eeEventMap]: E2eeEventMap[K]['detail'][] };

export interface Mounted {
  el: E2eeChat;
  engine: EngineClient;
  transport: RecordingTransport;
  events: Recorded;
}

export function mount(me: string, peer: string, transport: LoopbackTransport, attrs: Record<string, string> = {}, engineOptions: EngineClientOptions = {}): Mounted {
  const el = document.createElement('e2ee-chat');
  for (const [k, v] of Object.entries(attrs)) el.setAttribute(k, v);
  el.peer = peer;
  const engine = startEngine({ name: unique(), ...engineOptions });
  el.engine = engine;
  const recording = new RecordingTransport(transport);
  el.transport = recording;
  const events: Recorded = { 'e2ee-status': [], 'e2ee-message': [], 'e2ee-error': [], 'e2ee-keygen': [], 'e2ee-trust': [], 'e2ee-engine': [], 'e2ee-frame': [] };
  for (const type of Object.keys(events) as (keyof Recorded)[]) {
    // Listen on document: the events must bubble and be composed.
    document.addEventListener(type, (e) => {
      if (e.composedPath()[0] === el) (events[type] as unknown[]).push((e as CustomEvent).detail);
    });
  }
  document.body.append(el);
  void me;
  return { el, engine, transport: recording, events };
}

/** Alice (with `attrs`, and her engine made with `aliceEngine`) and Bob, on one loopback. */
export function pairOfChats(attrs: Record<string, string> = {}, aliceEngine: EngineClientOptions = {}): [Mounted, Mounted] {
  const [ta, tb] = LoopbackTransport.pair('alice', 'bob');
  return [mount('alice', 'bob', ta, attrs, aliceEngine), mount('bob', 'alice', tb)];
}

export function unmount(...chats: Mounted[]) {
  for (const c of chats) {
    c.el.remove();
    c.engine.terminate();
  }
}

export const shadow = (el: E2eeChat) => el.shadowRoot!;
export const keygenDone = (m: Mounted) => until(() => m.events['e2ee-keygen'].some((k) => k.phase === 'done'), 'keygen done', 60_000);

