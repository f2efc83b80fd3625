using System.Globalization;
using Ardalis.Result;
using Google.Protobuf.WellKnownTypes;
using NanoBanana.Billing.Contracts.V1;
using NanoBanana.Bot.Conversation;
using NanoBanana.Bot.Replies;
using NanoBanana.Catalog.Contracts.V1;
using NanoBanana.Payments.Contracts.V1;

namespace NanoBanana.Bot.Features;

/// <summary>
/// ⭐ Plans (<c>/plans</c>, ADR 0150): the plans side by side, the user's plan and its renewal date, a
/// Stars subscription link per paid plan, and cancelling or resuming the renewal. The subscription itself
/// is Payments' (invoice link, periods, editUserStarSubscription); each paid period's receipt comes from
/// <see cref="SuccessfulPaymentReceipt"/>.
/// </summary>
internal sealed class Plans(ModuleGateway modules) : IChatFeature
{
    public const string Prefix = "plans";

    /// <summary>Callback actions (on the wire as <c>plans:action[:plan]</c>).</summary>
    private static class Actions
    {
        public const string Subscribe = "sub";
        public const string Show = "show";
        public const string Cancel = "cancel";
        public const string Resume = "resume";
    }

    /// <summary>Callback data of a button that opens the plans from another message.</summary>
    public const string ShowCallback = Prefix + ":" + Actions.Show;

    public IReadOnlyCollection<string> Commands { get; } = ["plans"];

    public IReadOnlyCollection<string> MenuKeys { get; } = ["menu.plans"];

    public string? CallbackPrefix => Prefix;

    public async Task HandleAsync(ChatSession session, Incoming incoming, CancellationToken cancellationToken)
    {
        if (incoming.Kind is not IncomingKind.Callback)
        {
            await ShowAsync(session, cancellationToken);
            return;
        }

        var parts = incoming.CallbackData!.Split(':', 3);
        var callback = incoming.CallbackQueryId!;
        switch (parts.Length > 1 ? parts[1] : "")
        {
            case Actions.Subscribe when parts.Length == 3:
                await SubscribeAsync(session, callback, parts[2], cancellationToken);
                break;
            case Actions.Show:
                session.AnswerCallback(callback);
                await ShowAsync(session, cancellationToken);
                break;
            case Actions.Cancel:
                await SetCanceledAsync(session, callback, canceled: true, cancellationToken);
                break;
            case Actions.Resume:
                await SetCanceledAsync(session, callback, canceled: false, cancellationToken);
                break;
            default:
                session.AnswerCallback(callback, session.T("error.outdated_button"));
                break;
        }
    }

    /// <summary>"12.01.2027": the day a paid period ends (UTC), the same in both languages.</summary>
    public static string Day(Timestamp moment) => moment.ToDateTimeOffset().ToString("dd.MM.yyyy", CultureInfo.InvariantCulture);

    public static string Title(ChatSession session, Plan plan) => Title(session.Language, plan);

    public static string Title(string language, Plan plan) =>
        (language == "ru" ? plan.Title?.Ru : plan.Title?.En) is { Length: > 0 } title ? title : plan.Id;

    private async Task ShowAsync(ChatSession session, CancellationToken cancellationToken)
    {
        session.State = "";
        var plans = (await modules.AsModuleAsync(new ListPlansRequest(), cancellationToken)).Require("ListPlans").Plans;
        var running = (await modules.AsUserAsync(session.UserId, new GetMySubscriptionRequest(), cancellationToken)).Require("GetMySubscription").Subscription;
        var currentId = running?.PlanId ?? PlanIds.Free;

        var lines = string.Join("\n\n", plans.Select(p => Describe(session, p, p.Id == currentId)));
        var current = running is null
            ? session.T("plans.current_free", plans.FirstOrDefault(p => p.Id == PlanIds.Free) is { } free ? Title(session, free) : PlanIds.Free)
            : session.T(running.Canceled ? "plans.current_ending" : "plans.current_renewing", TitleOf(session, plans, running.PlanId), Day(running.ExpiresAt));
        var userPlan = (await modules.AsModuleAsync(new GetUserPlanRequest { UserId = session.UserId }, cancellationToken)).Require("GetUserPlan");
        if (userPlan is { PlanCredits: > 0, PlanCreditsExpireAt: { } expiresAt })
        {
            current += "\n" + session.T("money.plan_credits_left", userPlan.PlanCredits, Day(expiresAt));
        }

        if (running is { RenewalFailed: true })
        {
            current += "\n" + session.T("subs.failed_line", Day(running.ExpiresAt));
        }

        var rows = new List<InlineButton[]>();
        if (running is null)
        {
            rows.AddRange(plans.Where(p => p.PriceStars > 0).Select(p =>
                new[] { new InlineButton(session.T("plans.subscribe_button", Title(session, p), p.PriceStars), $"{Prefix}:{Actions.Subscribe}:{p.Id}") }));
        }
        else if (!running.Canceled)
        {
            rows.Add([new InlineButton(session.T("plans.cancel_button"), $"{Prefix}:{Actions.Cancel}")]);
        }
        else if (running.CanResume)
        {
            rows.Add([new InlineButton(session.T("plans.resume_button"), $"{Prefix}:{Actions.Resume}")]);
        }

        rows.Add(Keyboards.MenuRow(session));
        session.Send(session.T("plans.overview", lines, current), [.. rows]);
    }

