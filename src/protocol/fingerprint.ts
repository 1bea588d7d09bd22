/**
 * Format a SHA-1 key fingerprint as libotr shows it: 40 uppercase hex digits
 * in 5 groups of 8, e.g. `12345678 9ABCDEF0 12345678 9ABCDEF0 12345678`.
 */
export function formatFingerprint(hex: string): string {
  const clean = hex.replace(/\s+/g, '').toUpperCase();
  if (!/^[0-9A-F]{40}$/.test(clean)) throw new TypeError(`Not a 40-digit hex fingerprint: ${hex.slice(0, 60)}`);
  return clean.match(/.{8}/g)!.join(' ');
}

/** True when two fingerprints name the same key, whatever their spacing or case. */
export function sameFingerprint(a: string, b: string): boolean {
  return a.replace(/\s+/g, '').toUpperCase() === b.replace(/\s+/g, '').toUpperCase();
}
