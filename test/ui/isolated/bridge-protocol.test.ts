/**
 * The isolated mode's bridge checks: every well-formed message is taken as it is, and anything else
 * (wrong types, extra or missing keys, oversized strings, unknown kinds) is refused as a whole.
 */
import { describe, expect, it } from 'vitest';
import { BRIDGE_VERSION, parseFrameMessage, parseFrameReady, parseHostHello, parseHostMessage } from '../../../src/ui/isolated/bridge-protocol.js';

/** Well-formed settings, with `over` changed or added. */
const settings = (over: Record<string, unknown> = {}): Record<string, unknown> => ({
  peer: 'bob',
  peerName: 'Bob',
  autoPrivate: true,
  requireV3: false,
  ephemeral: false,
  accountName: 'alice@example.org',
  exposeText: false,
  identity: 'work.alice-1',
  self: 'alice',
  maxMessageSize: 4096,
  transportState: 'connected',
  files: true,
  maxFileSize: 25 * 1024 * 1024,
  ...over,
});

/** `record` without `key`. */
const without = (record: Record<string, unknown>, key: string): Record<string, unknown> =>
  Object.fromEntries(Object.entries(record).filter(([k]) => k !== key));

const error = { code: 'too-large', message: 'Too large.' };

describe('parseHostMessage', () => {
  const good: Record<string, unknown>[] = [
    { t: 'settings', settings: settings() },
    { t: 'settings', settings: settings({ transportState: 'connecting', identity: 'a' }) },
    { t: 'settings', settings: settings({ transportState: 'disconnected', maxMessageSize: 0 }) },
    { t: 'theme', vars: {} },
    { t: 'theme', vars: { '--e2ee-bg': '#ffffff', '--e2ee-radius': 'x'.repeat(200) } },
    { t: 'incoming', id: 0, from: 'bob', body: '?OTR:AAMD', at: 1_700_000_000_000 },
    { t: 'transport-state', state: 'disconnected' },
    { t: 'sent', id: 7 },
    { t: 'sent', id: 7, error },
    { t: 'call', id: 1, method: 'startPrivate' },
    { t: 'call', id: 2, method: 'endPrivate' },
    { t: 'call', id: 3, method: 'send', arg: 'hello' },
    { t: 'call', id: 4, method: 'verify', arg: 'ABCD' },
    { t: 'call', id: 5, method: 'exportFingerprints' },
    { t: 'file-stored', id: 6, at: 'https://upload.example/f/1' },
    { t: 'file-stored', id: 6, error },
    { t: 'file-fetched', id: 7, ciphertext: new Uint8Array(32) },
    { t: 'file-fetched', id: 7, error },
    { t: 'file-progress', id: 7, done: 10, total: 48 },
  ];

  it.each(good.map((m) => [`${String(m.t)} ${JSON.stringify(m).slice(0, 60)}`, m] as const))('accepts %s', (_, message) => {
    expect(parseHostMessage(message)).toBe(message);
  });

  const bad: [string, unknown][] = [
    ['null', null],
    ['undefined', undefined],
    ['a string', 'settings'],
    ['a number', 42],
    ['an array', [{ t: 'theme', vars: {} }]],
    ['no t', { vars: {} }],
    ['a non-string t', { t: 1, vars: {} }],
    ['an unknown t', { t: 'evaluate', code: '1' }],
    ['file-stored: neither place nor error', { t: 'file-stored', id: 1 }],
    ['file-stored: both place and error', { t: 'file-stored', id: 1, at: 'x', error }],
    ['file-fetched: text instead of bytes', { t: 'file-fetched', id: 1, ciphertext: 'not bytes' }],
    ['file-fetched: an ArrayBuffer instead of bytes', { t: 'file-fetched', id: 1, ciphertext: new ArrayBuffer(4) }],
    ['settings: maxFileSize negative', { t: 'settings', settings: settings({ maxFileSize: -1 }) }],
    ['settings: files not a boolean', { t: 'settings', settings: settings({ files: 'yes' }) }],
    ['a t the frame sends, not the page', { t: 'attached' }],
    ['an over-long t', { t: 'theme'.padEnd(33, 'x'), vars: {} }],
    // settings
    ['settings: missing settings', { t: 'settings' }],
    ['settings: null settings', { t: 'settings', settings: null }],
    ['settings: array settings', { t: 'settings', settings: [settings()] }],
    ['settings: extra key on the message', { t: 'settings', settings: settings(), extra: 1 }],
    ['settings: extra key in settings', { t: 'settings', settings: settings({ evil: true }) }],
    ['settings: a missing key', { t: 'settings', settings: without(settings(), 'self') }],
    ['settings: peer not a string', { t: 'settings', settings: settings({ peer: 42 }) }],
    ['settings: peer of 1001 chars', { t: 'settings', settings: settings({ peer: 'p'.repeat(1001) }) }],
    ['settings: a flag not boolean', { t: 'settings', settings: settings({ exposeText: 'yes' }) }],
    ['settings: maxMessageSize negative', { t: 'settings', settings: settings({ maxMessageSize: -1 }) }],
    ['settings: maxMessageSize not integer', { t: 'settings', settings: settings({ maxMessageSize: 1.5 }) }],
    ['settings: maxMessageSize a string', { t: 'settings', settings: settings({ maxMessageSize: '4096' }) }],
    ['settings: transportState unknown', { t: 'settings', settings: settings({ transportState: 'open' }) }],
    ['settings: transportState undefined', { t: 'settings', settings: settings({ transportState: undefined }) }],
    ['settings: identity empty', { t: 'settings', settings: settings({ identity: '' }) }],
    ['settings: identity with a slash', { t: 'settings', settings: settings({ identity: 'a/b' }) }],
    ['settings: identity with a space', { t: 'settings', settings: settings({ identity: 'a b' }) }],
    ['settings: identity with a colon', { t: 'settings', settings: settings({ identity: 'e2ee:x' }) }],
    ['settings: identity of 65 chars', { t: 'settings', settings: settings({ identity: 'i'.repeat(65) }) }],
    ['settings: identity not a string', { t: 'settings', settings: settings({ identity: 1 }) }],
    // theme
    ['theme: missing vars', { t: 'theme' }],
    ['theme: null vars', { t: 'theme', vars: null }],
    ['theme: array vars', { t: 'theme', vars: ['#fff'] }],
    ['theme: a value of 201 chars', { t: 'theme', vars: { '--e2ee-bg': 'x'.repeat(201) } }],
    ['theme: a non-string value', { t: 'theme', vars: { '--e2ee-bg': 0 } }],
    ['theme: an object value', { t: 'theme', vars: { '--e2ee-bg': {} } }],
    ['theme: extra key', { t: 'theme', vars: {}, css: 'body{}' }],
    // incoming
    ['incoming: negative id', { t: 'incoming', id: -1, from: 'bob', body: 'x', at: 0 }],
    ['incoming: fractional id', { t: 'incoming', id: 0.5, from: 'bob', body: 'x', at: 0 }],
    ['incoming: id a string', { t: 'incoming', id: '1', from: 'bob', body: 'x', at: 0 }],
    ['incoming: unsafe id', { t: 'incoming', id: 2 ** 53, from: 'bob', body: 'x', at: 0 }],
    ['incoming: NaN at', { t: 'incoming', id: 1, from: 'bob', body: 'x', at: Number.NaN }],
    ['incoming: Infinity at', { t: 'incoming', id: 1, from: 'bob', body: 'x', at: Infinity }],
    ['incoming: at a string', { t: 'incoming', id: 1, from: 'bob', body: 'x', at: '0' }],
    ['incoming: from of 1001 chars', { t: 'incoming', id: 1, from: 'f'.repeat(1001), body: 'x', at: 0 }],
    ['incoming: body not a string', { t: 'incoming', id: 1, from: 'bob', body: ['x'], at: 0 }],
    ['incoming: missing body', { t: 'incoming', id: 1, from: 'bob', at: 0 }],
    ['incoming: extra key', { t: 'incoming', id: 1, from: 'bob', body: 'x', at: 0, html: '<b>' }],
    // transport-state
    ['transport-state: unknown state', { t: 'transport-state', state: 'open' }],
    ['transport-state: missing state', { t: 'transport-state' }],
    ['transport-state: extra key', { t: 'transport-state', state: 'connected', x: 1 }],
    // sent
    ['sent: missing id', { t: 'sent' }],
    ['sent: negative id', { t: 'sent', id: -3 }],
    ['sent: error not an object', { t: 'sent', id: 1, error: 'failed' }],
    ['sent: error null', { t: 'sent', id: 1, error: null }],
    ['sent: error missing message', { t: 'sent', id: 1, error: { code: 'too-large' } }],
    ['sent: error with an extra key', { t: 'sent', id: 1, error: { ...error, stack: 's' } }],
    ['sent: error code of 65 chars', { t: 'sent', id: 1, error: { code: 'c'.repeat(65), message: 'm' } }],
    ['sent: error message of 2001 chars', { t: 'sent', id: 1, error: { code: 'c', message: 'm'.repeat(2001) } }],
    ['sent: extra key', { t: 'sent', id: 1, value: 'x' }],
    // call
    ['call: a method not in the list', { t: 'call', id: 1, method: 'exportIdentity' }],
    ['call: a prototype method name', { t: 'call', id: 1, method: 'constructor' }],
    ['call: method not a string', { t: 'call', id: 1, method: ['send'] }],
    ['call: missing method', { t: 'call', id: 1 }],
    ['call: fractional id', { t: 'call', id: 1.1, method: 'send' }],
    ['call: arg not a string', { t: 'call', id: 1, method: 'send', arg: 5 }],
    ['call: arg over 1,000,000 chars', { t: 'call', id: 1, method: 'send', arg: 'a'.repeat(1_000_001) }],
    ['call: extra key', { t: 'call', id: 1, method: 'send', args: ['x'] }],
    ['a __proto__ key', JSON.parse('{"t":"transport-state","state":"connected","__proto__":{}}')],
    ['a __proto__ key in settings', { t: 'settings', settings: JSON.parse(`{${JSON.stringify(settings()).slice(1, -1)},"__proto__":{"peer":"x"}}`) }],
    ['a __proto__ key in theme vars', { t: 'theme', vars: JSON.parse('{"--e2ee-bg":"#fff","__proto__":{}}') }],
  ];

  it.each(bad)('refuses %s', (_, message) => {
    expect(parseHostMessage(message)).toBeUndefined();
  });

  it('the largest accepted sizes are accepted (the limits are where they say)', () => {
    const peer = { t: 'settings', settings: settings({ peer: 'p'.repeat(1000), identity: 'i'.repeat(64) }) };
    expect(parseHostMessage(peer)).toBe(peer);
    const arg = { t: 'call', id: Number.MAX_SAFE_INTEGER, method: 'send', arg: 'a'.repeat(1_000_000) };
    expect(parseHostMessage(arg)).toBe(arg);
  });
});

