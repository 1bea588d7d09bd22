/**
 * The default look of `<e2ee-chat>`. Every colour, the font, the radius and the height are
 * `--e2ee-*` tokens that the page may set on `:root` or any ancestor (they inherit into the shadow
 * root; nothing here redeclares them). Each falls back to a light default, or a dark one when the
 * user prefers a dark colour scheme. Internally the rules read `--_<token>`, the resolved value.
 */
import { css } from 'lit';

/**
 * Each token resolves to `--_<token>`: the page's value when set, else the default for the colour
 * scheme. The nested Verify dialog reads the public names, so it is handed the resolved values.
 */
const tokenDefaults = css`
  :host {
    color-scheme: light dark;
    --_font: var(--e2ee-font, system-ui, -apple-system, 'Segoe UI', Roboto, sans-serif);
    --_bg: var(--e2ee-bg, #ffffff);
    --_fg: var(--e2ee-fg, #1d232b);
    --_muted: var(--e2ee-muted, #5d6673);
    --_border: var(--e2ee-border, #d6dbe1);
    --_accent: var(--e2ee-accent, #1f6feb);
    --_own-bg: var(--e2ee-own-bg, #e7f0ff);
    --_peer-bg: var(--e2ee-peer-bg, #f2f4f7);
    --_ok: var(--e2ee-ok, #1a7f37);
    --_warn: var(--e2ee-warn, #9a6700);
    --_danger: var(--e2ee-danger, #cf222e);
    --_on-accent: var(--e2ee-on-accent, #ffffff);
    --_on-danger: var(--e2ee-on-danger, #ffffff);
    --_radius: var(--e2ee-radius, 10px);
    --_height: var(--e2ee-height, 480px);
  }
  @media (prefers-color-scheme: dark) {
    :host {
      --_bg: var(--e2ee-bg, #0d1117);
      --_fg: var(--e2ee-fg, #e6edf3);
      --_muted: var(--e2ee-muted, #9198a1);
      --_border: var(--e2ee-border, #3d444d);
      --_accent: var(--e2ee-accent, #4493f8);
      --_own-bg: var(--e2ee-own-bg, #12264a);
      --_peer-bg: var(--e2ee-peer-bg, #1b222c);
      --_ok: var(--e2ee-ok, #3fb950);
      --_warn: var(--e2ee-warn, #d29922);
      /* #f85149 was 4.46:1 on our own messages' background; this is 5.07:1 (and 6.4:1 on the page). */
      --_danger: var(--e2ee-danger, #ff6159);
      /* White on the dark scheme's lighter fills is 3.1:1 and 3.4:1; this is 5.9:1 and 5.6:1 (WCAG AA). */
      --_on-accent: var(--e2ee-on-accent, #0d1117);
      --_on-danger: var(--e2ee-on-danger, #0d1117);
    }
  }
  e2ee-verify-dialog {
    --e2ee-font: var(--_font);
    --e2ee-bg: var(--_bg);
    --e2ee-fg: var(--_fg);
    --e2ee-border: var(--_border);
    --e2ee-accent: var(--_accent);
    --e2ee-on-accent: var(--_on-accent);
    --e2ee-ok: var(--_ok);
    --e2ee-warn: var(--_warn);
    --e2ee-danger: var(--_danger);
    --e2ee-radius: var(--_radius);
  }
`;

/**
 * Layout that holds in any page: the frame (the element's box) does the layout, never the host, so
 * the page may give the host any `display`, a height, a max-height, or a height from its flex or
 * grid. By default the host is `--e2ee-height` tall; with `fill`, 100% of its container. With
 * `display: inline` or `contents` (no box of its own) the frame takes `--e2ee-height` itself.
 */
