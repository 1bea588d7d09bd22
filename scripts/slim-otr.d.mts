import type { Plugin } from 'vite';
/** One edit: replace `from` (exactly once), or cut from `cut[0]` up to `cut[1]`, with `to`. */
export interface SlimOtrEdit {
  why: string;
  from?: string;
  cut?: [string, string];
  to?: string;
}
/** The edits per file under node_modules/otr/. */
export const EDITS: Record<string, SlimOtrEdit[]>;
/** `text` (the file `file`, a key of EDITS) with its edits applied; throws when one does not fit. */
export function slimOtrSource(file: string, text: string): string;
/** The slimmed text of the file `file` read from `path`. */
export function slimOtrFile(file: string, path: string): string;
/** Vite build plugin: otr.js without the code it can never run here (see slim-otr.mjs). */
export function slimOtr(): Plugin;
