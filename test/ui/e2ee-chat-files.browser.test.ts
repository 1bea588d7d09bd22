/**
 * Encrypted files in the element (Chromium, real element and workers, the loopback's memory store):
 * attach, send both ways, a picture's thumbnail decoded from the decrypted file, Save giving the
 * same bytes, the store holding only ciphertext, and every failure a clear card with Retry: over the
 * size limit, a tampered upload, a missing one, no privacy.
 */
import '../../src/ui/e2ee-chat.js';
import { MemoryFileStore } from '../../src/ui/file-stores/memory-file-store.js';
import { E2eeError } from '../../src/protocol/errors.js';
import { pairOfChats, unmount, type Mounted } from '../helpers/chat-fixture.js';
import { until } from '../helpers/engine-pair.js';
import { assert, assertEqual } from '../helpers/assert.js';

const root = (m: Mounted) => m.el.shadowRoot!;
const cards = (m: Mounted) => [...root(m).querySelectorAll<HTMLElement>('[part=file]')];
const card = (m: Mounted, name: string) => cards(m).find((c) => c.querySelector('.file-name')?.textContent === name);
const phase = (m: Mounted, name: string) => card(m, name)?.dataset.phase;

/** Attach `files` the way the person does: through the composer's file input. */
function attach(m: Mounted, ...files: File[]): void {
  const input = root(m).querySelector<HTMLInputElement>('[part=attach-button] input[type=file]')!;
  const picked = new DataTransfer();
  for (const file of files) picked.items.add(file);
  input.files = picked.files;
  input.dispatchEvent(new Event('change', { bubbles: true }));
}

async function privateWithFiles(space: string): Promise<[Mounted, Mounted, MemoryFileStore]> {
  const [alice, bob] = pairOfChats();
  const store = new MemoryFileStore(space);
  alice.el.files = store;
  bob.el.files = new MemoryFileStore(space);
  await Promise.all([alice.el.ready, bob.el.ready]);
  await alice.el.startPrivate();
  await until(() => alice.el.state === 'encrypted' && bob.el.state === 'encrypted', 'private', 60_000);
  await alice.el.updateComplete;
  return [alice, bob, store];
}

async function png(): Promise<File> {
  const canvas = new OffscreenCanvas(64, 48);
  const g = canvas.getContext('2d')!;
  g.fillStyle = '#c03';
  g.fillRect(0, 0, 64, 48);
  return new File([await canvas.convertToBlob({ type: 'image/png' })], 'secret-photo.png', { type: 'image/png' });
}

