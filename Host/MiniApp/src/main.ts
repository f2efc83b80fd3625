import './style.css';
import { ConnectError } from '@connectrpc/connect';
import { timestampDate } from '@bufbuild/protobuf/wkt';
import { auth, billing, catalog, generation, payments, setSession } from './api';
import { h, mount } from './dom';
import { textsFor, type Texts } from './i18n';
import { showPlans } from './plans';
import { applyTheme, initData, language, loadTelegramScript, openExternal, openInvoice, setBackButton, setMainButton } from './telegram';
import type { Package } from './gen/nanobanana/catalog/v1/catalog_pb';
import { PaymentMethod } from './gen/nanobanana/payments/v1/events_pb';
import { TopUpStatus, type TopUp } from './gen/nanobanana/payments/v1/payments_pb';
import { GenerationKind, JobStatus, type Job, type MediaRef } from './gen/nanobanana/generation/v1/generation_pb';
import { CaptionStyle, Reframe, type VideoToolsChoice } from './gen/nanobanana/generation/v1/video_tools_choice_pb';
import { showTryOn, zoneName } from './tryon';
import { tryOnTextsFor } from './i18n.tryon';

const root = document.getElementById('app')!;
const lang = language();
const t: Texts = textsFor(lang);

function describe(error: unknown): string {
  if (error instanceof ConnectError) return error.rawMessage || t.error;
  return t.error;
}

function loading(): void {
  setMainButton(undefined);
  mount(root, h('p', { class: 'hint', id: 'loading' }, t.loading));
}

function failure(message: string, retry?: () => void): void {
  setMainButton(undefined);
  mount(root, h('div', { class: 'card', id: 'error' }, h('h1', {}, t.error), h('p', { class: 'error', id: 'error-message' }, message), retry && h('button', { onclick: retry }, t.retry)));
}

function rub(kopecks: bigint): string {
  const value = Number(kopecks) / 100;
  return `${value.toLocaleString(lang === 'en' ? 'en-US' : 'ru-RU', { minimumFractionDigits: value % 1 ? 2 : 0 })} ₽`;
}

async function showHome(): Promise<void> {
  loading();
  setBackButton(undefined);
  try {
    const [balance, history, daily] = await Promise.all([
      billing.getBalance({}),
      billing.listTransactions({ pageSize: 10, language: lang }),
      billing.getDailyRewardStatus({}),
    ]);
    const message = h('p', { class: 'message', id: 'message' });
    const promoInput = h('input', { id: 'promo-code', placeholder: t.promoPlaceholder });
    const redeem = async () => {
      const code = promoInput.value.trim();
      if (!code) return;
      try {
        const result = await billing.redeemPromoCode({ code, language: lang });
        message.textContent = result.message;
        balanceValue.textContent = String(result.balance?.available ?? 0n);
      } catch (error) {
        message.textContent = describe(error);
      }
    };
    const claim = async () => {
      try {
        const result = await billing.claimDailyReward({ language: lang });
        message.textContent = result.message;
        if (result.balance) balanceValue.textContent = String(result.balance.available);
        claimButton.setAttribute('disabled', '');
      } catch (error) {
        message.textContent = describe(error);
      }
    };
    const balanceValue = h('div', { class: 'balance', id: 'balance' }, String(balance.balance?.available ?? 0n));
    const claimButton = h('button', { id: 'claim-daily', disabled: !daily.canClaim, onclick: claim }, daily.canClaim ? `${t.claim} +${daily.nextAmount}` : t.claimed);
    const transactions = history.transactions.length
      ? h('div', { class: 'card', id: 'transactions' }, ...history.transactions.map((tx) =>
          h('div', { class: 'tx' },
            h('span', {}, tx.description, h('br'), h('span', { class: 'hint' }, tx.createdAt ? timestampDate(tx.createdAt).toLocaleString(lang) : '')),
            h('span', { class: tx.amount >= 0n ? 'plus' : 'minus' }, `${tx.amount > 0n ? '+' : ''}${tx.amount}`))))
      : h('p', { class: 'hint', id: 'transactions-empty' }, t.noHistory);

    mount(root,
      h('div', { class: 'card' },
        h('div', { class: 'hint' }, t.balance),
        balanceValue,
        h('div', { class: 'hint' }, `${t.credits}${balance.balance?.reserved ? ` · ${balance.balance.reserved} ${t.reserved}` : ''}`),
        h('button', { id: 'top-up', onclick: () => void showPackages() }, t.topUp),
        h('button', { class: 'secondary', id: 'generations', onclick: () => void showGenerations() }, t.generations),
        h('button', { class: 'secondary', id: 'try-on', onclick: () => void openTryOn() }, tryOnTextsFor(lang).tryOn),
        h('button', { class: 'secondary', id: 'plans', onclick: () => void openPlans() }, t.plans)),
      h('div', { class: 'card' }, h('h2', {}, t.daily), claimButton),
      h('div', { class: 'card' }, h('h2', {}, t.promo), h('div', { class: 'row' }, promoInput, h('button', { id: 'apply-promo', onclick: () => void redeem() }, t.apply))),
      message,
      h('h2', {}, t.history),
      transactions);
    setMainButton(t.topUp, () => void showPackages());
  } catch (error) {
    failure(describe(error), () => void showHome());
  }
}

