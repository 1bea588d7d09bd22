// A worker that can't load must be visible: an inline error in the element and `e2ee-error` with code
// `worker` within a few seconds, never "Sending…" forever. configureEngine() is page-wide, and WTR
// gives each test file its own page, so this file configures the shared engine for itself.
import { configureEngine, LoopbackTransport } from '../../src/ui/index.js';
import type { E2eeErrorDetail } from '../../src/ui/events.js';
import { until } from '../helpers/until.js';
import { assert, assertEqual } from '../helpers/assert.js';

describe('<e2ee-chat> with a worker that cannot load', () => {
  it('shows an inline error and fires e2ee-error with code worker, and a send fails visibly', async () => {
    configureEngine({ workerUrl: '/no-such-dir/no-such-worker.js', timeoutMs: 4000 });
    const started = performance.now();
    const errors: E2eeErrorDetail[] = [];
    const el = document.createElement('e2ee-chat');
    el.addEventListener('e2ee-error', (e) => errors.push(e.detail));
    el.peer = 'bob';
    el.transport = new LoopbackTransport('alice', { channel: `failure-${Date.now()}` });
    document.body.append(el);

    await until(() => errors.length > 0, 'e2ee-error', 5000);
    assertEqual(errors[0]!.code, 'worker', 'error code');
    assert(performance.now() - started < 5000, `within 5 s (took ${Math.round(performance.now() - started)} ms)`);
    await el.updateComplete;
    const notice = el.shadowRoot!.querySelector('[part~=error]');
    assert(notice, 'an inline error is shown');
    assert(/worker/i.test(notice.textContent ?? ''), `the inline error names the worker: ${notice.textContent}`);

    await el.send('hello?');
    await el.updateComplete;
    const message = el.shadowRoot!.querySelector('li.message.out');
    assert(message, 'the message is listed');
    assert(!/Sending/i.test(message.textContent ?? ''), `not "Sending…" forever: ${message.textContent}`);
    assert(/Not sent/.test(message.textContent ?? ''), `marked failed, with Retry: ${message.textContent}`);
    el.remove();
  });

  it('configureEngine() after the shared engine started throws instead of being ignored', () => {
    let thrown: unknown;
    try {
      configureEngine({ timeoutMs: 1000 });
    } catch (error) {
      thrown = error;
    }
    assert(thrown instanceof Error && /too late/.test(thrown.message), `throws: ${String(thrown)}`);
  });
});
