// The Mini App's ⭐ Plans screen (ADR 0150, 0152): the plans side by side, the user's plan and its renewal date,
// subscribing with Stars (Telegram.WebApp.openInvoice) or by card (YooKassa, when offered; automatic renewal only
// with the user's tick), and cancelling or switching the renewal back on.
import { timestampDate, type Timestamp } from '@bufbuild/protobuf/wkt';
import { payments, plans } from './api';
import { h, mount } from './dom';
import type { Texts } from './i18n';
import { openExternal, openInvoice, setBackButton, setMainButton } from './telegram';
import type { Plan } from './gen/nanobanana/catalog/v1/plans_pb';
import { PaymentMethod } from './gen/nanobanana/payments/v1/events_pb';
import { TopUpStatus, type Subscription, type TopUp } from './gen/nanobanana/payments/v1/payments_pb';

/** What the screen borrows from the app shell. */
export interface Shell {
  root: HTMLElement;
  t: Texts;
  lang: 'ru' | 'en';
  loading(): void;
  failure(message: string, retry?: () => void): void;
  describe(error: unknown): string;
  rub(kopecks: bigint): string;
  home(): void;
  /** Follows a card order until it settles. */
  watch(orderId: string, onUpdate: (order: TopUp) => void): Promise<TopUp | undefined>;
}

/** "12.01.2027": the day a paid period ends (UTC), as the bot writes it. */
function day(moment: Timestamp | undefined): string {
  if (!moment) return '';
  const date = timestampDate(moment);
  const pad = (n: number) => String(n).padStart(2, '0');
  return `${pad(date.getUTCDate())}.${pad(date.getUTCMonth() + 1)}.${date.getUTCFullYear()}`;
}

function title(shell: Shell, plan: Plan | undefined, id: string): string {
  return (shell.lang === 'en' ? plan?.title?.en : plan?.title?.ru) || id;
}

function terms(shell: Shell, plan: Plan): string[] {
  const { t } = shell;
  const lines = [plan.priceStars > 0n ? `⭐ ${plan.priceStars} ${t.plansPer30Days}${plan.priceRubKopecks > 0n ? ` · ${shell.rub(plan.priceRubKopecks)}` : ''}` : t.plansFree];
  // FREE's credits are the monthly allowance; a paid plan's either carry over or expire with the period (ADR 0161).
  if (plan.monthlyCredits > 0n) {
    lines.push(plan.id === 'free' ? `${plan.monthlyCredits} ${t.plansFreeAllowance}`
      : `+${plan.monthlyCredits} ${plan.creditsRollover ? t.plansCreditsPerPeriod : t.plansCreditsExpire}`);
  }
  lines.push(plan.dailyJobLimit > 0 ? `${t.plansJobsPerDay}: ${plan.dailyJobLimit}` : t.plansNoDailyLimit);
  lines.push(plan.watermark ? t.plansWatermark : t.plansNoWatermark);
  if (plan.queuePriority > 0) lines.push(t.plansPriority);
  // The longest side of a video-tools result as the quality people know: 1280 → 720p (0 = the tools' 1920).
  lines.push(`${t.plansVideoQuality} ${Math.floor((plan.videoToolsMaxSide || 1920) * 9 / 16)}p`);
  return lines;
}

/** Waits (bounded) for a paid first period to show up as the running subscription. */
async function waitForPlan(): Promise<void> {
  for (let i = 0; i < 30; i++) {
    if ((await payments.getMySubscription({})).subscription) return;
    await new Promise((resolve) => setTimeout(resolve, 500));
  }
}

