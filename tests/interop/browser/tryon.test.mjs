// The Mini App's try-on screen in real Chromium: two photos picked from the "device" (the person photo is larger
// than the 4 MB gRPC message limit on purpose: the page must downscale it), the zone, the price and balance, a
// refused non-image file, start, progress over WatchJob and the result the offline Sandbox drew from both photos.
// Screenshots go to tests/output/browser/.
//   HTTP_BASE  the Host's HTTP/1.1 endpoint (serves /app/, gRPC-Web and the result files)
//   BOT_TOKEN  the Host's Telegram:BotToken
//   USER_ID    a Telegram user with credits
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { mkdirSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { deflateSync } from 'node:zlib';
import { launchChromium } from './chromium.mjs';
import { appUrl, newPage, signInitData } from './miniapp-session.mjs';

const here = path.dirname(fileURLToPath(import.meta.url));
const screenshots = path.resolve(here, '../../output/browser');
const httpBase = process.env.HTTP_BASE ?? 'http://127.0.0.1:5000';
const botToken = process.env.BOT_TOKEN ?? '123456:TEST-token';
const userId = Number(process.env.USER_ID);
mkdirSync(screenshots, { recursive: true });

const crcTable = Array.from({ length: 256 }, (_, n) => {
  let c = n;
  for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
  return c >>> 0;
});

function chunk(type, data) {
  const body = Buffer.concat([Buffer.from(type, 'ascii'), data]);
  let crc = 0xffffffff;
  for (const byte of body) crc = crcTable[(crc ^ byte) & 0xff] ^ (crc >>> 8);
  const length = Buffer.alloc(4);
  length.writeUInt32BE(data.length);
  const sum = Buffer.alloc(4);
  sum.writeUInt32BE((crc ^ 0xffffffff) >>> 0);
  return Buffer.concat([length, body, sum]);
}

/** An RGB PNG whose pixel (x, y) is paint(x / width, y / height) → [r, g, b]. */
function png(width, height, paint) {
  const raw = Buffer.alloc(height * (width * 3 + 1));
  for (let y = 0; y < height; y++) {
    const row = y * (width * 3 + 1);
    for (let x = 0; x < width; x++) {
      const [r, g, b] = paint(x / width, y / height);
      raw[row + 1 + x * 3] = r;
      raw[row + 2 + x * 3] = g;
      raw[row + 3 + x * 3] = b;
    }
  }
  const header = Buffer.alloc(13);
  header.writeUInt32BE(width, 0);
  header.writeUInt32BE(height, 4);
  header[8] = 8;
  header[9] = 2;
  return Buffer.concat([Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]), chunk('IHDR', header), chunk('IDAT', deflateSync(raw, { level: 1 })), chunk('IEND', Buffer.alloc(0))]);
}

const noise = () => Math.floor(Math.random() * 40) - 20;
const clamp = (v) => Math.max(0, Math.min(255, v));
// A standing figure (red head and body, dark legs) on a noisy grey wall: noise keeps the PNG over 4 MB.
const person = png(1800, 2400, (x, y) => {
  const head = (x - 0.5) ** 2 + ((y - 0.12) * 1.33) ** 2 < 0.008;
  const body = x > 0.3 && x < 0.7 && y > 0.2 && y < 0.55;
  const legs = ((x > 0.33 && x < 0.47) || (x > 0.53 && x < 0.67)) && y >= 0.55 && y < 0.92;
  const base = head ? [230, 180, 150] : body ? [200, 40, 40] : legs ? [40, 40, 60] : [200, 200, 200];
  const n = noise();
  return base.map((c) => clamp(c + n));
});
// A blue T-shirt on white.
const garment = png(600, 600, (x, y) => {
  const torso = x > 0.25 && x < 0.75 && y > 0.1 && y < 0.95;
  const sleeves = y > 0.1 && y < 0.35 && x > 0.05 && x < 0.95;
  return torso || sleeves ? [30, 70, 210] : [255, 255, 255];
});

let browser;

before(async () => {
  assert.ok(person.length > 4 * 1024 * 1024, `the person photo should exceed the gRPC limit (${person.length} bytes)`);
  browser = await launchChromium();
});

after(async () => {
  await browser?.close();
});

const expected = {
  en: { button: '👗 Try-on', price: 'Price: 2 credits', notImage: 'is not a picture', start: 'Try on for 2 credits', done: 'Done!', zone: '👕 Top' },
  ru: { button: '👗 Примерка', price: 'Цена: 2 кр.', notImage: 'не картинка', start: 'Примерить за 2 кр.', done: 'Готово!', zone: '👕 Верх' },
};