describe('parseFrameMessage', () => {
  const good: Record<string, unknown>[] = [
    { t: 'send', id: 0, peer: 'bob', body: '?OTRv3?' },
    { t: 'claim', peer: 'bob' },
    { t: 'read', id: 3 },
    { t: 'read', id: 3, error },
    { t: 'event', name: 'e2ee-status', detail: { state: 'private' } },
    { t: 'event', name: 'e2ee-message', detail: {} },
    { t: 'event', name: 'e2ee-error', detail: { code: 'malformed' } },
    { t: 'event', name: 'e2ee-keygen', detail: { phase: 'started' } },
    { t: 'event', name: 'e2ee-trust', detail: {} },
    { t: 'event', name: 'e2ee-engine', detail: {} },
    { t: 'result', id: 1 },
    { t: 'result', id: 1, value: 'fingerprints' },
    { t: 'result', id: 1, error },
    { t: 'attached' },
    { t: 'file-put', id: 1, ciphertext: new Uint8Array(48) },
    { t: 'file-get', id: 2, at: 'memory-file:1' },
    { t: 'file-abort', id: 1 },
  ];

  it.each(good.map((m) => [JSON.stringify(m), m] as const))('accepts %s', (_, message) => {
    expect(parseFrameMessage(message)).toBe(message);
  });

  const bad: [string, unknown][] = [
    ['null', null],
    ['an array', [{ t: 'attached' }]],
    ['a string', 'attached'],
    ['an unknown t', { t: 'navigate', url: 'https://example.org' }],
    ['a t the page sends, not the frame', { t: 'incoming', id: 1, from: 'bob', body: 'x', at: 0 }],
    ['send: negative id', { t: 'send', id: -1, peer: 'bob', body: 'x' }],
    ['send: fractional id', { t: 'send', id: 2.5, peer: 'bob', body: 'x' }],
    ['send: peer of 1001 chars', { t: 'send', id: 1, peer: 'p'.repeat(1001), body: 'x' }],
    ['send: missing body', { t: 'send', id: 1, peer: 'bob' }],
    ['send: extra key', { t: 'send', id: 1, peer: 'bob', body: 'x', plaintext: 'hi' }],
    ['claim: peer of 1001 chars', { t: 'claim', peer: 'p'.repeat(1001) }],
    ['claim: peer not a string', { t: 'claim', peer: null }],
    ['claim: a __proto__ key', JSON.parse('{"t":"claim","peer":"x","__proto__":{}}')],
    ['read: missing id', { t: 'read' }],
    ['read: error as a string', { t: 'read', id: 1, error: 'x' }],
    ['event: a name not forwarded', { t: 'event', name: 'click', detail: {} }],
    ['event: detail null', { t: 'event', name: 'e2ee-status', detail: null }],
    ['event: detail an array', { t: 'event', name: 'e2ee-status', detail: [] }],
    ['event: detail missing', { t: 'event', name: 'e2ee-status' }],
    ['result: value not a string', { t: 'result', id: 1, value: 1 }],
    ['result: error with a wrong type', { t: 'result', id: 1, error: { code: 1, message: 'm' } }],
    ['result: extra key', { t: 'result', id: 1, method: 'send' }],
    ['attached: extra key', { t: 'attached', port: 1 }],
  ];

  it.each(bad)('refuses %s', (_, message) => {
    expect(parseFrameMessage(message)).toBeUndefined();
  });

  it('a claim for a peer of 1000 chars is accepted', () => {
    const claim = { t: 'claim', peer: 'p'.repeat(1000) };
    expect(parseFrameMessage(claim)).toBe(claim);
  });
});

