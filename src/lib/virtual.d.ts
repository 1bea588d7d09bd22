/** The prebuilt worker's code, made by vite.lib.config.ts from dist/worker.js. */
declare module 'virtual:e2ee-worker-source' {
  const code: string;
  export default code;
}
