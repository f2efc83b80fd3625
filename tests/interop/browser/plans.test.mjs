// The Mini App's ⭐ Plans screen in real Chromium (ADR 0150, 0152): the plans compared with Stars and card prices and
// the user's plan; "Subscribe with Stars" opens the subscription invoice link (Telegram.WebApp.openInvoice); paying a
// period by card with the automatic-renewal tick opens YooKassa's page and, once the test's fake YooKassa reports it
// paid, the screen shows the plan and its renewal date; cancelling and renewing again. Screenshots go to
// tests/output/browser/.
//   HTTP_BASE   the Host's HTTP/1.1 endpoint (serves /app/ and gRPC-Web)
//   BOT_TOKEN   the Host's Telegram:BotToken
//   USER_EN / USER_RU  a fresh Telegram user per language
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
const users = { en: Number(process.env.USER_EN), ru: Number(process.env.USER_RU) };
mkdirSync(screenshots, { recursive: true });

let browser;

before(async () => {
  browser = await launchChromium();
});

after(async () => {
  await browser?.close();
});

const expected = {
  en: { free: 'Your plan: FREE', stars: 'Subscribe with Stars · ⭐270', card: 'Pay by card · 299 ₽ / 30 days', invoice: 'Pay the invoice in Telegram', renews: /^Your plan: PRO, renews on \d\d\.\d\d\.\d{4}\.$/, ending: 'Renewal is cancelled', yours: '✅ your plan', allowance: '10 free credits every month (they do not carry over)', freeQuality: 'video tools: results up to 720p', proQuality: 'video tools: results up to 1080p', carryOver: '+350 credits every period (unspent ones carry over)' },
  ru: { free: 'Ваш тариф: FREE', stars: 'Подписаться звёздами · ⭐270', card: 'Оплатить картой · 299 ₽ / 30 дней', invoice: 'Оплатите счёт в Telegram', renews: /^Ваш тариф: PRO, продление \d\d\.\d\d\.\d{4}\.$/, ending: 'Продление отменено', yours: '✅ ваш тариф', allowance: '10 бесплатных кредитов каждый месяц (не переносятся)', freeQuality: 'видеоинструменты: готовое видео до 720p', proQuality: 'видеоинструменты: готовое видео до 1080p', carryOver: '+350 кредитов каждый период (остаток переносится)' },
};

for (const language of ['en', 'ru']) {
  test(`plans in ${language}: compare, Stars invoice link, a card period with automatic renewal, cancel and renew again`, async () => {
    const want = expected[language];
    const { page } = await newPage(browser);
    // No Telegram app around the page: openInvoice and openLink fall back to window.open, recorded here.
    await page.addInitScript(() => {
      window.__opened = [];
      window.open = (url) => { window.__opened.push(String(url)); return null; };
    });
    const opened = () => page.evaluate(() => window.__opened);
    try {
      await page.goto(appUrl(httpBase, signInitData(botToken, { id: users[language], first_name: 'Test', language_code: language })));
      await page.locator('#plans').click({ timeout: 20_000 });
      const pro = page.locator('[data-plan="pro"].plan');
      await pro.waitFor({ timeout: 10_000 });
      assert.equal(await page.locator('.plan').count(), 3);
      assert.ok((await page.locator('#current-plan-text').textContent()).startsWith(want.free));
      assert.equal(await page.locator('[data-plan="free"].plan .plan-current').textContent(), want.yours);
      // FREE's credits are the monthly allowance that does not carry over; PRO's seeded credits carry over (ADR 0161).
      assert.ok((await page.locator('[data-plan="free"].plan').textContent()).includes(want.allowance));
      assert.ok((await pro.textContent()).includes(want.carryOver));
      assert.ok((await page.locator('[data-plan="free"].plan').textContent()).includes(want.freeQuality));
      assert.ok((await pro.textContent()).includes(want.proQuality));
      assert.equal(await pro.locator('[data-action="stars"]').textContent(), want.stars);
      assert.equal(await pro.locator('[data-action="card"]').textContent(), want.card);
      assert.equal(await page.locator('[data-plan="free"].plan button').count(), 0);
      await page.screenshot({ path: path.join(screenshots, `8-plans-${language}.png`), fullPage: true });

      await pro.locator('[data-action="stars"]').click();
      await page.locator('#plans-message', { hasText: want.invoice }).waitFor({ timeout: 10_000 });
      assert.match((await opened()).at(-1), /^https:\/\/t\.me\/\$sub:[0-9a-f]{32}$/);

      await page.locator('#auto-renew').check();
      await pro.locator('[data-action="card"]').click();
      // The test's fake YooKassa is paid by the test process as soon as the payment exists.
      await page.locator('#current-plan[data-plan="pro"]').waitFor({ timeout: 40_000 });
      assert.match((await opened()).at(-1), /^https:\/\/yoomoney\.ru\/checkout\//);
      assert.match(await page.locator('#current-plan-text').textContent(), want.renews);
      assert.equal(await page.locator('[data-plan="pro"].plan .plan-current').textContent(), want.yours);
      assert.equal(await page.locator('[data-action]').count(), 0);
      await page.screenshot({ path: path.join(screenshots, `8-plans-subscribed-${language}.png`), fullPage: true });

      await page.locator('#cancel-renewal').click();
      await page.locator('#current-plan[data-canceled="true"]').waitFor({ timeout: 10_000 });
      assert.ok((await page.locator('#current-plan-text').textContent()).includes(want.ending));
      await page.locator('#resume-renewal').click();
      await page.locator('#current-plan[data-canceled="false"]').waitFor({ timeout: 10_000 });
      assert.match(await page.locator('#current-plan-text').textContent(), want.renews);
    } finally {
      await page.context().close();
    }
  });
}
