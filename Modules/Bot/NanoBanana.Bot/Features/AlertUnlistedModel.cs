using Microsoft.Extensions.Options;
using NanoBanana.Bot.Conversation;
using NanoBanana.Bot.Persistence;
using NanoBanana.Bot.Replies;
using NanoBanana.BuildingBlocks.Messaging;
using NanoBanana.Generation.Contracts.V1;

namespace NanoBanana.Bot.Features;

/// <summary>Tells every admin that a model was hidden because its provider stopped listing its id (Generation's provider-model check).</summary>
internal sealed class AlertUnlistedModel(BotDbContext db, TimeProvider clock, Texts texts, IOptions<BotOptions> options)
    : InboxEventHandler<ProviderModelUnlisted, BotDbContext>(db, clock)
{
    protected override async Task HandleOnceAsync(ProviderModelUnlisted integrationEvent, IntegrationEventContext context, CancellationToken cancellationToken)
    {
        foreach (var admin in options.Value.AdminIds)
        {
            var chat = await ReplyWriter.ForAdminAsync(DbContext, texts, admin, cancellationToken);
            var text = chat.T("admin.model_unlisted", integrationEvent.ModelSlug, integrationEvent.Provider, integrationEvent.ProviderModelId);
            await chat.AddAsync(new OutMessage { Kind = OutKind.SendText, Text = text }, cancellationToken);
        }
    }
}
