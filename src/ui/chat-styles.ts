/** The default look of `<e2ee-chat>`; every colour and radius is a custom property. */
import { css } from 'lit';

export const chatStyles = css`
  :host {
    --e2ee-font: system-ui, -apple-system, 'Segoe UI', Roboto, sans-serif;
    --e2ee-bg: #ffffff;
    --e2ee-fg: #1d232b;
    --e2ee-muted: #5d6673;
    --e2ee-border: #d6dbe1;
    --e2ee-accent: #1f6feb;
    --e2ee-own-bg: #e7f0ff;
    --e2ee-peer-bg: #f2f4f7;
    --e2ee-ok: #1a7f37;
    --e2ee-warn: #9a6700;
    --e2ee-danger: #cf222e;
    --e2ee-radius: 10px;
    --e2ee-height: 480px;
    display: flex;
    flex-direction: column;
    box-sizing: border-box;
    min-width: 260px;
    max-width: 100%;
    height: var(--e2ee-height);
    font: 14px/1.4 var(--e2ee-font);
    color: var(--e2ee-fg);
    background: var(--e2ee-bg);
    border: 1px solid var(--e2ee-border);
    border-radius: var(--e2ee-radius);
    overflow: hidden;
  }
  *, *::before, *::after { box-sizing: inherit; }
  header { display: flex; flex-wrap: wrap; align-items: center; gap: 6px 8px; padding: 8px 10px; border-bottom: 1px solid var(--e2ee-border); }
  .peer { font-weight: 600; flex: 1 1 auto; min-width: 0; overflow: hidden; text-overflow: ellipsis; white-space: nowrap; }
  .status { display: inline-flex; align-items: center; gap: 4px; padding: 2px 8px; border-radius: 999px; font-size: 12px; font-weight: 600; border: 1px solid currentColor; }
  .status.plaintext { color: var(--e2ee-danger); }
  .status.encrypted { color: var(--e2ee-warn); }
  .status.verified { color: var(--e2ee-ok); }
  .status.finished { color: var(--e2ee-muted); }
  .actions { display: flex; flex-wrap: wrap; gap: 6px; width: 100%; }
  button { font: inherit; font-size: 13px; padding: 4px 10px; border-radius: 6px; border: 1px solid var(--e2ee-border); background: var(--e2ee-bg); color: var(--e2ee-fg); cursor: pointer; }
  button:hover:not(:disabled) { border-color: var(--e2ee-accent); }
  button:focus-visible, textarea:focus-visible { outline: 2px solid var(--e2ee-accent); outline-offset: 1px; }
  button:disabled { opacity: 0.5; cursor: default; }
  button.primary { background: var(--e2ee-accent); border-color: var(--e2ee-accent); color: #fff; }
  .banner { padding: 6px 10px; font-size: 13px; border-bottom: 1px solid var(--e2ee-border); }
  .keygen { color: var(--e2ee-muted); }
  .fingerprints dl { margin: 0; display: grid; grid-template-columns: auto 1fr; gap: 2px 8px; }
  .fingerprints dd { margin: 0; font-family: ui-monospace, monospace; overflow-wrap: anywhere; }
  .keys { display: flex; flex-wrap: wrap; gap: 4px; margin-top: 6px; }
  .file-button { font-size: 13px; padding: 4px 10px; border-radius: 6px; border: 1px solid var(--e2ee-border); cursor: pointer; }
  .file-button input { position: absolute; width: 1px; height: 1px; opacity: 0; }
  .file-button:focus-within { outline: 2px solid var(--e2ee-accent); }
  .confirm { margin-top: 6px; padding: 6px 8px; border: 1px solid var(--e2ee-danger); border-radius: 6px; }
  .confirm p { margin: 0 0 6px; }
  button.danger { background: var(--e2ee-danger); border-color: var(--e2ee-danger); color: #fff; }
  .key-change { color: var(--e2ee-danger); border: 2px solid var(--e2ee-danger); background: color-mix(in srgb, var(--e2ee-danger) 8%, var(--e2ee-bg)); }
  .key-change div { margin-top: 4px; }
  .notice { display: flex; gap: 8px; align-items: start; color: var(--e2ee-danger); }
  .notice.warning { color: var(--e2ee-warn); }
  .notice span { flex: 1; overflow-wrap: anywhere; }
  .notice button { padding: 0 6px; }
  ol.messages { list-style: none; margin: 0; padding: 10px; flex: 1 1 auto; overflow-y: auto; overflow-x: hidden; display: flex; flex-direction: column; gap: 6px; }
  .message { max-width: 85%; padding: 6px 10px; border-radius: var(--e2ee-radius); background: var(--e2ee-peer-bg); align-self: flex-start; }
  .message.out { background: var(--e2ee-own-bg); align-self: flex-end; }
  .text { white-space: pre-wrap; overflow-wrap: anywhere; word-break: break-word; unicode-bidi: isolate; }
  .meta { display: flex; flex-wrap: wrap; gap: 6px; font-size: 11px; color: var(--e2ee-muted); margin-top: 2px; }
  .lock.plain { color: var(--e2ee-danger); font-weight: 600; }
  .delivery.failed { color: var(--e2ee-danger); font-weight: 600; }
  .meta button { font-size: 11px; padding: 0 6px; }
  form { display: flex; gap: 6px; padding: 8px; border-top: 1px solid var(--e2ee-border); }
  textarea { flex: 1; min-width: 0; resize: none; font: inherit; padding: 6px 8px; border: 1px solid var(--e2ee-border); border-radius: 6px; background: var(--e2ee-bg); color: var(--e2ee-fg); }
  .sr-only { position: absolute; width: 1px; height: 1px; padding: 0; margin: -1px; overflow: hidden; clip: rect(0 0 0 0); white-space: nowrap; border: 0; }
`;