export const chatStyles = css`
  ${tokenDefaults}
  :host { display: block; height: var(--_height); max-width: 100%; min-width: 0; }
  :host([fill]) { height: 100%; }
  :host([hidden]) { display: none; }
  .frame {
    position: relative;
    display: flex;
    flex-direction: column;
    box-sizing: border-box;
    height: 100%;
    max-height: inherit;
    min-width: 280px;
    max-width: 100%;
    font: 14px/1.4 var(--_font);
    letter-spacing: normal;
    text-align: start;
    color: var(--_fg);
    background: var(--_bg);
    border: 1px solid var(--_border);
    border-radius: var(--_radius);
    overflow: hidden;
    container-type: inline-size;
  }
  .frame.own-height { height: var(--_height); }
  *, *::before, *::after { box-sizing: inherit; }
  header { flex: none; display: flex; flex-wrap: nowrap; align-items: center; gap: 6px; padding: 6px 8px; border-bottom: 1px solid var(--_border); }
  .peer { font-weight: 600; flex: 1 1 auto; min-width: 2em; overflow: hidden; text-overflow: ellipsis; white-space: nowrap; }
  .status { flex: none; display: inline-flex; align-items: center; gap: 4px; padding: 2px 8px; border-radius: 999px; font-size: 12px; font-weight: 600; border: 1px solid currentColor; white-space: nowrap; }
  .status.plaintext { color: var(--_on-danger); background: var(--_danger); border-color: var(--_danger); }
  .status.encrypted { color: var(--_accent); }
  .status.verified { color: var(--_ok); }
  .status.finished { color: var(--_muted); }
  .narrow { display: none; }
  @container (max-width: 430px) {
    .wide { display: none; }
    .narrow { display: inline; }
    .primary-action .icon { display: none; }
    .status { padding: 2px 6px; }
  }
  button { font: inherit; font-size: 13px; padding: 4px 10px; border-radius: 6px; border: 1px solid var(--_border); background: var(--_bg); color: var(--_fg); cursor: pointer; white-space: nowrap; }
  button:hover:not(:disabled) { border-color: var(--_accent); }
  button:focus-visible, textarea:focus-visible, summary:focus-visible { outline: 2px solid var(--_accent); outline-offset: 1px; }
  button:disabled { opacity: 0.5; cursor: default; }
  button.primary { background: var(--_accent); border-color: var(--_accent); color: var(--_on-accent); }
  .primary-action { flex: none; display: inline-flex; align-items: center; gap: 4px; }
  .icon-button { flex: none; padding: 4px 7px; line-height: 1; }
  .icon { flex: none; }
  .menu-wrap { position: relative; flex: none; }
  .menu { position: absolute; inset-inline-end: 0; top: calc(100% + 4px); z-index: 3; display: flex; flex-direction: column; min-width: 190px; padding: 4px; border: 1px solid var(--_border); border-radius: 8px; background: var(--_bg); box-shadow: 0 6px 20px rgb(0 0 0 / 0.18); }
  .menu button { border: none; text-align: start; display: flex; align-items: center; gap: 8px; padding: 6px 10px; }
  .menu button:hover:not(:disabled) { background: var(--_peer-bg); }
  .banner { flex: none; padding: 6px 10px; font-size: 13px; border-bottom: 1px solid var(--_border); }
  .keygen { color: var(--_muted); }
  .nudge { display: flex; align-items: center; gap: 8px; color: var(--_fg); background: color-mix(in srgb, var(--_accent) 7%, var(--_bg)); }
  .nudge span { flex: 1; min-width: 0; }
  .fingerprints { max-height: 45%; overflow-y: auto; }
  .fingerprints dl { margin: 0; display: grid; grid-template-columns: auto 1fr; gap: 2px 8px; }
  .fingerprints dd { margin: 0; font-family: ui-monospace, monospace; overflow-wrap: anywhere; }
  .keys { display: flex; flex-wrap: wrap; gap: 4px; margin-top: 6px; }
  .keys.destructive { padding-top: 6px; border-top: 1px dashed var(--_border); }
  button.destructive { color: var(--_danger); border-color: color-mix(in srgb, var(--_danger) 50%, var(--_border)); }
  .file-button { font-size: 13px; padding: 4px 10px; border-radius: 6px; border: 1px solid var(--_border); cursor: pointer; }
  .file-button input { position: absolute; width: 1px; height: 1px; opacity: 0; }
  .file-button:focus-within { outline: 2px solid var(--_accent); }
  .confirm { margin-top: 6px; padding: 6px 8px; border: 1px solid var(--_danger); border-radius: 6px; }
  .confirm p { margin: 0 0 6px; }
  button.danger { background: var(--_danger); border-color: var(--_danger); color: var(--_on-danger); }
  .key-change { color: var(--_danger); border: 2px solid var(--_danger); background: color-mix(in srgb, var(--_danger) 8%, var(--_bg)); }
  .key-change div { margin-top: 4px; }
  .log { flex: 1 1 auto; min-height: 0; display: flex; flex-direction: column; }
  ol.messages { list-style: none; margin: 0; padding: 10px; flex: 1 1 auto; min-height: 0; overflow-y: auto; overflow-x: hidden; display: flex; flex-direction: column; gap: 6px; }
  .message { max-width: 85%; padding: 6px 10px; border-radius: var(--_radius); background: var(--_peer-bg); align-self: flex-start; }
  .message.out { background: var(--_own-bg); align-self: flex-end; }
  .notice { align-self: stretch; display: flex; gap: 8px; align-items: start; padding: 6px 10px; font-size: 12.5px; border-radius: 8px; border: 1px dashed currentColor; color: var(--_muted); background: transparent; }
  .notice.good { color: var(--_ok); }
  .notice.warn { color: var(--_warn); }
  .notice.danger { color: var(--_danger); border-style: solid; background: color-mix(in srgb, var(--_danger) 6%, var(--_bg)); }
  .notice .icon { margin-top: 3px; }
  .notice-body { flex: 1; min-width: 0; overflow-wrap: anywhere; }
  .notice-body span { color: var(--_fg); }
  .notice details { margin-top: 2px; color: var(--_muted); }
  .notice summary { cursor: pointer; font-size: 11.5px; }
  .notice .detail { color: var(--_muted); font-family: ui-monospace, monospace; font-size: 11px; }
  .notice-actions { display: flex; flex-wrap: wrap; gap: 6px; margin-top: 4px; }
  .notice-actions button { font-size: 12px; padding: 2px 8px; }
  .text { white-space: pre-wrap; overflow-wrap: anywhere; word-break: break-word; unicode-bidi: isolate; }
  .meta { display: flex; flex-wrap: wrap; gap: 6px; font-size: 11px; color: var(--_muted); margin-top: 2px; }
  .lock.plain { color: var(--_danger); font-weight: 600; }
  .delivery.failed { color: var(--_danger); font-weight: 600; }
  .mark.resent { font-style: italic; }
  .meta button { font-size: 11px; padding: 0 6px; }
  form { flex: none; display: flex; gap: 6px; padding: 8px; border-top: 1px solid var(--_border); }
  textarea { flex: 1; min-width: 0; resize: none; font: inherit; padding: 6px 8px; border: 1px solid var(--_border); border-radius: 6px; background: var(--_bg); color: var(--_fg); }
  e2ee-verify-dialog::part(dialog) { position: absolute; inset: 44px 8px auto 8px; max-height: calc(100% - 52px); z-index: 2; }
  .file-card { display: flex; flex-direction: column; gap: 4px; min-width: 180px; }
  .thumbnail { display: block; max-width: 100%; max-height: 220px; border-radius: calc(var(--_radius) - 4px); object-fit: contain; }
  .file-line { display: flex; flex-wrap: wrap; align-items: baseline; gap: 6px; }
  .file-name { font-weight: 600; overflow-wrap: anywhere; }
  .file-size { color: var(--_muted); font-size: 12px; }
  .save { color: color-mix(in srgb, var(--_accent) 75%, var(--_fg)); font-size: 13px; }
  .file-progress { display: flex; align-items: center; gap: 6px; }
  .file-progress progress { flex: 1; min-width: 80px; accent-color: var(--_accent); }
  .file-failed { color: var(--_danger); font-size: 13px; }
  .attach { flex: none; display: inline-flex; align-items: center; position: relative; }
  form.dropping { outline: 2px dashed var(--_accent); outline-offset: -4px; }
  .input-held { flex: none; margin: 0; padding: 6px 10px; font-size: 13px; font-weight: 600; color: var(--_danger); border-top: 2px solid var(--_danger); }
  .shell { height: 100%; }
  .shell.own-height { height: var(--_height); }
  .isolated-frame { display: block; width: 100%; height: 100%; border: 0; border-radius: var(--_radius); background: transparent; color-scheme: normal; }
  .frame-error { box-sizing: border-box; height: 100%; padding: 12px; font: 14px/1.4 var(--_font); color: var(--_danger); background: var(--_bg); border: 2px solid var(--_danger); border-radius: var(--_radius); overflow-wrap: anywhere; }
  .sr-only { position: absolute; width: 1px; height: 1px; padding: 0; margin: -1px; overflow: hidden; clip: rect(0 0 0 0); white-space: nowrap; border: 0; }
`;
