/**
 * Defines `<e2ee-chat>`: importing this module registers the tag (once per page). The class is in
 * e2ee-chat.component.ts, its styles in chat-styles.ts.
 */
import { E2eeChat } from './e2ee-chat.component.js';

export { E2eeChat };

if (!customElements.get('e2ee-chat')) customElements.define('e2ee-chat', E2eeChat);

declare global {
  interface HTMLElementTagNameMap {
    'e2ee-chat': E2eeChat;
  }
}
