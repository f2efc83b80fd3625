using NanoBanana.Bot.Conversation;
using NanoBanana.Users.Contracts.V1;
using Telegram.Bot.Types.Enums;

namespace NanoBanana.Bot.Features;

/// <summary>my_chat_member in a private chat: the user blocked ("kicked") or unblocked the bot; Users records it, and the chat row too (broadcasts skip blocked chats).</summary>
internal sealed class ChatMembership(ModuleGateway modules) : IChatFeature
{
    public bool ClaimsUpdate(Incoming incoming) => incoming.Update.MyChatMember is not null;

    public async Task HandleAsync(ChatSession session, Incoming incoming, CancellationToken cancellationToken)
    {
        if (incoming.Update.MyChatMember is not { } change)
        {
            return;
        }

        var blocked = change.NewChatMember.Status == ChatMemberStatus.Kicked;
        session.BlockedBot = blocked;
        (await modules.AsModuleAsync(new RecordChatMemberStatusRequest { UserId = change.From.Id, BlockedBot = blocked }, cancellationToken))
            .Require("RecordChatMemberStatus");
    }
}
