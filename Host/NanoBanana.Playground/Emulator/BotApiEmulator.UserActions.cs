using Telegram.Bot.Types;

namespace NanoBanana.Playground.Emulator;

/// <summary>What a user does in the chat; each action becomes one or more updates for the bot.</summary>
internal sealed partial class BotApiEmulator
{
    public Message UserSendsText(long userId, string text, int? replyToMessageId = null)
    {
        if (string.IsNullOrWhiteSpace(text) || text.Length > MaxTextLength)
        {
            throw BotApiException.BadRequest("text must be 1-4096 characters");
        }

        EnsureUser(userId);
        lock (_gate)
        {
            var (user, chat) = Unblocked(userId);
            var message = NewMessage(chat, user.User);
            message.Text = text;
            message.ReplyToMessage = replyToMessageId is { } replyTo ? chat.Find(replyTo)?.Message : null;
            return Deliver(chat, message);
        }
    }

    /// <summary>Several photos form an album: separate updates sharing one media_group_id, the caption on the first.</summary>
    public Message[] UserSendsPhotos(long userId, IReadOnlyList<(byte[] Content, string? FileName)> photos, string? caption)
    {
        if (photos.Count is < 1 or > 10)
        {
            throw BotApiException.BadRequest("send 1-10 photos at a time");
        }

        // Check every photo first so a bad one does not leave half an album behind.
        if (photos.FirstOrDefault(p => ImageInfo.Read(p.Content) is null) is { Content: not null } bad)
        {
            throw BotApiException.BadRequest($"{bad.FileName ?? "a file"} is not a PNG, JPEG, GIF or WebP image");
        }

        EnsureUser(userId);
        lock (_gate)
        {
            var (user, chat) = Unblocked(userId);
            var groupId = photos.Count > 1 ? RandomGroupId() : null;
            var sent = new List<Message>();
            foreach (var (photo, index) in photos.Select((p, i) => (p, i)))
            {
                var message = NewMessage(chat, user.User);
                message.MediaGroupId = groupId;
                message.Caption = index == 0 ? Caption(caption) : null;
                message.Photo = NewPhoto(photo.Content, photo.FileName);
                sent.Add(Deliver(chat, message));
            }

            return [.. sent];
        }
    }

    public Message UserSendsDocument(long userId, byte[] content, string? fileName, string? caption)
    {
        EnsureUser(userId);
        lock (_gate)
        {
            var (user, chat) = Unblocked(userId);
            var message = NewMessage(chat, user.User);
            message.Caption = Caption(caption);
            Attach(message, MediaKind.Document, new ResolvedInput(null, content, fileName, FileSources.Upload));
            return Deliver(chat, message);
        }
    }

    /// <summary>A file sent as a video (Telegram's video message), as opposed to a document.</summary>
    public Message UserSendsVideo(long userId, byte[] content, string? fileName, string? caption)
    {
        EnsureUser(userId);
        lock (_gate)
        {
            var (user, chat) = Unblocked(userId);
            var message = NewMessage(chat, user.User);
            message.Caption = Caption(caption);
            Attach(message, MediaKind.Video, new ResolvedInput(null, content, fileName, FileSources.Upload));
            return Deliver(chat, message);
        }
    }

    /// <summary>Presses an inline callback button; the bot must answer the returned callback query id.</summary>
    public string UserPressesButton(long userId, int messageId, string callbackData)
    {
        EnsureUser(userId);
        lock (_gate)
        {
            var (user, chat) = Unblocked(userId);
            var stored = chat.Find(messageId) ?? throw BotApiException.BadRequest("message not found");
            var pressed = stored.Message.ReplyMarkup?.InlineKeyboard.SelectMany(row => row).Any(b => b.CallbackData == callbackData) == true;
            if (!pressed)
            {
                throw BotApiException.BadRequest("the message has no button with that callback_data");
            }

            var id = RandomId(8);
            _callbacks[id] = new PendingCallback(userId, messageId);
            Enqueue(new Update
            {
                CallbackQuery = new CallbackQuery
                {
                    Id = id, From = user.User, Message = stored.Message, ChatInstance = $"{Bot.Id}{userId}", Data = callbackData,
                },
            });
            Changed();
            return id;
        }
    }

    public Message UserSendsWebAppData(long userId, string data, string buttonText)
    {
        if (data.Length is < 1 or > 4096)
        {
            throw BotApiException.BadRequest("web_app_data must be 1-4096 characters");
        }

        EnsureUser(userId);
        lock (_gate)
        {
            var (user, chat) = Unblocked(userId);
            var message = NewMessage(chat, user.User);
            message.WebAppData = new WebAppData { Data = data, ButtonText = buttonText };
            return Deliver(chat, message);
        }
    }

    /// <summary>Blocking or unblocking the bot reaches it as my_chat_member (kicked / member).</summary>
    public void UserSetsBlocked(long userId, bool blocked)
    {
        EnsureUser(userId);
        lock (_gate)
        {
            var user = _users[userId];
            if (user.BlockedBot != blocked)
            {
                ChangeMembership(user, blocked);
            }
        }
    }

    private (PlaygroundUser User, ChatState Chat) Unblocked(long userId)
    {
        var user = _users.GetValueOrDefault(userId) ?? throw BotApiException.BadRequest("unknown user");
        if (user.BlockedBot)
        {
            ChangeMembership(user, blocked: false);
        }

        return (user, _chats[userId]);
    }

    private void ChangeMembership(PlaygroundUser user, bool blocked)
    {
        user.BlockedBot = blocked;
        Enqueue(new Update
        {
            MyChatMember = new ChatMemberUpdated
            {
                Chat = _chats[user.User.Id].Chat,
                From = user.User,
                Date = Now,
                OldChatMember = blocked ? new ChatMemberMember { User = Bot } : new ChatMemberBanned { User = Bot },
                NewChatMember = blocked ? new ChatMemberBanned { User = Bot } : new ChatMemberMember { User = Bot },
            },
        });
        Changed();
    }

    private Message Deliver(ChatState chat, Message message)
    {
        AddMessage(chat, message, fromBot: false);
        Enqueue(new Update { Message = message });
        Changed();
        return message;
    }
}
