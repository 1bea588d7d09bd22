// A worker that loads fine but never answers Comlink.
export {};
