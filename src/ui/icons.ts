/** Inline SVG icons (no emoji font needed). Decorative: screen readers skip them. */
import { svg, html, type TemplateResult } from 'lit';

const frame = (body: ReturnType<typeof svg>) =>
  html`<svg class="icon" viewBox="0 0 16 16" width="12" height="12" aria-hidden="true" focusable="false" fill="none" stroke="currentColor" stroke-width="1.6" stroke-linecap="round" stroke-linejoin="round">${body}</svg>`;

/** A closed padlock. */
export const lockClosed = (): TemplateResult => frame(svg`<rect x="3" y="7" width="10" height="7" rx="1.5"/><path d="M5.5 7V5a2.5 2.5 0 0 1 5 0v2"/>`);
/** An open padlock. */
export const lockOpen = (): TemplateResult => frame(svg`<rect x="3" y="7" width="10" height="7" rx="1.5"/><path d="M5.5 7V5a2.5 2.5 0 0 1 4.9-.7"/>`);
/** A padlock with a question mark: encrypted, unverified. */
export const lockQuestion = (): TemplateResult => frame(svg`<rect x="3" y="7" width="10" height="7" rx="1.5"/><path d="M5.5 7V5a2.5 2.5 0 0 1 5 0v2"/><path d="M8 12.2v.1M8 10.6c0-.9 1.1-.8 1.1-1.6a1.1 1.1 0 0 0-2.2 0"/>`);
/** A shield with a check: verified. */
export const shieldCheck = (): TemplateResult => frame(svg`<path d="M8 1.8 13 3.6v4c0 3.2-2.2 5.4-5 6.6-2.8-1.2-5-3.4-5-6.6v-4z"/><path d="m5.6 8 1.7 1.7L10.6 6.4"/>`);
/** A circle with a bar: finished. */
export const stopCircle = (): TemplateResult => frame(svg`<circle cx="8" cy="8" r="6"/><path d="M5 8h6"/>`);
/** A key: the Keys panel. */
export const keyIcon = (): TemplateResult => frame(svg`<circle cx="5.5" cy="10.5" r="2.8"/><path d="m7.5 8.5 5.5-5.5M11 5l1.6 1.6M9.6 6.4l1.2 1.2"/>`);
/** Two arrows in a circle: refresh the keys. */
export const refreshIcon = (): TemplateResult => frame(svg`<path d="M13 8a5 5 0 1 1-1.5-3.6"/><path d="M13 2.5v3h-3"/>`);
/** A shield: verify. */
export const shieldIcon = (): TemplateResult => frame(svg`<path d="M8 1.8 13 3.6v4c0 3.2-2.2 5.4-5 6.6-2.8-1.2-5-3.4-5-6.6v-4z"/>`);
/** Three dots: more actions. */
export const dotsIcon = (): TemplateResult => frame(svg`<circle cx="3.5" cy="8" r=".6"/><circle cx="8" cy="8" r=".6"/><circle cx="12.5" cy="8" r=".6"/>`);
/** A warning triangle. */
export const alertIcon = (): TemplateResult => frame(svg`<path d="M8 2 14.5 13.5h-13z"/><path d="M8 6.5v3.2M8 11.6v.1"/>`);
/** An "i" in a circle. */
export const infoIcon = (): TemplateResult => frame(svg`<circle cx="8" cy="8" r="6"/><path d="M8 7.3v3.8M8 5v.1"/>`);

export const attachIcon = (): TemplateResult => frame(svg`<path d="m13 7.5-5.3 5.3a3.2 3.2 0 0 1-4.5-4.5l5.6-5.6a2.1 2.1 0 0 1 3 3L6.2 11.3a1 1 0 0 1-1.5-1.5L9.8 4.7"/>`);