function openTryOn(): Promise<void> {
  return showTryOn({ root, lang, loading, failure, describe, home: () => void showHome(), topUp: () => void showPackages() });
}

/** ⭐ Plans (plans.ts), with the shell's loading, errors, money format and order watching. */
function openPlans(): Promise<void> {
  return showPlans({ root, t, lang, loading, failure, describe, rub, home: () => void showHome(), watch: watchUntilSettled });
}

function kindText(kind: GenerationKind): string {
  switch (kind) {
    case GenerationKind.VIDEO_TOOLS: return t.kindVideoTools;
    case GenerationKind.TRY_ON: return tryOnTextsFor(lang).tryOn;
    case GenerationKind.TEXT_TO_VIDEO:
    case GenerationKind.IMAGE_TO_VIDEO: return t.kindVideo;
    default: return t.kindImage;
  }
}

function jobStatusText(status: JobStatus): string {
  switch (status) {
    case JobStatus.SUCCEEDED: return t.statusSucceeded;
    case JobStatus.FAILED: return t.statusFailed;
    case JobStatus.CANCELLED: return t.statusCancelled;
    case JobStatus.RUNNING: return t.statusRunning;
    default: return t.statusQueued;
  }
}

const languageNames = new Intl.DisplayNames([lang], { type: 'language', fallback: 'none' });

/** A target language named in the reader's language with its code ("German (de)", "немецкий (de)"); an unknown code as it is. */
function languageName(code: string): string {
  let name: string | undefined;
  try {
    name = languageNames.of(code);
  } catch {
    name = undefined; // Not a well-formed language tag.
  }
  return name && name !== code ? `${name} (${code})` : code;
}

/** A video-tools job's options in the reader's language, like the bot's caption. */
function videoToolsSummary(choice: VideoToolsChoice): string {
  const parts = [choice.translateTo ? `${t.vtSubtitles} → ${languageName(choice.translateTo)}` : t.vtSubtitles];
  if (choice.voiceOver) parts.push(choice.replaceAudio ? t.vtVoiceReplace : t.vtVoiceMix);
  if (choice.captions !== CaptionStyle.UNSPECIFIED) {
    parts.push(`${t.vtCaptions}: ${choice.captions === CaptionStyle.BOLD ? t.vtBold : choice.captions === CaptionStyle.KARAOKE ? t.vtKaraoke : t.vtClassic}`);
  }
  if (choice.reframe !== Reframe.UNSPECIFIED) parts.push(`9:16: ${choice.reframe === Reframe.CENTRE_CROP ? t.vtCrop : t.vtBlur}`);
  return parts.join(', ');
}

/** What a result file is: a video-tools job's .srt files are the transcript, then its translation. */
function fileLabel(job: Job, media: MediaRef): string {
  if (media.mimeType.startsWith('video/')) return t.fileVideo;
  if (media.mimeType.startsWith('image/')) return t.fileImage;
  if (media.mimeType === 'application/x-subrip') {
    const subtitles = job.media.filter((m) => m.mimeType === media.mimeType);
    return subtitles.indexOf(media) > 0 ? t.fileTranslation : t.fileSubtitles;
  }
  return t.fileOther;
}

