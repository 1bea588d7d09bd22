/** Browser stand-in for Node's `path`; otr only joins a worker script path it never uses. */
export function join(...parts: string[]): string {
  return parts.join('/').replace(/\/+/g, '/');
}

export default { join };
