/**
 * `Announcer`: holds what screen readers hear, in two live regions. The
 * polite one says each state change and SMP outcome; the assertive one only what must interrupt:
 * the conversation falling back from private (to plaintext or finished) and a verified key replaced.
 * Each is said once.
 */
import { html, type ReactiveControllerHost, type TemplateResult } from 'lit';
import type { PrivacyState } from '../worker/api.js';

export class Announcer {
  private polite = '';
  private assertive = '';
  /** The state last announced, to tell a fall-back from privacy. */
  private last?: PrivacyState;

  constructor(private readonly host: ReactiveControllerHost) {}

  /** The state is now `state`, said in `words`: assertively when it fell back from private. */
  state(state: PrivacyState, words: string): void {
    const wasPrivate = this.last === 'encrypted' || this.last === 'verified';
    this.last = state;
    const fellBack = wasPrivate && (state === 'plaintext' || state === 'finished');
    this.say(words, fellBack);
  }

  /** Say `words`, politely or (`interrupt`) assertively. */
  say(words: string, interrupt = false): void {
    [this.polite, this.assertive] = interrupt ? ['', words] : [words, ''];
    this.host.requestUpdate();
  }

  render(): TemplateResult {
    return html`<div class="sr-only" role="status" aria-live="polite">${this.polite}</div>
      <div class="sr-only" role="alert" aria-live="assertive">${this.assertive}</div>`;
  }
}
