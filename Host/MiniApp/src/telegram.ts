// The Telegram WebApp bridge. telegram-web-app.js is loaded when reachable; without it (a browser
// outside Telegram, an offline test) the app still reads initData from the URL hash the way
// Telegram passes it (#tgWebAppData=…) and falls back to plain page navigation.

export interface ThemeParams {
  bg_color?: string;
  text_color?: string;
  hint_color?: string;
  link_color?: string;
  button_color?: string;
  button_text_color?: string;
  secondary_bg_color?: string;
}

interface BottomButton {
  setText(text: string): void;
  show(): void;
  hide(): void;
  onClick(callback: () => void): void;
  offClick(callback: () => void): void;
}

interface WebApp {
  initData: string;
  themeParams: ThemeParams;
  colorScheme?: 'light' | 'dark';
  ready(): void;
  expand(): void;
  MainButton: BottomButton;
  BackButton: { show(): void; hide(): void; onClick(cb: () => void): void; offClick(cb: () => void): void };
  openInvoice?(url: string, callback?: (status: 'paid' | 'cancelled' | 'failed' | 'pending') => void): void;
  openLink?(url: string): void;
  onEvent?(event: string, handler: () => void): void;
}

declare global {
  interface Window {
    Telegram?: { WebApp?: WebApp };
  }
}

const SCRIPT_URL = 'https://telegram.org/js/telegram-web-app.js';

/** Loads the official script, giving up after a short wait so an offline page still starts. */
export function loadTelegramScript(timeoutMs = 1500): Promise<void> {
  if (window.Telegram?.WebApp) return Promise.resolve();
  return new Promise((resolve) => {
    const script = document.createElement('script');
    script.src = SCRIPT_URL;
    script.async = true;
    const done = () => resolve();
    script.addEventListener('load', done);
    script.addEventListener('error', done);
    setTimeout(done, timeoutMs);
    document.head.appendChild(script);
  });
}

function webApp(): WebApp | undefined {
  const app = window.Telegram?.WebApp;
  // The script defines WebApp even outside Telegram, with empty initData.
  return app && app.initData ? app : undefined;
}

/** The raw initData query string, from the WebApp object or the launch URL's hash. */
export function initData(): string {
  const fromApp = webApp()?.initData;
  if (fromApp) return fromApp;
  const hash = new URLSearchParams(window.location.hash.replace(/^#/, ''));
  return hash.get('tgWebAppData') ?? '';
}

/** The user's language from initData ("ru" unless Telegram says English). */
export function language(): 'ru' | 'en' {
  try {
    const user = JSON.parse(new URLSearchParams(initData()).get('user') ?? '{}') as { language_code?: string };
    return user.language_code?.startsWith('en') ? 'en' : 'ru';
  } catch {
    return 'ru';
  }
}

export function applyTheme(): void {
  const app = webApp();
  app?.ready();
  app?.expand();
  let theme: ThemeParams = app?.themeParams ?? {};
  if (!app) {
    const fromHash = new URLSearchParams(window.location.hash.replace(/^#/, '')).get('tgWebAppThemeParams');
    try {
      theme = fromHash ? (JSON.parse(fromHash) as ThemeParams) : {};
    } catch {
      theme = {};
    }
  }
  const root = document.documentElement.style;
  const set = (name: string, value?: string) => {
    if (value && /^#[0-9a-fA-F]{3,8}$/.test(value)) root.setProperty(name, value);
  };
  set('--bg', theme.bg_color);
  set('--text', theme.text_color);
  set('--hint', theme.hint_color);
  set('--link', theme.link_color);
  set('--button', theme.button_color);
  set('--button-text', theme.button_text_color);
  set('--card', theme.secondary_bg_color);
}

let mainHandler: (() => void) | undefined;
let backHandler: (() => void) | undefined;

/** Mirrors the screen's primary action on Telegram's main button (the page keeps its own button too). */
export function setMainButton(text: string | undefined, onClick?: () => void): void {
  const button = webApp()?.MainButton;
  if (!button) return;
  if (mainHandler) button.offClick(mainHandler);
  mainHandler = undefined;
  if (!text || !onClick) {
    button.hide();
    return;
  }
  mainHandler = onClick;
  button.setText(text);
  button.onClick(onClick);
  button.show();
}

export function setBackButton(onClick?: () => void): void {
  const button = webApp()?.BackButton;
  if (!button) return;
  if (backHandler) button.offClick(backHandler);
  backHandler = onClick;
  if (onClick) {
    button.onClick(onClick);
    button.show();
  } else {
    button.hide();
  }
}

/** Opens a Stars invoice inside Telegram; outside Telegram the link opens in a new tab. */
export function openInvoice(url: string, onClosed: (status: string) => void): void {
  const app = webApp();
  if (app?.openInvoice) {
    app.openInvoice(url, (status) => onClosed(status));
  } else {
    window.open(url, '_blank', 'noopener');
  }
}

/** Opens a payment page (YooKassa, sandbox) outside the Mini App's webview. */
export function openExternal(url: string): void {
  const app = webApp();
  const absolute = new URL(url, window.location.href).toString();
  if (app?.openLink) {
    app.openLink(absolute);
  } else {
    window.open(absolute, '_blank');
  }
}
