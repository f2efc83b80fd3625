using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using System.Text.Json.Serialization;

namespace NanoBanana.Bot.Tests;

/// <summary>The user's side of a chat, through the playground's HTTP test API (what the web chat uses).</summary>
public sealed class PlaygroundChat(HttpClient http, long userId)
{
    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web) { PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower };

    public long UserId => userId;

    public async Task CreateUserAsync(string languageCode, string firstName = "Ann") =>
        (await http.PostAsJsonAsync("/api/users", new { id = userId, first_name = firstName, language_code = languageCode }, Json)).EnsureSuccessStatusCode();

    public async Task<int> SayAsync(string text)
    {
        var response = await http.PostAsJsonAsync($"/api/chats/{userId}/messages", new { text }, Json);
        response.EnsureSuccessStatusCode();
        return (await response.Content.ReadFromJsonAsync<Sent>(Json))!.MessageIds[0];
    }

    /// <summary>One photo or an album (at most 10, like Telegram); <paramref name="side"/> ≥ 16 makes photos a provider accepts.</summary>
    public async Task<int[]> SendPhotosAsync(int count, string? caption = null, int side = 8)
    {
        using var form = new MultipartFormDataContent();
        for (var i = 0; i < count; i++)
        {
            form.Add(new ByteArrayContent(TestImages.Png(side + i, side)), "photo", $"p{i}.png");
        }

        if (caption is not null)
        {
            form.Add(new StringContent(caption), "caption");
        }

        var response = await http.PostAsync($"/api/chats/{userId}/photos", form);
        response.EnsureSuccessStatusCode();
        return (await response.Content.ReadFromJsonAsync<Sent>(Json))!.MessageIds;
    }

    /// <summary>Sends a file the way a phone does: as a video message (<paramref name="asVideo"/>) or as a document.</summary>
    public async Task<int> SendFileAsync(byte[] content, string fileName, bool asVideo)
    {
        using var form = new MultipartFormDataContent();
        form.Add(new ByteArrayContent(content), asVideo ? "video" : "document", fileName);
        var response = await http.PostAsync($"/api/chats/{userId}/{(asVideo ? "videos" : "documents")}", form);
        response.EnsureSuccessStatusCode();
        return (await response.Content.ReadFromJsonAsync<Sent>(Json))!.MessageIds[0];
    }

    /// <summary>Presses a callback button of a bot message; returns the callback query id.</summary>
    public async Task<string> PressAsync(int messageId, string callbackData)
    {
        var response = await http.PostAsJsonAsync($"/api/chats/{userId}/callbacks", new { message_id = messageId, callback_data = callbackData }, Json);
        response.EnsureSuccessStatusCode();
        return (await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("callback_query_id").GetString()!;
    }

    /// <summary>Waits for a bot message after <paramref name="afterMessageId"/> containing <paramref name="text"/>.</summary>
    public async Task<ChatMessage> WaitForAsync(string text, int afterMessageId = 0, int minEditCount = 0, int timeoutMs = 20_000)
    {
        var response = await http.PostAsJsonAsync($"/api/chats/{userId}/wait",
            new { text_contains = text, after_message_id = afterMessageId, min_edit_count = minEditCount, timeout_ms = timeoutMs }, Json);
        if (response.StatusCode == HttpStatusCode.RequestTimeout)
        {
            var transcript = await TranscriptAsync();
            throw new Xunit.Sdk.XunitException($"No bot message containing '{text}' after #{afterMessageId}. Chat:\n{string.Join("\n", transcript.Messages.Select(m => $"#{m.MessageId} {m.From}: {m.Text ?? m.Caption} (edits {m.EditCount})"))}");
        }

        response.EnsureSuccessStatusCode();
        return (await response.Content.ReadFromJsonAsync<Match>(Json))!.Message!;
    }

    /// <summary>
    /// Asks 💰 My balance until it shows <paramref name="expected"/>: credits from another module (a welcome bonus, a
    /// paid order, a settled job) reach Billing through the outbox a moment after the chat is told.
    /// </summary>
    public Task<ChatMessage> WaitForBalanceAsync(string balanceButton, string expected) => AskUntilAsync(balanceButton, "💰", expected);

    /// <summary>
    /// Says <paramref name="say"/> until the reply (the bot's next message containing <paramref name="reply"/>) shows
    /// <paramref name="expected"/>: what another module applies from an event (credits, a paid plan) lands a moment
    /// after the chat is told.
    /// </summary>
    public async Task<ChatMessage> AskUntilAsync(string say, string reply, string expected)
    {
        for (var attempt = 0; attempt < 20; attempt++)
        {
            var answer = await WaitForAsync(reply, await SayAsync(say));
            if (answer.Text!.Contains(expected, StringComparison.Ordinal))
            {
                return answer;
            }
        }

        throw new Xunit.Sdk.XunitException($"'{say}' never got a reply showing '{expected}'.");
    }

    /// <summary>Waits until the callback query was answered (a spinner never stays).</summary>
    public async Task<CallbackAnswer> WaitForAnswerAsync(string callbackQueryId)
    {
        var response = await http.PostAsJsonAsync($"/api/chats/{userId}/wait", new { callback_query_id = callbackQueryId, timeout_ms = 20_000 }, Json);
        response.EnsureSuccessStatusCode();
        return (await response.Content.ReadFromJsonAsync<Match>(Json))!.CallbackAnswer!;
    }

    public async Task<Transcript> TranscriptAsync() => (await http.GetFromJsonAsync<Transcript>($"/api/chats/{userId}/transcript", Json))!;

    public sealed record Sent(int[] MessageIds);

    public sealed record Match(ChatMessage? Message, CallbackAnswer? CallbackAnswer);

    public sealed record Transcript(ChatMessage[] Messages, KeyboardButton[][]? ReplyKeyboard, CallbackAnswer[] CallbackAnswers, MenuButton MenuButton);

    public sealed record ChatMessage(int MessageId, string From, string? Text, string? Caption, InlineButton[][]? InlineKeyboard, int EditCount, string? MediaGroupId, string[]? PreviousTexts = null)
    {
        /// <summary>Every text the message has shown, oldest first (edits replace what the user saw).</summary>
        public IEnumerable<string> AllTexts => [.. PreviousTexts ?? [], .. Text is null ? Array.Empty<string>() : [Text]];

        public string Button(string textPart) =>
            InlineKeyboard?.SelectMany(row => row).FirstOrDefault(b => b.Text.Contains(textPart, StringComparison.Ordinal))?.CallbackData
            ?? throw new Xunit.Sdk.XunitException($"No button '{textPart}' under #{MessageId}: {string.Join(", ", InlineKeyboard?.SelectMany(r => r).Select(b => b.Text) ?? [])}");
    }

    public sealed record InlineButton(string Text, string? CallbackData, string? Url, string? WebAppUrl, bool Pay);

    public sealed record KeyboardButton(string Text, string? WebAppUrl);

    public sealed record CallbackAnswer(string CallbackQueryId, int MessageId, string? Text, bool ShowAlert, string? Url);

    public sealed record MenuButton(string Type, string? Text, string? Url);
}

internal static class TestImages
{
    private static uint Crc32(byte[] bytes)
    {
        var crc = 0xFFFFFFFFu;
        foreach (var b in bytes)
        {
            crc ^= b;
            for (var k = 0; k < 8; k++)
            {
                crc = (crc & 1) != 0 ? 0xEDB88320 ^ (crc >> 1) : crc >> 1;
            }
        }

        return ~crc;
    }

    /// <summary>A valid, tiny RGB PNG (the emulator reads its size).</summary>
    public static byte[] Png(int width, int height)
    {
        using var stream = new MemoryStream();
        stream.Write([0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A]);
        var header = new byte[13];
        System.Buffers.Binary.BinaryPrimitives.WriteInt32BigEndian(header, width);
        System.Buffers.Binary.BinaryPrimitives.WriteInt32BigEndian(header.AsSpan(4), height);
        header[8] = 8;
        header[9] = 2;
        Chunk(stream, "IHDR", header);
        var raw = new byte[height * ((width * 3) + 1)];
        using var compressed = new MemoryStream();
        using (var zlib = new System.IO.Compression.ZLibStream(compressed, System.IO.Compression.CompressionLevel.Fastest, leaveOpen: true))
        {
            zlib.Write(raw);
        }

        Chunk(stream, "IDAT", compressed.ToArray());
        Chunk(stream, "IEND", []);
        return stream.ToArray();
    }

    private static void Chunk(Stream stream, string type, byte[] data)
    {
        Span<byte> length = stackalloc byte[4];
        System.Buffers.Binary.BinaryPrimitives.WriteInt32BigEndian(length, data.Length);
        stream.Write(length);
        var typeBytes = System.Text.Encoding.ASCII.GetBytes(type);
        stream.Write(typeBytes);
        stream.Write(data);
        var crc = Crc32([.. typeBytes, .. data]);
        Span<byte> crcBytes = stackalloc byte[4];
        System.Buffers.Binary.BinaryPrimitives.WriteUInt32BigEndian(crcBytes, crc);
        stream.Write(crcBytes);
    }
}
