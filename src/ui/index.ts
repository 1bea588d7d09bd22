/** Public entry: `<e2ee-chat>`, the engine client and the transports. */
export { E2eeChat } from './e2ee-chat.js';
export type { E2eeEventMap, E2eeStatusDetail, E2eeMessageDetail, E2eeErrorDetail, E2eeKeygenDetail, E2eeEngineDetail, E2eeFrameDetail } from './events.js';
export { ENGLISH } from './copy.js';
export type { E2eeStrings, E2eeStringOverrides } from './copy.js';
export { configureEngine } from './engine-config.js';
export type { EngineConfig, ScriptUrlPolicy } from './engine-config.js';
export { startEngine } from './engine-client.js';
export type { EngineClient, EngineClientOptions } from './engine-client.js';
export { sharedEngine } from './shared-engine.js';
export { LoopbackTransport } from './loopback-transport.js';
export { MemoryFileStore } from './file-stores/memory-file-store.js';
export type { FileStore, FileProgress } from './file-stores/file-store.js';
export type { LoopbackOptions } from './loopback-transport.js';
export { ConnectyCubeTransport } from './connectycube-transport.js';
export type { Transport, TransportMessage, TransportHandler, TransportState } from './transport.js';
export type { PrivacyState } from '../worker/api.js';
export { E2eeError } from '../protocol/errors.js';
export type { ErrorCode } from '../protocol/errors.js';
