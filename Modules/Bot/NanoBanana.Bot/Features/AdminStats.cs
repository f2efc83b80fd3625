using System.Globalization;
using Google.Protobuf.WellKnownTypes;
using Microsoft.Extensions.Options;
using NanoBanana.Bot.Conversation;
using NanoBanana.Generation.Contracts.V1;
using NanoBanana.Payments.Contracts.V1;
using NanoBanana.Users.Contracts.V1;

namespace NanoBanana.Bot.Features;

/// <summary>
/// Admins: <c>/stats</c> — users, generations, credits and revenue since 00:00 today in
/// <see cref="BotOptions.StatsTimeZone"/>, plus what is in flight now. Every figure comes from the
/// owning module's use case; the bot reads no other module's tables.
/// </summary>
internal sealed class AdminStats(ModuleGateway modules, IOptions<BotOptions> options, TimeProvider clock) : IChatFeature
{
    public IReadOnlyCollection<string> Commands { get; } = ["stats"];

    public bool AdminOnly => true;

    public async Task HandleAsync(ChatSession session, Incoming incoming, CancellationToken cancellationToken)
    {
        var zone = TimeZoneInfo.FindSystemTimeZoneById(options.Value.StatsTimeZone);
        var since = Timestamp.FromDateTimeOffset(StartOfToday(clock.GetUtcNow(), zone));

        var users = (await modules.AsModuleAsync(new GetUserStatsRequest { Since = since }, cancellationToken)).Require("GetUserStats");
        var jobs = (await modules.AsModuleAsync(new GetGenerationStatsRequest { Since = since }, cancellationToken)).Require("GetGenerationStats");
        var payments = (await modules.AsModuleAsync(new GetPaymentStatsRequest { Since = since }, cancellationToken)).Require("GetPaymentStats");

        var total = jobs.Models.Sum(m => m.Jobs);
        var succeeded = jobs.Models.Sum(m => m.Succeeded);
        var failed = jobs.Models.Sum(m => m.Failed);
        var failureRate = succeeded + failed == 0 ? 0 : 100.0 * failed / (succeeded + failed);
        var revenue = payments.Totals.Count == 0
            ? session.T("stats.revenue_none")
            : string.Join("\n", payments.Totals.Select(t => session.T("stats.revenue_line", MethodName(session, t.Method), Amount(t.GrossMinor, t.Currency), t.Orders)));

        session.Send(session.T("stats.text",
            zone.Id,
            users.Total, users.NewSince, users.BlockedBot,
            total, succeeded, failed, failureRate.ToString("0.#", CultureInfo.InvariantCulture),
            jobs.Models.Sum(m => m.RevenueCredits),
            revenue,
            jobs.Queued, jobs.Running, payments.PendingOrders));
    }

    /// <summary>00:00 of the current day in <paramref name="zone"/>, as an instant.</summary>
    internal static DateTimeOffset StartOfToday(DateTimeOffset now, TimeZoneInfo zone)
    {
        var midnight = TimeZoneInfo.ConvertTime(now, zone).Date;
        return new DateTimeOffset(midnight, zone.GetUtcOffset(midnight));
    }

    private static string MethodName(ChatSession session, PaymentMethod method) => session.T(method switch
    {
        PaymentMethod.Stars => "stats.method_stars",
        PaymentMethod.Yookassa => "stats.method_card",
        PaymentMethod.Sandbox => "stats.method_sandbox",
        _ => "stats.method_other",
    });

    /// <summary>Stars are whole units; roubles (and other currencies) have two minor digits.</summary>
    private static string Amount(long minor, string currency) => currency switch
    {
        "XTR" => minor.ToString("N0", CultureInfo.InvariantCulture) + " ⭐",
        "RUB" => (minor / 100m).ToString("N2", CultureInfo.InvariantCulture) + " ₽",
        _ => (minor / 100m).ToString("N2", CultureInfo.InvariantCulture) + " " + currency,
    };
}
