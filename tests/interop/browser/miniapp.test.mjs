// The Mini App end to end in real Chromium: sign in with initData signed by the test bot token,
// see the balance, buy a package through the Sandbox provider, see the balance change; a forged
// initData sees the error screen. Screenshots go to tests/output/browser/.
//   HTTP_BASE  the Host's HTTP/1.1 endpoint (serves /app/, gRPC-Web, the sandbox page)
//   BOT_TOKEN  the Host's Telegram:BotToken
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { mkdirSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { launchChromium } from './chromium.mjs';
import { appUrl, newPage, signInitData } from './miniapp-session.mjs';

const here = path.dirname(fileURLToPath(import.meta.url));
const screenshots = path.resolve(here, '../../output/browser');
const httpBase = process.env.HTTP_BASE ?? 'http://127.0.0.1:5000';
const botToken = process.env.BOT_TOKEN ?? '123456:TEST-token';
mkdirSync(screenshots, { recursive: true });

let browser;

before(async () => {
  browser = await launchChromium();
});

after(async () => {
  await browser?.close();
});

test('a signed-in user sees the balance, buys a package through the sandbox and sees the balance change', async () => {
  const userId = 700000 + Math.floor(Math.random() * 100000);
  const { context, page } = await newPage(browser);
  try {
    await page.goto(appUrl(httpBase, signInitData(botToken, { id: userId, first_name: 'Test', language_code: 'en' })));
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
  const { context, page } = await newPage(browser);
  try {
    const forged = signInitData(botToken, { id: 1, first_name: 'Mallory', language_code: 'en' }).replace(/hash=[0-9a-f]{4}/, 'hash=0000');
    await page.goto(appUrl(httpBase, forged));
    await page.locator('#error').waitFor({ timeout: 20_000 });
    assert.match(await page.locator('#error-message').textContent(), /sign you in/);
    assert.equal(await page.locator('#balance').count(), 0);
    await page.screenshot({ path: path.join(screenshots, '6-forged-initdata.png') });
  } finally {
    await context.close();
  }
});