    private static string Describe(ChatSession session, Plan plan, bool current)
    {
        var terms = new List<string>
        {
            plan.PriceStars > 0 ? session.T("plans.price", plan.PriceStars) : session.T("plans.price_free"),
        };
        if (plan.MonthlyCredits > 0)
        {
            // The free plan's monthly credits are its allowance; a paid plan's may roll over or expire (ADR 0161).
            terms.Add(session.T(
                plan.Id == PlanIds.Free ? "money.free_allowance" : plan.CreditsRollover ? "plans.credits" : "money.plan_credits_expire",
                plan.MonthlyCredits));
        }

        terms.Add(plan.DailyJobLimit > 0 ? session.T("plans.daily_limit", plan.DailyJobLimit) : session.T("plans.no_daily_limit"));
        terms.Add(session.T(plan.Watermark ? "plans.watermark" : "plans.no_watermark"));
        if (plan.QueuePriority > 0)
        {
            terms.Add(session.T("plans.priority"));
        }

        if (plan.MaxVideoToolsSeconds > 0)
        {
            terms.Add(session.T("plans.video_minutes", Math.Max(1, plan.MaxVideoToolsSeconds / 60)));
        }

        if (plan.VideoToolsMaxSide > 0)
        {
            terms.Add(session.T("videotools.plan_quality", VideoToolsFlow.Quality(plan.VideoToolsMaxSide)));
        }

        return session.T(current ? "plans.line_current" : "plans.line", Title(session, plan), string.Join("\n", terms.Select(t => "   " + t)));
    }

    private static string TitleOf(ChatSession session, IEnumerable<Plan> plans, string planId) =>
        plans.FirstOrDefault(p => p.Id == planId) is { } plan ? Title(session, plan) : planId;

    private async Task SubscribeAsync(ChatSession session, string callback, string planId, CancellationToken cancellationToken)
    {
        var created = await modules.AsModuleAsync(
            new CreateBotSubscriptionRequest { UserId = session.UserId, PlanId = planId, Language = session.Language }, cancellationToken);
        if (!created.IsSuccess)
        {
            // Conflict: a plan already runs; NotFound/Unavailable: withdrawn since the list was shown, or Stars off.
            session.AnswerCallback(callback, session.T(created.Status == ResultStatus.Conflict ? "plans.already" : "plans.unavailable"), alert: true);
            return;
        }

        session.AnswerCallback(callback);
        var subscription = created.Value.Subscription;
        session.Send(
            session.T("plans.invoice", subscription.CreditsPerPeriod),
            [[new InlineButton(session.T("plans.pay_button", subscription.PriceStars), Url: created.Value.InvoiceLink)], Keyboards.MenuRow(session)]);
    }

    private async Task SetCanceledAsync(ChatSession session, string callback, bool canceled, CancellationToken cancellationToken)
    {
        var changed = canceled
            ? (await modules.AsUserAsync(session.UserId, new CancelMySubscriptionRequest(), cancellationToken)).Map(r => r.Subscription)
            : (await modules.AsUserAsync(session.UserId, new ResumeMySubscriptionRequest(), cancellationToken)).Map(r => r.Subscription);
        if (!changed.IsSuccess)
        {
            session.AnswerCallback(callback, session.T(changed.Status == ResultStatus.NotFound ? "plans.none_running" : "plans.telegram_refused"), alert: true);
            return;
        }

        session.AnswerCallback(callback);
        var plans = (await modules.AsModuleAsync(new ListPlansRequest(), cancellationToken)).Require("ListPlans").Plans;
        var subscription = changed.Value;
        session.Send(
            session.T(canceled ? "plans.cancelled" : "plans.resumed", TitleOf(session, plans, subscription.PlanId), Day(subscription.ExpiresAt)),
            [[new InlineButton(session.T("menu.plans"), ShowCallback)], Keyboards.MenuRow(session)]);
    }
}
