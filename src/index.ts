/**
 * The package's main entry (`e2ee-chat`): importing it defines `<e2ee-chat>`.
 * It exports the element, the engine and its configuration, the loopback
 * transport and the public types. The ConnectyCube transport is in
 * `e2ee-chat/connectycube`, so pages that don't use it never load it.
 */
export { E2eeChat } from './ui/e2ee-chat.js';
export type {
  E2eeEventMap,
  E2eeStatusDetail,
  E2eeMessageDetail,
  E2eeErrorDetail,
  E2eeKeygenDetail,
  E2eeTrustDetail,
  E2eeEngineDetail,
  E2eeFrameDetail,
} from './ui/events.js';
export { ENGLISH } from './ui/copy.js';
export type { E2eeStrings, E2eeStringOverrides } from './ui/copy.js';
export type { ConversationSettings, SendOptions } from './worker/api.js';
export { configureEngine } from './ui/engine-config.js';
export type { EngineConfig, ScriptUrlPolicy } from './ui/engine-config.js';
export { startEngine } from './ui/engine-client.js';
export type { EngineClient, EngineClientOptions } from './ui/engine-client.js';
export { sharedEngine } from './ui/shared-engine.js';
export { LoopbackTransport } from './ui/loopback-transport.js';
export { MemoryFileStore } from './ui/file-stores/memory-file-store.js';
export type { FileStore, FileProgress } from './ui/file-stores/file-store.js';
export type { LoopbackOptions } from './ui/loopback-transport.js';
export type { Transport, TransportMessage, TransportHandler, TransportState } from './ui/transport.js';
export type { EngineApi, EngineEvent, EnginePhase, EngineListener, PrivacyState, KeyFormat, LibotrAccount, FingerprintInfo } from './worker/api.js';
export { E2eeError } from './protocol/errors.js';
export type { ErrorCode } from './protocol/errors.js';