describe('parseFrameReady / parseHostHello', () => {
  it('accept the handshake messages', () => {
    const ready = { e2eeFrame: 'ready', version: BRIDGE_VERSION, overlayGuard: true };
    expect(parseFrameReady(ready)).toBe(ready);
    const noGuard = { e2eeFrame: 'ready', version: '2', overlayGuard: false };
    expect(parseFrameReady(noGuard)).toBe(noGuard); // the version is compared by the shell, not here
    const hello = { e2eeHost: 'hello', version: BRIDGE_VERSION };
    expect(parseHostHello(hello)).toBe(hello);
  });

  const badReady: [string, unknown][] = [
    ['null', null],
    ['an array', [{ e2eeFrame: 'ready', version: '1', overlayGuard: true }]],
    ['a string', 'ready'],
    ['another e2eeFrame', { e2eeFrame: 'hello', version: '1', overlayGuard: true }],
    ['missing overlayGuard', { e2eeFrame: 'ready', version: '1' }],
    ['overlayGuard not boolean', { e2eeFrame: 'ready', version: '1', overlayGuard: 1 }],
    ['version not a string', { e2eeFrame: 'ready', version: 1, overlayGuard: true }],
    ['version of 65 chars', { e2eeFrame: 'ready', version: 'v'.repeat(65), overlayGuard: true }],
    ['extra key', { e2eeFrame: 'ready', version: '1', overlayGuard: true, port: 1 }],
    ['a __proto__ key', JSON.parse('{"e2eeFrame":"ready","version":"1","overlayGuard":true,"__proto__":{}}')],
  ];
  it.each(badReady)('parseFrameReady refuses %s', (_, data) => {
    expect(parseFrameReady(data)).toBeUndefined();
  });

  const badHello: [string, unknown][] = [
    ['null', null],
    ['undefined', undefined],
    ['an array', [{ e2eeHost: 'hello', version: '1' }]],
    ['another e2eeHost', { e2eeHost: 'ready', version: '1' }],
    ['a frame ready message', { e2eeFrame: 'ready', version: '1', overlayGuard: true }],
    ['missing version', { e2eeHost: 'hello' }],
    ['version not a string', { e2eeHost: 'hello', version: 1 }],
    ['version of 65 chars', { e2eeHost: 'hello', version: 'v'.repeat(65) }],
    ['extra key', { e2eeHost: 'hello', version: '1', settings: {} }],
  ];
  it.each(badHello)('parseHostHello refuses %s', (_, data) => {
    expect(parseHostHello(data)).toBeUndefined();
  });
});
