/** The page-wide default engine, started on first use. */
import { startEngine, type EngineClient } from './engine-client.js';

let shared: EngineClient | undefined;

/** The engine every `<e2ee-chat>` without its own `engine` uses (identity name `default`). */
export function sharedEngine(): EngineClient {
  shared ??= startEngine({ name: 'default' });
  return shared;
}
