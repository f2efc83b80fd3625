using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using Telegram.Bot;
using Telegram.Bot.Types;
using Telegram.Bot.Types.Enums;

namespace NanoBanana.Playground.Emulator;

/// <summary>
/// In-memory Bot API server state: users, private chats, files, the update queue and payments.
/// One lock guards it all; the emulator serves one developer or one test, not production load.
/// </summary>
internal sealed partial class BotApiEmulator(PlaygroundOptions options, TimeProvider clock, IHttpClientFactory httpClients, ILogger<BotApiEmulator> logger)
{
    private readonly Lock _gate = new();
    private readonly Dictionary<long, PlaygroundUser> _users = [];
    private readonly Dictionary<long, ChatState> _chats = [];
    private readonly Dictionary<string, StoredFile> _filesById = new(StringComparer.Ordinal);
    private readonly Dictionary<string, StoredFile> _filesByPath = new(StringComparer.Ordinal);
    private readonly List<PendingUpdate> _pending = [];
    private readonly Dictionary<string, PendingCallback> _callbacks = new(StringComparer.Ordinal);
    private readonly Dictionary<string, TaskCompletionSource<string?>> _preCheckouts = new(StringComparer.Ordinal);
    private readonly Dictionary<string, InvoiceDraft> _invoiceLinks = new(StringComparer.Ordinal);
    private readonly Dictionary<string, Charge> _charges = new(StringComparer.Ordinal);
    private readonly Dictionary<string, BotCommand[]> _commands = new(StringComparer.Ordinal);
    private MenuButton _defaultMenuButton = new MenuButtonCommands();
    private HashSet<UpdateType>? _allowedUpdates;
    private WebhookState? _webhook;
    // Like Telegram after a quiet week, ids do not restart at 1: a bot's inbox that outlives a
    // playground restart must not mistake new updates for duplicates of old ones.
    private int _nextUpdateId = (int)(DateTimeOffset.UtcNow.ToUnixTimeSeconds() - 1_700_000_000) * 10;
    private int _nextFileNumber = 1;
    private long _version;
    private long _pollGeneration;
    private int _activePolls;
    private TaskCompletionSource _downloadsReleased = new(TaskCreationOptions.RunContinuationsAsynchronously);

    public Signal Signal { get; } = new();

    public FaultSettings Faults { get; private set; } = new();

    public string Token => options.BotToken;

    public PlaygroundOptions Options => options;

    /// <summary>Set once Kestrel has bound its port.</summary>
    public string BaseUrl { get; set; } = "";

    public User Bot { get; } = new()
    {
        Id = long.Parse(options.BotToken.AsSpan(0, options.BotToken.IndexOf(':', StringComparison.Ordinal)), System.Globalization.CultureInfo.InvariantCulture),
        IsBot = true,
        FirstName = options.BotName,
        Username = options.BotUsername,
    };

    private DateTime Now => clock.GetUtcNow().UtcDateTime;

    public long Version
    {
        get
        {
            lock (_gate)
            {
                return _version;
            }
        }
    }

    public void SetFaults(FaultSettings faults)
    {
        lock (_gate)
        {
            faults.DownloadsHeld = Faults.DownloadsHeld;
            Faults = faults;
            if (!faults.HoldDownloads)
            {
                _downloadsReleased.TrySetResult();
                _downloadsReleased = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
            }
        }
    }

    /// <summary>Waits while <see cref="FaultSettings.HoldDownloads"/> is on, counted in <see cref="FaultSettings.DownloadsHeld"/>.</summary>
    public async Task HoldDownloadAsync(CancellationToken cancellationToken)
    {
        Task released;
        lock (_gate)
        {
            if (!Faults.HoldDownloads)
            {
                return;
            }

            Faults.DownloadsHeld++;
            released = _downloadsReleased.Task;
        }

        try
        {
            await released.WaitAsync(cancellationToken);
        }
        finally
        {
            lock (_gate)
            {
                Faults.DownloadsHeld--;
            }
        }
    }

    /// <summary>Applies injected slowness and flood control before a Bot API call.</summary>
    public async Task ApplyFaults(string method, CancellationToken cancellationToken)
    {
        int delay;
        lock (_gate)
        {
            delay = Faults.DelayMilliseconds;
            var exempt = method.Equals("getUpdates", StringComparison.OrdinalIgnoreCase) || method.Equals("getMe", StringComparison.OrdinalIgnoreCase);
            if (!exempt && Faults.FloodCount > 0)
            {
                Faults.FloodCount--;
                Faults.FloodRejections++;
                throw new BotApiException(429, $"Too Many Requests: retry after {Faults.RetryAfterSeconds}", Faults.RetryAfterSeconds);
            }
        }

        if (delay > 0)
        {
            await Task.Delay(TimeSpan.FromMilliseconds(delay), clock, cancellationToken);
        }
    }

