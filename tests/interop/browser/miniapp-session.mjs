// Opening the Mini App as Telegram does, for the browser suites: initData signed with the bot token, passed in the URL hash.
import { createHmac } from 'node:crypto';

/** initData exactly as Telegram builds it: sorted key=value lines, HMAC key = HMAC("WebAppData", token). */
export function signInitData(botToken, user, authDate = Math.floor(Date.now() / 1000)) {
  const fields = { auth_date: String(authDate), query_id: 'AAH-test', user: JSON.stringify(user) };
  const check = Object.keys(fields).sort().map((key) => `${key}=${fields[key]}`).join('\n');
  const secret = createHmac('sha256', 'WebAppData').update(botToken).digest();
  const hash = createHmac('sha256', secret).update(check).digest('hex');
  return new URLSearchParams({ ...fields, hash }).toString();
}

export function appUrl(httpBase, initData) {
  const hash = new URLSearchParams({ tgWebAppData: initData, tgWebAppVersion: '8.0', tgWebAppPlatform: 'tdesktop' });
  return `${httpBase}/app/#${hash}`;
}

export async function newPage(browser) {
  const context = await browser.newContext({ viewport: { width: 420, height: 860 } });
  // No internet here: telegram-web-app.js fails fast instead of hanging on DNS.
  await context.route('https://telegram.org/**', (route) => route.abort());
  return { context, page: await context.newPage() };
}
