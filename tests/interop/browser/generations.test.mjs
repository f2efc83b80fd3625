// The Mini App's "My generations" screen in real Chromium: a video-tools job is listed with its kind, its options
// summarised in the user's language, its price, status and links to its files (which download); an image job
// beside it shows its prompt, and an edit of that image says what it edits. Screenshots go to tests/output/browser/.
//   HTTP_BASE        the Host's HTTP/1.1 endpoint (serves /app/, gRPC-Web and the result files)
//   BOT_TOKEN        the Host's Telegram:BotToken
//   USER_ID          the Telegram user who owns the jobs
//   VIDEO_TOOLS_JOB  a finished video-tools job: German subtitles, a voice-over replacing the sound (18 credits)
//   IMAGE_JOB        a finished text-to-image job of the same user
//   EDIT_JOB         a finished edit (✏️ Edit) of IMAGE_JOB
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
const userId = Number(process.env.USER_ID);
const videoToolsJob = process.env.VIDEO_TOOLS_JOB;
const imageJob = process.env.IMAGE_JOB;
const editJob = process.env.EDIT_JOB;
mkdirSync(screenshots, { recursive: true });

let browser;

before(async () => {
  browser = await launchChromium();
});

after(async () => {
  await browser?.close();
});

const expected = {
  en: {
    kind: '🎞 Video tools',
    summary: 'Subtitles → German (de), voice-over instead of the original sound',
    price: '18 credits',
    status: 'done',
    files: ['Video (mp4)', 'Subtitles (.srt)', 'Translated subtitles (.srt)'],
    editOf: '✏️ Edit of “a banana on the moon”',
  },
  ru: {
    kind: '🎞 Видеоинструменты',
    summary: 'Субтитры → немецкий (de), озвучка вместо оригинального звука',
    price: '18 кредитов',
    status: 'готово',
    files: ['Видео (mp4)', 'Субтитры (.srt)', 'Перевод субтитров (.srt)'],
    editOf: '✏️ Правка “a banana on the moon”',
  },
};

for (const language of ['en', 'ru']) {
  test(`a video-tools job is listed in ${language} with its options, price, status and working file links`, async () => {
    const want = expected[language];
    const { context, page } = await newPage(browser);
    try {
      await page.goto(appUrl(httpBase, signInitData(botToken, { id: userId, first_name: 'Test', language_code: language })));
      await page.locator('#generations').click({ timeout: 20_000 });
      const card = page.locator(`[data-job="${videoToolsJob}"]`);
      await card.waitFor({ timeout: 10_000 });

      assert.equal(await card.getAttribute('data-kind'), 'video_tools');
      assert.equal(await card.getAttribute('data-status'), 'succeeded');
      assert.equal(await card.locator('.job-kind').textContent(), want.kind);
      assert.equal(await card.locator('.job-summary').textContent(), want.summary);
      assert.equal(await card.locator('.job-price').textContent(), want.price);
      assert.equal(await card.locator('.job-status').textContent(), want.status);
      const links = card.locator('a.job-file');
      assert.deepEqual(await links.allTextContents(), want.files);
      const mimes = await links.evaluateAll((anchors) => anchors.map((a) => a.dataset.mime));
      assert.deepEqual(mimes, ['video/mp4', 'application/x-subrip', 'application/x-subrip']);
      for (const [index, href] of (await links.evaluateAll((anchors) => anchors.map((a) => a.href))).entries()) {
        const response = await context.request.get(href);
        assert.equal(response.status(), 200, href);
        if (index > 0) assert.match(await response.text(), /\d\d:\d\d:\d\d,\d{3} --> \d\d:\d\d:\d\d,\d{3}/);
      }

      const image = page.locator(`[data-job="${imageJob}"]`);
      assert.equal(await image.getAttribute('data-kind'), 'text_to_image');
      assert.equal(await image.locator('.job-summary').textContent(), 'a banana on the moon');
      assert.equal(await image.locator('.job-parent').count(), 0);
      const edit = page.locator(`[data-job="${editJob}"]`);
      assert.equal(await edit.locator('.job-summary').textContent(), 'make it night');
      assert.equal(await edit.locator('.job-parent').textContent(), want.editOf);
      assert.equal(await edit.locator('.job-parent').getAttribute('data-parent'), imageJob);
      await page.screenshot({ path: path.join(screenshots, `7-generations-${language}.png`), fullPage: true });
    } finally {
      await context.close();
    }
  });
}
