/**
 * Encrypted files inside the engine (issue 21): sealing a file for upload, sending its reference in
 * a TLV 8 data message whose extra symmetric key wraps the file's key, hearing the peer's references,
 * and opening what the page downloaded. The page moves the ciphertext to and from its `FileStore`;
 * nothing unencrypted leaves the worker.
 */
import { E2eeError, type ExtraKey, type OtrSession } from '../protocol/index.js';
import { encodeFileReference, FILE_USE, openFile, parseFileReference, referTo, sealFile, type FileReference, type SealedFile } from './file-crypto.js';

/** The largest file the engine seals unless told otherwise (the element's default limit). */
export const DEFAULT_MAX_FILE_BYTES = 25 * 1024 * 1024;
/** Sealed files waiting for their upload kept at most (the oldest is forgotten; its upload then fails to send). */
const MAX_WAITING = 64;

/** What the engine tells the page about a file the peer sent (the key stays in the worker). */
export interface ReceivedFile {
  fileId: string;
  /** Where the ciphertext is, in the sender's store. */
  at: string;
  name: string;
  mediaType: string;
  size: number;
}

/** Files sealed and not yet sent, and keys of files received, for one engine. */
export class FileTransfers {
  /** What a sealed file's reference still needs (not its ciphertext, which went to the page). */
  private readonly sealed = new Map<string, Omit<SealedFile, 'ciphertext'>>();
  private readonly received = new Map<string, { reference: FileReference; key: Uint8Array }>();

  /** Seal `data`; the page uploads the ciphertext, then calls {@link send} with the token and where it went. */
  async seal(data: Uint8Array, name: string, mediaType: string, maxBytes = DEFAULT_MAX_FILE_BYTES): Promise<{ token: string; ciphertext: Uint8Array }> {
    if (!(data instanceof Uint8Array)) throw new E2eeError('invalid-input', 'A file must be given as a Uint8Array.');
    if (data.length > maxBytes) throw new E2eeError('file', `The file is ${data.length} bytes; files of at most ${maxBytes} bytes can be sent.`);
    if (typeof name !== 'string' || typeof mediaType !== 'string') throw new E2eeError('invalid-input', 'A file needs a name and a media type.');
    const sealed = await sealFile(data, { name: name.slice(0, 255), type: mediaType.slice(0, 255) });
    const token = crypto.randomUUID();
    this.sealed.set(token, { fileKey: sealed.fileKey, fixed: sealed.fixed });
    // One file's worth of keys waiting for its upload; an upload that never finishes leaves one entry.
    if (this.sealed.size > MAX_WAITING) this.sealed.delete(this.sealed.keys().next().value!);
    return { token, ciphertext: sealed.ciphertext };
  }

  /**
   * Send the reference to sealed file `token`, stored at `at`, in `session` (private, v3), through
   * `deliver` (which calls `session.sendExtraKey` with a text for peers that know nothing of files,
   * synchronously). The file key is wrapped with the extra key of the
   * very message that carries it: if a message arriving meanwhile changed the keys, it is wrapped again.
   */
  async send(session: OtrSession, token: string, at: string, deliver: (use: number, usedata: Uint8Array) => void): Promise<string> {
    const sealed = this.sealed.get(token);
    if (!sealed) throw new E2eeError('invalid-input', 'No sealed file has this token (it was sent already, or never sealed).');
    if (typeof at !== 'string' || !at) throw new E2eeError('invalid-input', "A file's place in the store must be a non-empty string.");
    for (let attempt = 0; attempt < 5; attempt++) {
      const key = session.nextExtraKey;
      if (!key) throw new E2eeError('not-private', 'Files are sent only in a private OTR v3 conversation.');
      const reference = await referTo(sealed, at, key);
      const now = session.nextExtraKey;
      if (!now || !sameBytes(now, key)) continue;
      deliver(FILE_USE, encodeFileReference(reference)); // session.sendExtraKey, at once: the keys are still these
      this.sealed.delete(token);
      return reference.sha256;
    }
    throw new E2eeError('file', 'The conversation kept changing keys while the file was being sent; try again.');
  }

  /** A TLV 8 from the peer: a file reference of ours, or undefined for other uses (or malformed ones). */
  heard(extra: ExtraKey): ReceivedFile | undefined {
    if (extra.use !== FILE_USE) return undefined;
    const reference = parseFileReference(extra.usedata);
    if (!reference) return undefined;
    const fileId = reference.sha256;
    this.received.set(fileId, { reference, key: extra.key });
    return { fileId, at: reference.at, name: reference.name, mediaType: reference.type, size: reference.size };
  }

  /** Open the downloaded `ciphertext` of received file `fileId`. */
  async open(fileId: string, ciphertext: Uint8Array): Promise<Uint8Array> {
    const entry = this.received.get(fileId);
    if (!entry) throw new E2eeError('file', 'This file is not known here (it came before the page was reloaded, or never came).');
    if (!(ciphertext instanceof Uint8Array)) throw new E2eeError('invalid-input', 'The downloaded file must be a Uint8Array.');
    return openFile(ciphertext, entry.reference, entry.key);
  }
}

function sameBytes(a: Uint8Array, b: Uint8Array): boolean {
  return a.length === b.length && a.every((x, i) => x === b[i]);
}