for (const language of ['en', 'ru']) {
  test(`a try-on in ${language}: two photos, the zone, the price, progress and the combined result`, async () => {
    const want = expected[language];
    const { context, page } = await newPage(browser);
    try {
      await page.goto(appUrl(httpBase, signInitData(botToken, { id: userId, first_name: 'Test', language_code: language })));
      const open = page.locator('#try-on');
      await open.waitFor({ timeout: 20_000 });
      assert.equal(await open.textContent(), want.button);
      await open.click();
      const price = page.locator('#tryon-price');
      await price.waitFor({ timeout: 10_000 });
      assert.match(await price.textContent(), new RegExp(want.price.replace(/[.]/g, '\\.')));

      // A file that is not a picture is refused in the page, before anything is sent or charged.
      await page.setInputFiles('#tryon-person', { name: 'notes.txt', mimeType: 'text/plain', buffer: Buffer.from('not a photo') });
      await page.setInputFiles('#tryon-garment', { name: 'shirt.png', mimeType: 'image/png', buffer: garment });
      await page.locator('[data-zone="top"]').click();
      const start = page.locator('#tryon-start');
      assert.equal(await start.textContent(), want.start);
      await start.click();
      await page.waitForFunction((text) => document.querySelector('#tryon-message')?.textContent?.includes(text), want.notImage, { timeout: 10_000 });

      await page.setInputFiles('#tryon-person', { name: 'me.png', mimeType: 'image/png', buffer: person });
      await page.waitForFunction(() => !document.querySelector('#tryon-start')?.hasAttribute('disabled'));
      // The previews are the picked files themselves (object URLs the page's policy allows).
      await page.waitForFunction(() => document.querySelector('#tryon-person-preview')?.naturalWidth === 1800 && document.querySelector('#tryon-garment-preview')?.naturalWidth === 600, null, { timeout: 10_000 });
      await page.screenshot({ path: path.join(screenshots, `8-tryon-picked-${language}.png`), fullPage: true });
      await start.click();
      await page.waitForFunction(() => document.querySelector('#tryon-status')?.dataset.status === 'succeeded', null, { timeout: 60_000 });
      assert.equal(await page.locator('#tryon-status').textContent(), want.done);
      const image = page.locator('#tryon-image');
      await page.waitForFunction(() => document.querySelector('#tryon-image')?.naturalWidth > 0, null, { timeout: 10_000 });

      // The result is the person photo (downscaled to 1536 px) with the garment in the top zone.
      const pixels = await image.evaluate((img) => {
        const canvas = document.createElement('canvas');
        canvas.width = img.naturalWidth;
        canvas.height = img.naturalHeight;
        const context = canvas.getContext('2d');
        context.drawImage(img, 0, 0);
        const at = (fx, fy) => [...context.getImageData(Math.floor(fx * img.naturalWidth), Math.floor(fy * img.naturalHeight), 1, 1).data.slice(0, 3)];
        return { width: img.naturalWidth, height: img.naturalHeight, chest: at(0.5, 0.3), wall: at(0.1, 0.7), legs: at(0.4, 0.8) };
      });
      assert.ok(Math.max(pixels.width, pixels.height) <= 1536, JSON.stringify(pixels));
      assert.ok(pixels.chest[2] > 150 && pixels.chest[0] < 100, `garment blue on the chest: ${JSON.stringify(pixels)}`);
      assert.ok(pixels.wall[0] > 150 && pixels.wall[2] > 150, `person photo's wall kept: ${JSON.stringify(pixels)}`);
      assert.ok(pixels.legs[0] < 90, `person's legs kept: ${JSON.stringify(pixels)}`);
      const response = await context.request.get(await page.locator('#tryon-open').evaluate((a) => a.href));
      assert.equal(response.status(), 200);
      assert.equal(response.headers()['content-type'], 'image/png');
      await page.screenshot({ path: path.join(screenshots, `8-tryon-result-${language}.png`), fullPage: true });

      // "My generations" lists it as a try-on with its zone in the reader's language (never the server's instruction).
      await page.evaluate(() => window.scrollTo(0, 0));
      await page.locator('#tryon-again').click();
      await page.locator('#tryon-price').waitFor({ timeout: 10_000 });
      await page.reload();
      await page.locator('#generations').click({ timeout: 20_000 });
      const listed = page.locator('[data-kind="try_on"]').first();
      await listed.waitFor({ timeout: 10_000 });
      assert.equal(await listed.locator('.job-kind').textContent(), want.button);
      assert.equal(await listed.locator('.job-summary').textContent(), want.zone);
    } finally {
      await context.close();
    }
  });
}
