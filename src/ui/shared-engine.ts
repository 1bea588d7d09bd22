/** The page-wide default engine, started on first use with {@link configureEngine}'s settings. */
import { startEngine, type EngineClient } from './engine-client.js';
import { freezeEngineConfig } from './engine-config.js';

let shared: EngineClient | undefined;

/**
 * The engine every `<e2ee-chat>` without its own `engine` uses (identity name `default`).
 * It starts on first use, with the settings of {@link configureEngine} at that moment.
 */
export function sharedEngine(): EngineClient {
  if (!shared) {
    freezeEngineConfig('the shared engine');
    shared = startEngine({ name: 'default' });
  }
  return shared;
}
