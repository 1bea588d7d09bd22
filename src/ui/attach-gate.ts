/** A promise that settles once, with its settle functions: the "attached" gate of a chat. */
export interface Gate {
  readonly promise: Promise<void>;
  readonly settled: boolean;
  resolve(): void;
  reject(error: unknown): void;
}

/** A new, unsettled gate. Its rejection is handled where it is awaited, never left unhandled. */
export function gate(): Gate {
  let resolve!: () => void;
  let reject!: (error: unknown) => void;
  const promise = new Promise<void>((res, rej) => ((resolve = res), (reject = rej)));
  promise.catch(() => undefined);
  let settled = false;
  return {
    promise,
    get settled() {
      return settled;
    },
    resolve: () => ((settled = true), resolve()),
    reject: (error) => ((settled = true), reject(error)),
  };
}
