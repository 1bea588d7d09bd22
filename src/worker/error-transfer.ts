/**
 * Make typed errors survive Comlink. Comlink's own `throw` handler keeps only
 * `name`, `message` and `stack`; this wraps it to keep `code` and `peer` too.
 * Imported for its effect by both the worker entry and the main-thread client.
 */
import { transferHandlers, type TransferHandler } from 'comlink';

interface Thrown {
  value: unknown;
}
interface Serialized {
  isError: boolean;
  value: Record<string, unknown>;
}

const original = transferHandlers.get('throw') as TransferHandler<Thrown, Serialized> | undefined;

if (original && !(original as { typed?: boolean }).typed) {
  const typed: TransferHandler<Thrown, Serialized> & { typed: true } = {
    typed: true,
    canHandle: (value): value is Thrown => original.canHandle(value),
    serialize(thrown) {
      const [serialized, transferables] = original.serialize(thrown);
      const error = thrown.value as { code?: unknown; peer?: unknown } | null;
      if (serialized.isError && error && typeof error.code === 'string') {
        serialized.value.code = error.code;
        if (typeof error.peer === 'string') serialized.value.peer = error.peer;
      }
      return [serialized, transferables];
    },
    deserialize: (serialized) => original.deserialize(serialized),
  };
  transferHandlers.set('throw', typed as TransferHandler<unknown, unknown>);
}
