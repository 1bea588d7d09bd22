// Types for scripts/chromium.mjs (so TypeScript tests can import it).
import type { BrowserContext } from 'playwright-core';

/** The flags Chromium needs on this project's machines (headless, no sandbox, no GPU, no background traffic). */
export const chromiumArgs: string[];
/** Launch headless Chromium with a fresh profile. */
export function launchChromium(): Promise<BrowserContext>;
