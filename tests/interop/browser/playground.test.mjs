// The playground web chat in real Chromium, against the Host started like the offline `./nb run`:
// a user starts the bot, creates an image (model → prompt → confirm → progress edits → the picture),
// then tops up with Telegram Stars from the emulator's wallet and sees the balance change.
// A second user sends a video from the browser (📎) to 🎞 Video tools: a file over the Bot API's 20 MB download
// limit is explained, the real one (sent "as file") gets options toggled, runs with progress and comes back as a
// 9:16 video with both .srt files. A third asks the 💡 prompt assistant (offline Sandbox), generates a variant
// and opens ✏️ Edit on the result. Screenshots go to tests/output/playground/.
//   WEB_CHAT    the playground's web chat URL (printed by the Host as "Web chat:")
//   VIDEO_FILE  a short test video with speech to send
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { mkdirSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { launchChromium } from './chromium.mjs';

const here = path.dirname(fileURLToPath(import.meta.url));
const screenshots = path.resolve(here, '../../output/playground');
const webChat = process.env.WEB_CHAT ?? 'http://127.0.0.1:8088/';
const videoFile = process.env.VIDEO_FILE;
mkdirSync(screenshots, { recursive: true });

let browser;

before(async () => {
  browser = await launchChromium();
});

after(async () => {
  await browser?.close();
});

/** The newest bot message containing the text (rows carry data-from / data-message-id / data-edits). */
function botMessage(page, text) {
  return page.locator('#messages [data-from="bot"]', { hasText: text }).last();
}

async function say(page, text) {
  await page.fill('#text', text);
  await page.press('#text', 'Enter');
}

async function shot(page, name) {
  await page.screenshot({ path: path.join(screenshots, name) });
}

/** Presses a reply-keyboard button and returns the bot's answer containing the expected text. */
async function pressMenu(page, button, answer) {
  await page.locator('#reply-keyboard button', { hasText: button }).click();
  const message = botMessage(page, answer);
  await message.waitFor({ timeout: 20_000 });
  return message;
}

async function balanceOf(page) {
  const before = await page.locator('#messages [data-from="bot"]', { hasText: 'Balance:' }).count();
  await page.locator('#reply-keyboard button', { hasText: 'My balance' }).click();
  await page.locator('#messages [data-from="bot"]', { hasText: 'Balance:' }).nth(before).waitFor({ timeout: 20_000 });
  const text = await page.locator('#messages [data-from="bot"]', { hasText: 'Balance:' }).last().textContent();
  return Number(/Balance: (\d+)/.exec(text)[1]);
}

/** A new playground user (their own browser context) with the web chat open and the bot's name loaded. */
async function openChat(name, firstId, contextOptions = {}) {
  const userId = firstId + Math.floor(Math.random() * 90000);
  const context = await browser.newContext({ viewport: { width: 480, height: 900 }, ...contextOptions });
  await context.addInitScript(([id, user]) => {
    localStorage.setItem('playground-user', JSON.stringify({ id, name: user, lang: 'en' }));
  }, [userId, name]);
  const page = await context.newPage();
  try {
    await page.goto(webChat);
    await page.waitForFunction(() => document.querySelector('#bot-name')?.textContent !== 'Bot');
  } catch (error) {
    await context.close();
    throw error;
  }
  return { context, page };
}

test('a user creates an image and tops up with Stars in the web chat', async () => {
  const { context, page } = await openChat('Tess', 800000);
  try {

    // /start: the welcome and the main menu as a reply keyboard.
    await say(page, '/start');
    await botMessage(page, 'Hi, Tess').waitFor({ timeout: 20_000 });
    await page.locator('#reply-keyboard button', { hasText: 'Create image' }).waitFor();
    await shot(page, '1-start.png');

    // 🖼 Create image → a model → from a text description → the prompt.
    const models = await pressMenu(page, 'Create image', 'Choose a model');
    await models.locator('.inline-keyboard button').first().click();
    const card = botMessage(page, 'From a text description');
    await card.waitFor({ timeout: 20_000 });
    await shot(page, '2-model-card.png');
    await card.locator('.inline-keyboard button', { hasText: 'From a text description' }).click();
    await botMessage(page, 'Describe the image').waitFor({ timeout: 20_000 });
    await say(page, 'a banana astronaut on the moon');

    // Some models ask for the aspect ratio before the price.
    const confirm = botMessage(page, 'Generate for');
    const aspect = botMessage(page, 'aspect ratio');
    await Promise.race([confirm.waitFor({ timeout: 20_000 }), aspect.waitFor({ timeout: 20_000 })]);
    if (!(await confirm.isVisible())) {
      await aspect.locator('.inline-keyboard button').first().click();
      await confirm.waitFor({ timeout: 20_000 });
    }
    const price = Number(/Generate for (\d+) credits/.exec(await confirm.textContent())[1]);
    await shot(page, '3-confirm.png');
    await confirm.locator('.inline-keyboard button', { hasText: 'Generate for' }).click();

    // Progress lives in one message, edited until it says done; then the picture arrives.
    const progress = botMessage(page, 'Done!');
    await progress.waitFor({ timeout: 60_000 });
    assert.ok(Number(await progress.getAttribute('data-edits')) >= 1, 'the progress message was never edited');
    const picture = page.locator('#messages [data-from="bot"] .media img').last();
    await picture.waitFor({ timeout: 60_000 });
    await page.waitForFunction(() => {
      const images = document.querySelectorAll('#messages [data-from="bot"] .media img');
      const last = images[images.length - 1];
      return last && last.complete && last.naturalWidth > 0;
    }, undefined, { timeout: 30_000 });
    await botMessage(page, 'Cost:').waitFor({ timeout: 30_000 });
    await picture.scrollIntoViewIfNeeded();
    await shot(page, '4-result.png');

    // ➕ Top up → a Stars package → the invoice → pay from the emulator's Stars wallet.
    const before = await balanceOf(page);
    const starsBefore = Number((await page.locator('#user-stars').textContent()).replace(/\D/g, ''));
    const packages = await pressMenu(page, 'Top up', 'Packages');
    await shot(page, '5-packages.png');
    await packages.locator('.inline-keyboard button', { hasText: '⭐' }).first().click();
    const invoice = page.locator('#messages [data-from="bot"]', { has: page.locator('.invoice') }).last();
    await invoice.waitFor({ timeout: 20_000 });
    const stars = Number(/(\d+)\s*⭐/.exec(await invoice.locator('.invoice .price').textContent())[1]);
    await shot(page, '6-invoice.png');
    await invoice.locator('.inline-keyboard button', { hasText: 'Pay' }).first().click();

    const receipt = botMessage(page, 'Payment received');
    await receipt.waitFor({ timeout: 30_000 });
    const [, credited, total] = /\+(\d+) credits\. Your balance: (\d+) credits/.exec(await receipt.textContent()).map(Number);
    assert.equal(total, before + credited);
    await page.waitForFunction((expected) => document.querySelector('#user-stars')?.textContent === `⭐ ${expected}`, starsBefore - stars, { timeout: 10_000 });
    await shot(page, '7-paid.png');

    assert.equal(await balanceOf(page), before + credited);
    await shot(page, '8-balance.png');
  } catch (error) {
    await shot(page, 'failure.png');
    throw error;
  } finally {
    await context.close();
  }
});

/** Attaches a file from the browser with the web chat's 📎 (the hidden file input), as a video or "as file". */
async function attach(page, file, { asFile }) {
  await page.locator('#as-file').setChecked(asFile);
  await page.locator('#file-input').setInputFiles(file);
}

/** The newest bot message with the text that has been edited at least `edits` times. */
async function editedTo(page, text, edits, timeout = 20_000) {
  await page.waitForFunction(([want, min]) => [...document.querySelectorAll('#messages [data-from="bot"]')]
    .some((row) => row.textContent.includes(want) && Number(row.dataset.edits) >= min), [text, edits], { timeout });
  return botMessage(page, text);
}

test('a user sends a video from the browser and gets it back with captions, 9:16 and subtitles', async () => {
  assert.ok(videoFile, 'VIDEO_FILE names the test video (a test pattern with espeak-ng speech) to send');
  const { context, page } = await openChat('Vic', 900000, { acceptDownloads: true });
  try {
    await say(page, '/start');
    await botMessage(page, 'Hi, Vic').waitFor({ timeout: 20_000 });

    // 🎞 Video tools → the card with the FREE plan's limits.
    const card = await pressMenu(page, 'Video tools', 'per started minute');
    assert.match(await card.textContent(), /Your plan FREE: videos up to \d+ min/);
    assert.match(await card.textContent(), /rendered videos up to 720p/);
    await shot(page, 'vt-1-card.png');

    // Over the Bot API's 20 MB download limit: Telegram hands the bot no file, the bot says so.
    await attach(page, { name: 'big.mp4', mimeType: 'video/mp4', buffer: Buffer.alloc(21 * 1024 * 1024) }, { asFile: false });
    const tooBig = botMessage(page, 'at most 20 MB');
    await tooBig.waitFor({ timeout: 30_000 });
    assert.match(await tooBig.textContent(), /This file is 21\.0 MB/);
    const bigVideo = page.locator('#messages [data-from="user"] video').last();
    await bigVideo.waitFor();

    // The real video, sent "as file": a document message the bot takes like a video.
    await attach(page, videoFile, { asFile: true });
    await page.locator('#messages [data-from="user"] .doc', { hasText: path.basename(videoFile) }).waitFor({ timeout: 20_000 });
    const options = botMessage(page, 'billed as 1 min');
    await options.waitFor({ timeout: 60_000 });
    assert.match(await options.textContent(), /Price: 5 credits/);
    await shot(page, 'vt-2-options.png');

    // Toggles edit the same message: burned captions (+3), 9:16 (+3), subtitles translated to German (+3).
    await options.locator('.inline-keyboard button', { hasText: '🔤' }).click();
    await editedTo(page, 'Price: 8 credits', 1);
    await options.locator('.inline-keyboard button', { hasText: '📱' }).click();
    await editedTo(page, 'Price: 11 credits', 2);
    await options.locator('.inline-keyboard button', { hasText: '🌐' }).click();
    const languages = await editedTo(page, 'Translate the subtitles', 3);
    await languages.locator('.inline-keyboard button', { hasText: 'Deutsch' }).click();
    const chosen = await editedTo(page, 'Price: 14 credits', 4);
    const text = await chosen.textContent();
    assert.match(text, /Burn captions: classic/);
    assert.match(text, /Vertical 9:16: blurred background/);
    assert.match(text, /Translate: Deutsch \(de\)/);
    assert.match(text, /small watermark \(FREE plan\)/);
    assert.match(text, /Quality: up to 720p \(FREE plan\)/);
    await shot(page, 'vt-3-chosen.png');

    // ▶️ Start: credits held, progress edited in place, then the mp4 and both .srt files. How many steps get an edit
    // of their own depends on the machine's speed (steps that finish within one send merge); the Bot suite's
    // VideoToolsBotTests check each step's text.
    await chosen.locator('.inline-keyboard button', { hasText: 'Start for 14 credits' }).click();
    const progress = botMessage(page, 'Done!');
    await progress.waitFor({ timeout: 300_000 });
    assert.ok(Number(await progress.getAttribute('data-edits')) >= 1, 'the progress message was edited in place');
    const result = page.locator('#messages [data-from="bot"] .media video').last();
    await result.waitFor({ timeout: 60_000 });
    const subtitles = page.locator('#messages [data-from="bot"] .doc a', { hasText: '.srt' });
    await page.waitForFunction(() => document.querySelectorAll('#messages [data-from="bot"] .doc a[download$=".srt"]').length >= 2, undefined, { timeout: 60_000 });
    await botMessage(page, 'Subtitles → Deutsch (de)').waitFor({ timeout: 30_000 });
    // The browser plays the result: the FREE plan's 720×1280 (9:16, 720p) H.264 video with metadata up front (streamable).
    await page.waitForFunction(() => {
      const videos = document.querySelectorAll('#messages [data-from="bot"] .media video');
      const last = videos[videos.length - 1];
      return last && last.readyState >= 1 && last.videoWidth > 0;
    }, undefined, { timeout: 30_000 });
    const [width, height] = await result.evaluate((v) => [v.videoWidth, v.videoHeight]);
    assert.deepEqual([width, height], [720, 1280]);
    const download = await Promise.all([page.waitForEvent('download'), subtitles.last().click()]).then(([d]) => d);
    const srt = await readFile(await download.path(), 'utf8');
    assert.match(srt, /^1\r?\n\d\d:\d\d:\d\d,\d{3} --> /);
    assert.match(srt, /\[de\] /);
    await result.scrollIntoViewIfNeeded();
    await shot(page, 'vt-4-result.png');
  } catch (error) {
    await shot(page, 'vt-failure.png');
    throw error;
  } finally {
    await context.close();
  }
});

test('a user gets three prompts from the assistant, generates one and starts an edit of the result', async () => {
  const { context, page } = await openChat('Ida', 900000);
  try {
    await say(page, '/start');
    await botMessage(page, 'Hi, Ida').waitFor({ timeout: 20_000 });

    // 💡 Prompt assistant → an idea → three variants as text and buttons.
    await pressMenu(page, 'Prompt assistant', 'Describe your idea');
    await say(page, 'a fox reading a book in a library');
    const variants = botMessage(page, 'Three prompts');
    await variants.waitFor({ timeout: 20_000 });
    assert.equal(await variants.locator('.inline-keyboard button', { hasText: '▶️' }).count(), 3);
    await shot(page, 'assistant-1-variants.png');

    // One tap: the model, the aspect ratio, the usual confirmation with the variant as the prompt.
    await variants.locator('.inline-keyboard button', { hasText: '▶️ 2.' }).click();
    const models = botMessage(page, 'Which model');
    await models.waitFor({ timeout: 20_000 });
    await models.locator('.inline-keyboard button', { hasText: 'Nano Banana ·' }).first().click();
    const aspect = botMessage(page, 'aspect ratio');
    await aspect.waitFor({ timeout: 20_000 });
    await aspect.locator('.inline-keyboard button').first().click();
    const confirm = botMessage(page, 'Generate for 10 credits');
    await confirm.waitFor({ timeout: 20_000 });
    assert.match(await confirm.textContent(), /a fox reading a book in a library, cinematic film still/);
    await confirm.locator('.inline-keyboard button', { hasText: 'Generate for' }).click();

    // The result carries ✏️ Edit; an instruction leads to the price of the edit (the image is its reference).
    const edit = page.locator('#messages [data-from="bot"] .inline-keyboard button', { hasText: '✏️ Edit' }).last();
    await edit.waitFor({ timeout: 60_000 });
    await edit.scrollIntoViewIfNeeded();
    await shot(page, 'assistant-2-result.png');
    await edit.click();
    await botMessage(page, 'What should change').waitFor({ timeout: 20_000 });
    await say(page, 'make it night');
    const editConfirm = botMessage(page, 'An edit of your previous result');
    await editConfirm.waitFor({ timeout: 20_000 });
    assert.match(await editConfirm.textContent(), /make it night/);
    await shot(page, 'assistant-3-edit-confirm.png');
  } catch (error) {
    await shot(page, 'assistant-failure.png');
    throw error;
  } finally {
    await context.close();
  }
});
