using System.Globalization;
using Microsoft.Extensions.Configuration;
using NanoBanana.Bot.Conversation;
using NanoBanana.Users.Contracts.V1;

namespace NanoBanana.Bot.Features;

/// <summary>
/// <c>/start [ref_&lt;code&gt;]</c>: registers the user (the referral counts only on the first start),
/// welcomes them — with the welcome bonus on the first start — and shows the main menu; any flow in
/// progress is left.
/// </summary>
internal sealed class Start(ModuleGateway modules, IConfiguration configuration) : IChatFeature
{
    public IReadOnlyCollection<string> Commands { get; } = ["start"];

    public async Task HandleAsync(ChatSession session, Incoming incoming, CancellationToken cancellationToken)
    {
        var from = incoming.From;
        var name = from?.FirstName ?? "";
        var isNew = false;
        if (from is not null)
        {
            var upsert = new UpsertTelegramUserRequest
            {
                User = new TelegramUser
                {
                    Id = from.Id,
                    Username = from.Username ?? "",
                    FirstName = from.FirstName,
                    LastName = from.LastName ?? "",
                    LanguageCode = from.LanguageCode ?? "",
                    IsPremium = from.IsPremium,
                },
                StartParameter = incoming.Argument.Length <= 64 ? incoming.Argument : "",
            };
            isNew = (await modules.AsModuleAsync(upsert, cancellationToken)).Require("UpsertTelegramUser").IsNew;
        }

        // The bonus itself is paid by Billing from the UserRegistered event; its amount is Billing's setting.
        var bonus = configuration["Billing:WelcomeBonus"] is { } configured && long.TryParse(configured, CultureInfo.InvariantCulture, out var amount) ? amount : 20;
        var welcome = session.T("start.welcome", name);
        session.ShowMainMenu(isNew && bonus > 0 ? welcome + "\n\n" + session.T("start.bonus", bonus) : welcome);
    }
}
