/**
 * Encrypted files through the engine client (Chromium, real workers and Comlink): a file's bytes
 * cross to the worker transferred, not copied (the caller's view is detached after), and come back
 * transferred; a view into a larger buffer is copied and left alone; a call whose bytes went to a
 * worker that died is not run again with the detached (empty) bytes.
 */
import { startEngine, type EngineClient } from '../../src/ui/engine-client.js';
import type { EngineEvent } from '../../src/worker/api.js';
import { linkEngines, until, type Side } from '../helpers/engine-pair.js';
import { killableWorkers } from '../helpers/killable-workers.js';
import { sealedLength } from '../helpers/sealed-length.js';
import { assert, assertEqual, rejection } from '../helpers/assert.js';


const unique = () => `f${Date.now()}-${Math.random().toString(36).slice(2)}`;
const MiB = 1024 * 1024;

/** `bytes` random bytes (getRandomValues gives at most 64 KiB a call). */
function randomBytes(bytes: number): Uint8Array {
  const data = new Uint8Array(bytes);
  for (let i = 0; i < bytes; i += 65_536) crypto.getRandomValues(data.subarray(i, Math.min(i + 65_536, bytes)));
  return data;
}

const same = (a: Uint8Array, b: Uint8Array) => a.length === b.length && a.every((x, i) => x === b[i]);

describe('engine client: file bytes are transferred to and from the worker', () => {
  const engines: EngineClient[] = [];
  afterEach(() => {
    for (const engine of engines.splice(0)) engine.terminate();
  });

  it('seals and opens with the buffers transferred both ways, and the file opens to the same bytes', async () => {
    const alice = startEngine({ name: unique() });
    const bob = startEngine({ name: unique() });
    engines.push(alice, bob);
    const { a, b }: { a: Side; b: Side } = await linkEngines(alice, bob);
    await alice.startPrivate('bob');
    await until(() => a.state() === 'encrypted' && b.state() === 'encrypted', 'AKE', 60_000);

    const data = randomBytes(MiB + 3);
    const original = data.slice();
    const { token, ciphertext } = await alice.sealFile(data, 'moved.bin', 'application/octet-stream');
    assertEqual(data.byteLength, 0, "the caller's plaintext buffer went to the worker (detached), not copied");
    assertEqual(ciphertext.length, sealedLength(original.length), 'ciphertext: the data and a tag per 256 KiB segment');
    assertEqual(ciphertext.byteLength, ciphertext.buffer.byteLength, 'the ciphertext is a buffer of its own (transferred from the worker)');

    await alice.sendFile('bob', token, 'test:moved', 'A file: moved.bin');
    await until(() => b.events.some((e) => e.type === 'file'), 'file event');
    const event = b.events.find((e): e is Extract<EngineEvent, { type: 'file' }> => e.type === 'file')!;
    const opened = await bob.openFile(event.fileId, ciphertext);
    assertEqual(ciphertext.byteLength, 0, 'the downloaded ciphertext went to the worker (detached), not copied');
    assert(same(opened, original), 'the file opens to the same bytes');
  });

  it('copies a view into a larger buffer (the rest of it stays the caller’s), and a non-Uint8Array still fails as invalid input', async () => {
    const alice = startEngine({ name: unique() });
    engines.push(alice);
    const whole = randomBytes(4096);
    const before = whole.slice();
    const view = whole.subarray(1024, 3072);
    const { ciphertext } = await alice.sealFile(view, 'part.bin', 'application/octet-stream');
    assertEqual(ciphertext.length, 2048 + 16, 'the view alone was sealed');
    assertEqual(view.length, 2048, 'the view is still there');
    assert(same(whole, before), 'the larger buffer is untouched');
    const error = await rejection(alice.sealFile([1, 2, 3] as unknown as Uint8Array, 'x', 'y'), 'sealFile(array)');
    assertEqual(error.code, 'invalid-input', 'code');
  });

  it('does not seal the detached bytes again when the worker dies during the seal', async () => {
    const workers = killableWorkers(['real']);
    const alice = startEngine({ name: unique(), createWorker: workers.createWorker });
    engines.push(alice);
    await alice.identity();
    const data = randomBytes(25 * MiB);
    const sealing = alice.sealFile(data, 'big.bin', 'application/octet-stream');
    await until(() => data.byteLength === 0, 'the bytes handed to the worker', 10_000);
    workers.kill();
    const outcome = await sealing.then(
      (sealed) => ({ sealed }),
      (error: Error & { code?: string }) => ({ error }),
    );
    // Either the worker finished before it was killed, or the call fails: never a seal of nothing.
    if ('sealed' in outcome) assertEqual(outcome.sealed.ciphertext.length, sealedLength(25 * MiB), 'a seal that finished sealed the whole file');
    else assertEqual(outcome.error.code, 'worker', 'the call fails as cut short by the restart');
    await alice.ping();
  });
});
