/**
 * The one explicit call that installs everything this folder changes in otr.js: the defect fixes
 * (fixes.ts, wire-fixes.ts) and the exact speed-ups (speedups.ts). They are written for one version
 * of otr.js and patch its internals, so the call refuses any other version instead of patching
 * blindly. Every entry point of the seam (connection.ts, loader.ts) calls it first; it is idempotent.
 */
import { version as installedVersion } from 'otr/package.json';
import { applyModuleFixes } from './fixes.js';
import { installSpeedups } from './speedups.js';

/** The otr.js version the fixes and speed-ups are written for. */
export const SUPPORTED_OTR_VERSION = '0.2.16';

let installed = false;

/** Install the fixes and speed-ups once. Throws when the installed otr.js is another version. */
export function installOtrPatches(version: string = installedVersion): void {
  if (version !== SUPPORTED_OTR_VERSION) {
    throw new Error(`e2ee-chat patches otr ${SUPPORTED_OTR_VERSION}, but otr ${version} is installed; refusing to patch another version.`);
  }
  if (installed) return;
  applyModuleFixes();
  installSpeedups();
  installed = true;
}
