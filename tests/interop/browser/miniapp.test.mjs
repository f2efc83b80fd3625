// The Mini App end to end in real Chromium: sign in with initData signed by the test bot token,
// see the balance, buy a package through the Sandbox provider, see the balance change; a forged
// initData sees the error screen. Screenshots go to tests/output/browser/.
//   HTTP_BASE  the Host's HTTP/1.1 endpoint (serves /app/, gRPC-Web, the sandbox page)
//   BOT_TOKEN  the Host's Telegram:BotToken
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { createHmac } from 'node:crypto';
import { mkdirSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { launchChromium } from './chromium.mjs';

const here = path.dirname(fileURLToPath(import.meta.url));
const screenshots = path.resolve(here, '../../output/browser');
const httpBase = process.env.HTTP_BASE ?? 'http://127.0.0.1:5000';
const botToken = process.env.BOT_TOKEN ?? '123456:TEST-token';
mkdirSync(screenshots, { recursive: true });

/** initData exactly as Telegram builds it: sorted key=value lines, HMAC key = HMAC("WebAppData", token). */
function signInitData(user, authDate = Math.floor(Date.now() / 1000)) {
  const fields = { auth_date: String(authDate), query_id: 'AAH-test', user: JSON.stringify(user) };
  const check = Object.keys(fields).sort().map((key) => `${key}=${fields[key]}`).join('\n');
  const secret = createHmac('sha256', 'WebAppData').update(botToken).digest();
  const hash = createHmac('sha256', secret).update(check).digest('hex');
  return new URLSearchParams({ ...fields, hash }).toString();
}

function appUrl(initData) {
  const hash = new URLSearchParams({ tgWebAppData: initData, tgWebAppVersion: '8.0', tgWebAppPlatform: 'tdesktop' });
  return `${httpBase}/app/#${hash}`;
}

let browser;

before(async () => {
  browser = await launchChromium();
});

after(async () => {
  await browser?.close();
});

async function newPage() {
  const context = await browser.newContext({ viewport: { width: 420, height: 860 } });
  // No internet here: telegram-web-app.js fails fast instead of hanging on DNS.
  await context.route('https://telegram.org/**', (route) => route.abort());
  return { context, page: await context.newPage() };
}

test('a signed-in user sees the balance, buys a package through the sandbox and sees the balance change', async () => {
  const userId = 700000 + Math.floor(Math.random() * 100000);
  const { context, page } = await newPage();
  try {
    await page.goto(appUrl(signInitData({ id: userId, first_name: 'Test', language_code: 'en' })));
    const balance = page.locator('#balance');
    await balance.waitFor({ timeout: 20_000 });
    const before = Number(await balance.textContent());
    await page.screenshot({ path: path.join(screenshots, '1-home.png') });

    await page.click('#top-up');
    const sandbox = page.locator('[data-package="pack-100"] button[data-method="sandbox"]');
    await sandbox.waitFor({ timeout: 10_000 });
    await page.screenshot({ path: path.join(screenshots, '2-packages.png') });

    const [checkout] = await Promise.all([context.waitForEvent('page'), sandbox.click()]);
    await checkout.waitForLoadState();
    await page.locator('#order-status').waitFor();
    await page.screenshot({ path: path.join(screenshots, '3-order-pending.png') });
    await checkout.click('#pay');
    await checkout.locator('#status').waitFor();
    assert.equal(await checkout.locator('#status').textContent(), 'Succeeded');
    await checkout.screenshot({ path: path.join(screenshots, '4-sandbox-paid.png') });

    // Back on the Mini App: the live order status settles and the home screen shows the new balance.
    await page.waitForFunction((expected) => document.querySelector('#balance')?.textContent === String(expected), before + 100, { timeout: 30_000 });
    await page.screenshot({ path: path.join(screenshots, '5-balance-after.png') });
    assert.ok(await page.locator('#transactions').isVisible());
  } finally {
    await context.close();
  }
});

test('a forged initData sees the error screen', async () => {
  const { context, page } = await newPage();
  try {
    const forged = signInitData({ id: 1, first_name: 'Mallory', language_code: 'en' }).replace(/hash=[0-9a-f]{4}/, 'hash=0000');
    await page.goto(appUrl(forged));
    await page.locator('#error').waitFor({ timeout: 20_000 });
    assert.match(await page.locator('#error-message').textContent(), /sign you in/);
    assert.equal(await page.locator('#balance').count(), 0);
    await page.screenshot({ path: path.join(screenshots, '6-forged-initdata.png') });
  } finally {
    await context.close();
  }
});