/** "✏️ Edit of “…”" for a job that edits an earlier result (ADR 0171): the parent's prompt when it is loaded. */
function editOf(job: Job, loaded: Map<string, Job>): string {
  if (!job.parentJobId) return '';
  const parent = loaded.get(job.parentJobId);
  if (!parent) return t.editOfEarlier;
  const prompt = parent.prompt.length > 40 ? `${parent.prompt.slice(0, 39)}…` : parent.prompt;
  return `${t.editOf} “${prompt}”`;
}

function jobCard(job: Job, loaded: Map<string, Job>): HTMLElement {
  const summary = job.videoTools ? videoToolsSummary(job.videoTools) : job.kind === GenerationKind.TRY_ON ? zoneName(lang, job.tryOnZone) : job.prompt;
  const parent = editOf(job, loaded);
  const failure = job.status === JobStatus.FAILED && job.failureReason ? (lang === 'en' ? job.failureReason.en : job.failureReason.ru) : '';
  return h('div', { class: 'card job', data: { job: job.id, kind: GenerationKind[job.kind].toLowerCase(), status: JobStatus[job.status].toLowerCase() } },
    h('div', { class: 'package' },
      h('strong', { class: 'job-kind' }, kindText(job.kind)),
      h('span', { class: 'price job-price' }, `${job.priceCredits} ${t.credits}`)),
    h('div', { class: 'job-summary' }, summary),
    parent && h('div', { class: 'hint job-parent', data: { parent: job.parentJobId } }, parent),
    h('div', { class: 'hint' },
      h('span', { class: 'job-status' }, jobStatusText(job.status)),
      job.createdAt ? ` · ${timestampDate(job.createdAt).toLocaleString(lang)}` : ''),
    failure && h('div', { class: 'error job-failure' }, failure),
    job.media.length > 0 && h('div', { class: 'job-files' },
      ...job.media.map((media) => h('a', { class: 'job-file', href: media.downloadPath, data: { mime: media.mimeType } }, fileLabel(job, media)))));
}

/** The user's generations, newest first (ListMyGenerations), a page at a time. */
async function showGenerations(): Promise<void> {
  loading();
  setBackButton(() => void showHome());
  setMainButton(undefined);
  try {
    const first = await generation.listMyGenerations({ pageSize: 20 });
    // Newest first, so an edit's parent is usually on the same or the next page; every loaded job can be named.
    const loaded = new Map<string, Job>();
    const cards = (jobs: Job[]) => {
      for (const job of jobs) loaded.set(job.id, job);
      return jobs.map((job) => jobCard(job, loaded));
    };
    const list = h('div', { id: 'jobs' }, ...cards(first.jobs));
    let cursor = first.nextCursor;
    const more = h('button', { class: 'secondary', id: 'more-jobs', onclick: () => void loadMore() }, t.more);
    const loadMore = async () => {
      more.setAttribute('disabled', '');
      try {
        const page = await generation.listMyGenerations({ pageSize: 20, cursor });
        list.append(...cards(page.jobs));
        cursor = page.nextCursor;
      } finally {
        more.removeAttribute('disabled');
        more.hidden = !cursor;
      }
    };
    more.hidden = !cursor;
    mount(root,
      h('h1', {}, t.generations),
      first.jobs.length === 0 ? h('p', { class: 'hint', id: 'jobs-empty' }, t.noGenerations) : list,
      more,
      h('button', { class: 'secondary', onclick: () => void showHome() }, t.back));
  } catch (error) {
    failure(describe(error), () => void showGenerations());
  }
}

async function showPackages(): Promise<void> {
  loading();
  setBackButton(() => void showHome());
  try {
    const [list, methods] = await Promise.all([catalog.listPackages({}), payments.listPaymentMethods({})]);
    const methodButtons = (pkg: Package) => methods.methods.map((method) => {
      const label = method === PaymentMethod.STARS ? `${t.payStars} · ⭐${pkg.priceStars}` : method === PaymentMethod.YOOKASSA ? `${t.payCard} · ${rub(pkg.priceRubKopecks)}` : t.paySandbox;
      return h('button', { class: 'secondary', data: { method: PaymentMethod[method].toLowerCase(), package: pkg.id }, onclick: () => void pay(pkg, method) }, label);
    });
    mount(root,
      h('h1', {}, t.packages),
      list.packages.length === 0 && h('p', { class: 'hint', id: 'packages-empty' }, t.noPackages),
      methods.methods.length === 0 && h('p', { class: 'error' }, t.noMethods),
      ...list.packages.map((pkg) =>
        h('div', { class: 'card', data: { package: pkg.id } },
          h('div', { class: 'package' },
            h('div', {},
              h('strong', {}, (lang === 'en' ? pkg.title?.en : pkg.title?.ru) ?? pkg.id),
              h('div', { class: 'hint' }, `${pkg.credits} ${t.credits}${pkg.bonusCredits > 0n ? ` + ${pkg.bonusCredits} ${t.bonus}` : ''}`)),
            h('div', { class: 'price' }, rub(pkg.priceRubKopecks), h('br'), `⭐ ${pkg.priceStars}`)),
          ...methodButtons(pkg))),
      h('button', { class: 'secondary', onclick: () => void showHome() }, t.back));
    setMainButton(undefined);
  } catch (error) {
    failure(describe(error), () => void showPackages());
  }
}

