using System.Globalization;
using NanoBanana.Billing.Contracts.V1;
using NanoBanana.Bot.Conversation;

namespace NanoBanana.Bot.Features;

/// <summary>Admins: <c>/grant &lt;user id&gt; &lt;amount&gt; [reason]</c> credits (negative debits), recorded in the ledger with the admin as actor.</summary>
internal sealed class AdminGrant(ModuleGateway modules) : IChatFeature
{
    public IReadOnlyCollection<string> Commands { get; } = ["grant"];

    public bool AdminOnly => true;

    public async Task HandleAsync(ChatSession session, Incoming incoming, CancellationToken cancellationToken)
    {
        var parts = incoming.Argument.Split(' ', 3, StringSplitOptions.RemoveEmptyEntries);
        if (parts.Length < 2
            || !long.TryParse(parts[0], NumberStyles.Integer, CultureInfo.InvariantCulture, out var userId)
            || !long.TryParse(parts[1], NumberStyles.Integer, CultureInfo.InvariantCulture, out var amount)
            || amount == 0)
        {
            session.Send(session.T("admin.grant_usage"));
            return;
        }

        var request = new AdjustBalanceRequest
        {
            UserId = userId,
            Amount = amount,
            Reason = parts.Length > 2 ? parts[2] : "telegram /grant",
            // The same update retried grants once.
            IdempotencyKey = "tg-grant:" + incoming.UpdateId.ToString(CultureInfo.InvariantCulture),
        };
        var adjusted = await modules.AsAdminAsync(session.UserId, request, cancellationToken);
        if (!adjusted.IsSuccess)
        {
            session.Send(session.T("admin.grant_failed", string.Join("; ", adjusted.Errors.Concat(adjusted.ValidationErrors.Select(e => e.ErrorMessage)))));
            return;
        }

        session.Send(adjusted.Value.InsufficientFunds
            ? session.T("admin.grant_insufficient", userId)
            : session.T("admin.granted", amount, userId, adjusted.Value.Balance.Available));
    }
}
