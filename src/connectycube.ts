/**
 * The package's `e2ee-chat/connectycube` entry: the ConnectyCube transport.
 * It needs the `connectycube` SDK (an optional peer dependency), which it
 * loads only when {@link ConnectyCubeTransport.connect} makes its own instance.
 */
export { ConnectyCubeTransport, DEFAULT_CUBE_MAX_MESSAGE_SIZE } from './ui/connectycube-transport.js';
export type { CubeTransportOptions, CubeConnectOptions, CubeInstance, CubeEndpoint } from './ui/connectycube-transport.js';