async function pay(pkg: Package, method: PaymentMethod): Promise<void> {
  loading();
  try {
    const returnUrl = window.location.href.split('#')[0];
    // Read before the order exists: a quick payer's credit can land before the order screen is up.
    const before = (await billing.getBalance({})).balance?.available ?? 0n;
    const created = await payments.createTopUp({ packageId: pkg.id, method, language: lang, returnUrl });
    const open = () => {
      if (method === PaymentMethod.STARS) {
        openInvoice(created.checkoutUrl, () => undefined);
      } else {
        openExternal(created.checkoutUrl);
      }
    };
    open();
    await showOrder(created.topUp!, before, open);
  } catch (error) {
    failure(describe(error), () => void showPackages());
  }
}

function statusText(order: TopUp): string {
  switch (order.status) {
    case TopUpStatus.SUCCEEDED: return t.succeeded;
    case TopUpStatus.CANCELLED: return t.cancelled;
    case TopUpStatus.REFUNDED:
    case TopUpStatus.PARTIALLY_REFUNDED: return t.refunded;
    default: return t.pending;
  }
}

async function showOrder(order: TopUp, before: bigint, reopen: () => void): Promise<void> {
  setBackButton(() => void showHome());
  const status = h('p', { id: 'order-status', data: { status: TopUpStatus[order.status].toLowerCase() } }, statusText(order));
  mount(root,
    h('h1', {}, `${t.order} · ${order.credits + order.bonusCredits} ${t.credits}`),
    h('div', { class: 'card' }, status),
    h('button', { class: 'secondary', id: 'reopen', onclick: reopen }, t.openAgain),
    h('button', { class: 'secondary', onclick: () => void showHome() }, t.back));
  setMainButton(undefined);

  const settled = await watchUntilSettled(order.orderId, (update) => {
    status.textContent = statusText(update);
    status.dataset.status = TopUpStatus[update.status].toLowerCase();
  });
  if (settled?.status === TopUpStatus.SUCCEEDED) {
    // The credit lands asynchronously (outbox → Billing): wait for the balance to move, bounded.
    for (let i = 0; i < 30; i++) {
      const now = (await billing.getBalance({})).balance?.available ?? 0n;
      if (now !== before) break;
      await new Promise((resolve) => setTimeout(resolve, 500));
    }
    await showHome();
  }
}

/** Streams the order's status (WatchTopUp); if the stream breaks, falls back to polling GetTopUp. */
async function watchUntilSettled(orderId: string, onUpdate: (order: TopUp) => void): Promise<TopUp | undefined> {
  try {
    let last: TopUp | undefined;
    for await (const update of payments.watchTopUp({ orderId })) {
      last = update.topUp;
      if (last) onUpdate(last);
    }
    if (last && last.status !== TopUpStatus.PENDING) return last;
  } catch {
    // Proxies sometimes cut long responses; polling still gets there.
  }
  for (;;) {
    const { topUp } = await payments.getTopUp({ orderId });
    if (topUp) onUpdate(topUp);
    if (topUp && topUp.status !== TopUpStatus.PENDING) return topUp;
    await new Promise((resolve) => setTimeout(resolve, 2000));
  }
}

async function boot(): Promise<void> {
  loading();
  await loadTelegramScript();
  applyTheme();
  const data = initData();
  if (!data) {
    failure(t.noTelegram);
    return;
  }
  try {
    const session = await auth.signInWithTelegram({ initData: data });
    setSession(session.sessionToken);
  } catch {
    failure(t.signInFailed);
    return;
  }
  await showHome();
}

void boot();
