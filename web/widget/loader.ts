/**
 * The embeddable chat widget: `<script src="https://<host>/widget.js" async></script>` adds a
 * floating 在线客服 button; clicking it opens the portal's chat (/portal/chat?embed=1) in an iframe
 * from the same host the script came from. Options on the tag: data-lang="en", data-position="left", data-team="<team code>".
 * Plain DOM, no framework: this file is all a host page loads until the button is clicked.
 */
import { WIDGET_MESSAGES } from '../shared/i18n/widget-messages.ts';

(() => {
  const w = window as Window & { __parceldeskWidget?: boolean };
  if (w.__parceldeskWidget) return; // the tag pasted twice: one button
  w.__parceldeskWidget = true;

  const script = document.currentScript as HTMLScriptElement | null;
  const src = script?.src ?? '';
  const origin = src ? new URL(src, window.location.href).origin : window.location.origin;
  const lang: 'zh' | 'en' = script?.dataset.lang === 'en' ? 'en' : 'zh';
  const side = script?.dataset.position === 'left' ? 'left' : 'right';
  const team = script?.dataset.team ?? '';
  const text = WIDGET_MESSAGES[lang];

  const mount = (): void => {
    const host = document.createElement('div');
    host.id = 'parceldesk-widget';
    // A shadow root keeps the host page's CSS off the button and ours off the page.
    const root = host.attachShadow({ mode: 'open' });
    const style = document.createElement('style');
    style.textContent =
      `.b{position:fixed;${side}:20px;bottom:20px;z-index:2147483000;border:0;border-radius:24px;padding:12px 18px;` +
      'background:#c2410c;color:#fff;font:600 15px/1.2 system-ui,"PingFang SC","Noto Sans CJK SC",sans-serif;box-shadow:0 4px 14px rgba(0,0,0,.25);cursor:pointer}' +
      `.f{position:fixed;${side}:20px;bottom:76px;z-index:2147483000;width:min(380px,calc(100vw - 40px));height:min(600px,calc(100vh - 100px));` +
      'border:0;border-radius:12px;box-shadow:0 8px 30px rgba(0,0,0,.3);background:#fff}';
    const button = document.createElement('button');
    button.className = 'b';
    button.type = 'button';
    button.textContent = text['widget.open'];
    button.setAttribute('aria-expanded', 'false');
    let frame: HTMLIFrameElement | null = null;
    button.addEventListener('click', () => {
      if (!frame) {
        frame = document.createElement('iframe');
        frame.className = 'f';
        frame.title = text['widget.frameTitle'];
        frame.src = `${origin}/portal/chat?embed=1&lang=${lang}${team ? `&team=${encodeURIComponent(team)}` : ''}`;
        frame.setAttribute('allow', 'clipboard-write');
        root.appendChild(frame);
      } else {
        frame.hidden = !frame.hidden;
      }
      const open = !frame.hidden;
      button.setAttribute('aria-expanded', String(open));
      button.textContent = open ? text['widget.close'] : text['widget.open'];
    });
    root.append(style, button);
    document.body.appendChild(host);
  };

  if (document.body) mount();
  else document.addEventListener('DOMContentLoaded', mount);
})();