    public PlaygroundUser EnsureUser(long userId, string? firstName = null, string? languageCode = null, string? username = null)
    {
        lock (_gate)
        {
            if (!_users.TryGetValue(userId, out var user))
            {
                user = new PlaygroundUser
                {
                    User = new User { Id = userId, FirstName = firstName ?? $"User {userId}", LanguageCode = languageCode ?? "en", Username = username },
                    Stars = options.StartingStars,
                };
                _users[userId] = user;
                _chats[userId] = new ChatState(new Chat { Id = userId, Type = ChatType.Private, FirstName = user.User.FirstName, Username = username });
            }
            else if ((firstName ?? user.User.FirstName, languageCode ?? user.User.LanguageCode, username ?? user.User.Username)
                     != (user.User.FirstName, user.User.LanguageCode, user.User.Username))
            {
                user.User.FirstName = firstName ?? user.User.FirstName;
                user.User.LanguageCode = languageCode ?? user.User.LanguageCode;
                user.User.Username = username ?? user.User.Username;
                _chats[userId].Chat.FirstName = user.User.FirstName;
                _chats[userId].Chat.Username = user.User.Username;
            }
            else
            {
                return user;
            }

            Changed();
            return user;
        }
    }

    private void Changed()
    {
        _version++;
        Signal.Pulse();
    }

    private ChatState BotTargetChat(long chatId)
    {
        if (!_chats.TryGetValue(chatId, out var chat))
        {
            throw BotApiException.BadRequest("chat not found");
        }

        if (_users.TryGetValue(chatId, out var user) && user.BlockedBot)
        {
            throw new BotApiException(403, "Forbidden: bot was blocked by the user");
        }

        return chat;
    }

    private Message NewMessage(ChatState chat, User from) => new()
    {
        Id = chat.NextMessageId++,
        From = from,
        Chat = chat.Chat,
        Date = Now,
    };

    private static StoredMessage AddMessage(ChatState chat, Message message, bool fromBot, InvoiceDraft? invoice = null)
    {
        var stored = new StoredMessage(message, fromBot) { Invoice = invoice };
        chat.Messages.Add(stored);
        if (fromBot)
        {
            chat.LastAction = null;
        }

        return stored;
    }

    private void Enqueue(Update update)
    {
        update.Id = _nextUpdateId++;
        if (_allowedUpdates is { Count: > 0 } allowed && !allowed.Contains(update.Type))
        {
            return;
        }

        var carries = update.Message is { } message && _chats.TryGetValue(message.Chat.Id, out var chat) ? chat.Find(message.Id) : null;
        _pending.Add(new PendingUpdate(update, Faults.DuplicateDeliveries ? 2 : 1, carries));
    }

    private static string RandomId(int bytes = 12) => Base64Url(RandomNumberGenerator.GetBytes(bytes));

    private static string Base64Url(byte[] data) => Convert.ToBase64String(data).TrimEnd('=').Replace('+', '-').Replace('/', '_');

    private StoredFile StoreFile(byte[] content, string folder, string extension, string mimeType, string? fileName, string variant = "")
    {
        var number = _nextFileNumber++;
        var file = new StoredFile
        {
            FileId = $"PG{number:x}_{RandomId()}",
            FileUniqueId = Base64Url(SHA256.HashData([.. Encoding.UTF8.GetBytes(variant), .. content])[..12]),
            FilePath = $"{folder}/file_{number}.{extension}",
            Content = content,
            FileName = fileName,
            MimeType = mimeType,
        };
        _filesById[file.FileId] = file;
        _filesByPath[file.FilePath] = file;
        return file;
    }

    public StoredFile? FindFileByPath(string path)
    {
        lock (_gate)
        {
            return _filesByPath.GetValueOrDefault(path);
        }
    }

    public StoredFile? FindFile(string fileId)
    {
        lock (_gate)
        {
            return _filesById.GetValueOrDefault(fileId);
        }
    }

    private static string Serialize(Update update) => JsonSerializer.Serialize(update, JsonBotSerializerContext.Default.Update);

    private static bool SameJson<T>(T left, T right, System.Text.Json.Serialization.Metadata.JsonTypeInfo<T> typeInfo) =>
        JsonSerializer.Serialize(left, typeInfo) == JsonSerializer.Serialize(right, typeInfo);

    private static int Utf8Length(string text) => Encoding.UTF8.GetByteCount(text);
}
