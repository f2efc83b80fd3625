using NanoBanana.Billing.Contracts.V1;

namespace NanoBanana.Bot.Conversation;

/// <summary>The user's credits as Billing reports them.</summary>
internal sealed class Balances(ModuleGateway modules)
{
    public async Task<Balance> GetAsync(long userId, CancellationToken cancellationToken) =>
        (await ReadAsync(userId, cancellationToken)).Balance ?? new Balance();

    /// <summary>The balance with the part of it that expires (plan credits, the free allowance).</summary>
    public async Task<GetBalanceResponse> ReadAsync(long userId, CancellationToken cancellationToken) =>
        (await modules.AsUserAsync(userId, new GetBalanceRequest(), cancellationToken)).Require("GetBalance");
}
