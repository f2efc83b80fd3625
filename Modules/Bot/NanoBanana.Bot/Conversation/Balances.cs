using NanoBanana.Billing.Contracts.V1;

namespace NanoBanana.Bot.Conversation;

/// <summary>The user's credits as Billing reports them.</summary>
internal sealed class Balances(ModuleGateway modules)
{
    public async Task<Balance> GetAsync(long userId, CancellationToken cancellationToken) =>
        (await modules.AsUserAsync(userId, new GetBalanceRequest(), cancellationToken)).Require("GetBalance").Balance ?? new Balance();
}
