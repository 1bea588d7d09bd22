/**
 * The package's `e2ee-chat/connectycube` entry: the ConnectyCube transport, and the file stores for
 * XMPP HTTP upload (XEP-0363, over the SDK's chat connection) and ConnectyCube's own storage.
 * It needs the `connectycube` SDK (an optional peer dependency), which it
 * loads only when {@link ConnectyCubeTransport.connect} makes its own instance.
 */
export { ConnectyCubeTransport, DEFAULT_CUBE_MAX_MESSAGE_SIZE } from './ui/connectycube-transport.js';
export type { CubeTransportOptions, CubeConnectOptions, CubeInstance, CubeEndpoint } from './ui/connectycube-transport.js';
export { XmppUploadStore, cubeIqSender } from './ui/file-stores/xmpp-upload-store.js';
export type { XmppUploadStoreOptions, IqSender, CubeIqChat } from './ui/file-stores/xmpp-upload-store.js';
export { ConnectyCubeFileStore } from './ui/file-stores/connectycube-file-store.js';
export type { CubeStorage, ConnectyCubeFileStoreOptions } from './ui/file-stores/connectycube-file-store.js';