describe('<e2ee-chat> encrypted files', () => {
  it('a file and a picture both ways: a thumbnail from the decrypted file, Save gives the same bytes, the store holds only ciphertext', async () => {
    const [alice, bob, store] = await privateWithFiles(`files-${Date.now()}`);
    const bytes = crypto.getRandomValues(new Uint8Array(60_000));
    const report = new File([bytes, new Uint8Array(2_000_000)], 'quarterly-report.pdf', { type: 'application/pdf' });
    const photo = await png();
    attach(alice, report, photo);
    await until(() => phase(bob, 'quarterly-report.pdf') === 'ready' && phase(bob, 'secret-photo.png') === 'ready', 'both files at Bob', 60_000);
    await bob.el.updateComplete;
    const thumb = card(bob, 'secret-photo.png')!.querySelector<HTMLImageElement>('img[part=thumbnail]')!;
    await until(() => thumb.complete && thumb.naturalWidth === 64, 'the thumbnail decoded');
    assert(thumb.src.startsWith('blob:'), `the thumbnail comes from the decrypted file in the page, not a URL: ${thumb.src}`);
    const save = card(bob, 'quarterly-report.pdf')!.querySelector<HTMLAnchorElement>('a[part=save]')!;
    assertEqual(save.download, 'quarterly-report.pdf', 'Save keeps the name');
    const saved = new Uint8Array(await (await fetch(save.href)).arrayBuffer());
    assertEqual(saved.length, report.size, 'saved size');
    assert(saved.slice(0, 60_000).every((b, i) => b === bytes[i]), 'Save gives the same bytes');
    // The store: ciphertext only (neither the content nor the names).
    const kept = store.entries().map(([, c]) => c);
    assertEqual(kept.length, 2, 'two uploads');
    const text = kept.map((c) => new TextDecoder('latin1').decode(c)).join('');
    assert(!text.includes('quarterly') && !text.includes('secret-photo') && !text.includes('\x89PNG\r\n\x1a\n'), 'no name, no PNG signature in the store');
    assert(!kept.some((c) => c.length >= 64 && c.slice(0, 64).every((b, i) => b === bytes[i])), 'no plaintext bytes in the store');
    // The sentence beside a file is for other apps: Bob sees cards, no text about them.
    assert(![...root(bob).querySelectorAll('.text')].some((t) => t.textContent?.includes('[file]')), 'no fallback sentence shown');
    // And back.
    attach(bob, new File(['thanks, got it'], 'reply.txt', { type: 'text/plain' }));
    await until(() => phase(alice, 'reply.txt') === 'ready', 'the reply at Alice', 30_000);
    const back = card(alice, 'reply.txt')!.querySelector<HTMLAnchorElement>('a[part=save]')!;
    assertEqual(await (await fetch(back.href)).text(), 'thanks, got it', 'the reply opens');
    const events = alice.events['e2ee-message'].filter((m) => 'file' in m && m.file);
    assertEqual(events.map((m) => [m.direction, m.file!.name]).sort().join(' '), 'in,reply.txt out,quarterly-report.pdf out,secret-photo.png', 'e2ee-message events carry the files');
    unmount(alice, bob);
  });

  it('a tampered, truncated or missing upload is a failed card with the reason and Retry, and no partial file is offered', async () => {
    const space = `tamper-${Date.now()}`;
    const [alice, bob] = await privateWithFiles(space);
    // Bob's store hands out what a hostile or broken server would.
    const honest = new MemoryFileStore(space);
    let mode: 'flip' | 'truncate' | 'missing' | 'none' = 'flip';
    bob.el.files = {
      put: (c, o) => honest.put(c, o),
      async get(at, o) {
        if (mode === 'missing') throw new E2eeError('file', 'The file is not in the store (it was removed, or never uploaded).');
        const c = await honest.get(at, o);
        if (mode === 'flip') c[7]! ^= 1;
        return mode === 'truncate' ? c.slice(0, -10) : c;
      },
    };
    await bob.el.updateComplete;
    for (const [m, why] of [['flip', /hash/], ['truncate', /truncated/], ['missing', /not in the store/]] as const) {
      mode = m;
      const name = `note-${m}.txt`;
      attach(alice, new File([`the text of ${m}`], name, { type: 'text/plain' }));
      await until(() => phase(bob, name) === 'failed', `${m}: refused`, 30_000);
      const failed = card(bob, name)!;
      assert(why.test(failed.textContent!), `${m}: says why: ${failed.textContent}`);
      assert(failed.querySelector('a[part=save]') === null, `${m}: nothing to save`);
      // The server behaves again: Retry fetches and opens it.
      mode = 'none';
      failed.querySelector<HTMLButtonElement>('button[part=retry]')!.click();
      await until(() => phase(bob, name) === 'ready', `${m}: opens on Retry`, 30_000);
      const href = card(bob, name)!.querySelector<HTMLAnchorElement>('a[part=save]')!.href;
      assertEqual(await (await fetch(href)).text(), `the text of ${m}`, `${m}: the right text after Retry`);
    }
    unmount(alice, bob);
  });

  it('takes files dropped on the composer or pasted into it, and Cancel stops an upload, which Retry sends', async () => {
    const space = `drop-${Date.now()}`;
    const [alice, bob] = await privateWithFiles(space);
    const form = root(alice).querySelector('form[part=composer]')!;
    const dropped = new DataTransfer();
    dropped.items.add(new File(['dropped bytes'], 'dropped.txt', { type: 'text/plain' }));
    form.dispatchEvent(new DragEvent('dragover', { dataTransfer: dropped, bubbles: true, cancelable: true }));
    await alice.el.updateComplete;
    assert(form.classList.contains('dropping'), 'the composer shows where to drop');
    form.dispatchEvent(new DragEvent('drop', { dataTransfer: dropped, bubbles: true, cancelable: true }));
    const pasted = new DataTransfer();
    pasted.items.add(new File(['pasted bytes'], 'pasted.txt', { type: 'text/plain' }));
    root(alice).querySelector('textarea')!.dispatchEvent(new ClipboardEvent('paste', { clipboardData: pasted, bubbles: true, cancelable: true }));
    await until(() => phase(bob, 'dropped.txt') === 'ready' && phase(bob, 'pasted.txt') === 'ready', 'dropped and pasted files arrive', 30_000);

    // An upload that hangs (a slow server): Cancel stops it; Retry, with the server back, sends it.
    const honest = new MemoryFileStore(space);
    let hang = true;
    alice.el.files = {
      put: (c, o) =>
        hang
          ? new Promise<string>((_, reject) => o?.signal?.addEventListener('abort', () => reject(new DOMException('Aborted', 'AbortError'))))
          : honest.put(c, o),
      get: (at, o) => honest.get(at, o),
    };
    await alice.el.updateComplete;
    attach(alice, new File(['slow one'], 'slow.txt', { type: 'text/plain' }));
    await until(() => card(alice, 'slow.txt')?.querySelector('button[part=cancel]') != null, 'uploading, with Cancel');
    card(alice, 'slow.txt')!.querySelector<HTMLButtonElement>('button[part=cancel]')!.click();
    await until(() => phase(alice, 'slow.txt') === 'cancelled', 'cancelled');
    assertEqual(phase(bob, 'slow.txt'), undefined, 'nothing reached Bob');
    hang = false;
    card(alice, 'slow.txt')!.querySelector<HTMLButtonElement>('button[part=retry]')!.click();
    await until(() => phase(bob, 'slow.txt') === 'ready', 'sent on Retry', 30_000);
    unmount(alice, bob);
  });

  it('refuses a file over max-file-size, and a file without privacy, each with a clear message', async () => {
    const [alice, bob] = pairOfChats();
    alice.el.files = new MemoryFileStore(`limits-${Date.now()}`);
    alice.el.maxFileSize = 1000;
    await alice.el.ready;
    await alice.el.updateComplete;
    attach(alice, new File([new Uint8Array(1001)], 'too-big.bin'));
    await until(() => phase(alice, 'too-big.bin') === 'failed', 'refused over the limit');
    assert(card(alice, 'too-big.bin')!.textContent!.includes('at most 1.0 KB'), `says the limit: ${card(alice, 'too-big.bin')!.textContent}`);
    attach(alice, new File(['x'], 'not-private.txt'));
    await until(() => phase(alice, 'not-private.txt') === 'failed', 'refused without privacy', 30_000);
    assert(/private/.test(card(alice, 'not-private.txt')!.textContent!), `says why: ${card(alice, 'not-private.txt')!.textContent}`);
    assert(card(alice, 'not-private.txt')!.querySelector('button[part=retry]') !== null, 'offers Retry');
    unmount(alice, bob);
  });
});