export async function showPlans(shell: Shell): Promise<void> {
  const { t, lang } = shell;
  shell.loading();
  setBackButton(() => shell.home());
  setMainButton(undefined);
  try {
    const [list, mine, methods] = await Promise.all([plans.listPlans({}), payments.getMySubscription({}), payments.listPaymentMethods({})]);
    const running: Subscription | undefined = mine.subscription;
    const byCard = methods.methods.includes(PaymentMethod.YOOKASSA);
    const message = h('p', { class: 'message', id: 'plans-message' });
    const autoRenew = h('input', { type: 'checkbox', id: 'auto-renew' });
    const planOf = (id: string) => list.plans.find((p) => p.id === id);
    const currentId = running?.planId ?? 'free';

    const subscribe = async (plan: Plan, method: PaymentMethod) => {
      message.textContent = '';
      try {
        const created = await payments.createSubscription({
          planId: plan.id, method, language: lang, returnUrl: window.location.href.split('#')[0], autoRenew: method === PaymentMethod.YOOKASSA && autoRenew.checked,
        });
        if (method === PaymentMethod.STARS) {
          // The payment arrives in the bot's chat (successful_payment); the screen follows once Telegram says paid.
          openInvoice(created.checkoutUrl, (status) => {
            if (status === 'paid') void waitForPlan().then(() => showPlans(shell));
          });
          message.textContent = t.plansInvoiceOpened;
          return;
        }
        openExternal(created.checkoutUrl);
        message.textContent = t.pending;
        const settled = await shell.watch(created.orderId, () => undefined);
        if (settled?.status === TopUpStatus.SUCCEEDED) {
          await waitForPlan();
          await showPlans(shell);
        } else {
          message.textContent = t.cancelled;
        }
      } catch (error) {
        message.textContent = shell.describe(error);
      }
    };

    const change = async (cancel: boolean) => {
      try {
        await (cancel ? payments.cancelMySubscription({}) : payments.resumeMySubscription({}));
        await showPlans(shell);
      } catch (error) {
        message.textContent = shell.describe(error);
      }
    };

    const cards = list.plans.map((plan) => {
      const current = plan.id === currentId;
      const buy = !running && plan.priceStars > 0n;
      return h('div', { class: current ? 'card plan current' : 'card plan', data: { plan: plan.id } },
        h('div', { class: 'package' },
          h('strong', { class: 'plan-title' }, title(shell, plan, plan.id)),
          current && h('span', { class: 'badge plan-current' }, t.plansYours)),
        ...terms(shell, plan).map((line) => h('div', { class: 'hint plan-term' }, line)),
        buy && h('button', { data: { action: 'stars', plan: plan.id }, onclick: () => void subscribe(plan, PaymentMethod.STARS) }, `${t.plansSubscribeStars} · ⭐${plan.priceStars}`),
        buy && byCard && plan.priceRubKopecks > 0n && h('button', { class: 'secondary', data: { action: 'card', plan: plan.id }, onclick: () => void subscribe(plan, PaymentMethod.YOOKASSA) },
          `${t.payCard} · ${shell.rub(plan.priceRubKopecks)} / 30 ${t.plansDays}`));
    });

    const status = running
      ? h('div', { class: 'card', id: 'current-plan', data: { plan: running.planId, canceled: String(running.canceled) } },
          h('p', { id: 'current-plan-text' }, running.canceled
            ? `${t.plansYourPlan}: ${title(shell, planOf(running.planId), running.planId)} ${t.plansUntil} ${day(running.expiresAt)}. ${t.plansRenewalOff}`
            : `${t.plansYourPlan}: ${title(shell, planOf(running.planId), running.planId)}, ${t.plansRenewsOn} ${day(running.expiresAt)}.`),
          running.renewalFailed && h('p', { class: 'error', id: 'renewal-failed' }, `${t.plansRenewalFailed} ${day(running.expiresAt)}.`),
          !running.canceled && h('button', { class: 'secondary', id: 'cancel-renewal', onclick: () => void change(true) }, t.plansCancel),
          running.canceled && running.canResume && h('button', { id: 'resume-renewal', onclick: () => void change(false) }, t.plansResume))
      : h('div', { class: 'card', id: 'current-plan', data: { plan: 'free' } }, h('p', { id: 'current-plan-text' }, `${t.plansYourPlan}: ${title(shell, planOf('free'), 'FREE')}. ${t.plansKeepCredits}`));

    mount(shell.root,
      h('h1', {}, t.plans),
      status,
      ...cards,
      !running && byCard && mine.autopayments && h('label', { class: 'hint', id: 'auto-renew-consent' }, autoRenew, ` ${t.plansAutoRenewConsent}`),
      message,
      h('button', { class: 'secondary', onclick: () => shell.home() }, t.back));
  } catch (error) {
    shell.failure(shell.describe(error), () => void showPlans(shell));
  }
}
