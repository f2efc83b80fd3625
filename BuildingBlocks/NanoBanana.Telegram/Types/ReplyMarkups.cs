using System.Text;
using System.Text.Json.Serialization;

namespace NanoBanana.Telegram.Types.ReplyMarkups;

/// <summary>
/// Any keyboard attached to a sent message. Serialised by its runtime type (no discriminator on
/// the wire); a received message only ever carries an <see cref="InlineKeyboardMarkup"/>.
/// </summary>
[JsonDerivedType(typeof(InlineKeyboardMarkup))]
[JsonDerivedType(typeof(ReplyKeyboardMarkup))]
[JsonDerivedType(typeof(ReplyKeyboardRemove))]
public abstract class ReplyMarkup;

public sealed class InlineKeyboardMarkup : ReplyMarkup
{
    public InlineKeyboardMarkup()
    {
    }

    public InlineKeyboardMarkup(IEnumerable<IEnumerable<InlineKeyboardButton>> rows) => InlineKeyboard = rows;

    public InlineKeyboardMarkup(params InlineKeyboardButton[] row) => InlineKeyboard = [row];

    public IEnumerable<IEnumerable<InlineKeyboardButton>> InlineKeyboard { get; set; } = [];
}

/// <summary>A button under a message: exactly one of url, callback_data, web_app or pay.</summary>
public sealed class InlineKeyboardButton
{
    /// <summary>Telegram's limit on callback_data, in UTF-8 bytes.</summary>
    public const int MaxCallbackDataBytes = 64;

    public InlineKeyboardButton()
    {
    }

    public InlineKeyboardButton(string text) => Text = text;

    public string Text { get; set; } = "";

    public string? Url { get; set; }

    public string? CallbackData
    {
        get;
        set
        {
            if (value is not null)
            {
                var bytes = Encoding.UTF8.GetByteCount(value);
                if (bytes is 0 or > MaxCallbackDataBytes)
                {
                    throw new ArgumentException($"callback_data must be 1-{MaxCallbackDataBytes} bytes in UTF-8, got {bytes}.", nameof(value));
                }
            }

            field = value;
        }
    }

    public WebAppInfo? WebApp { get; set; }

    /// <summary>A pay button; must be the first button of the first row of an invoice message.</summary>
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingDefault)]
    public bool Pay { get; set; }

    public static InlineKeyboardButton WithCallbackData(string text, string callbackData) => new(text) { CallbackData = callbackData };

    public static InlineKeyboardButton WithUrl(string text, string url) => new(text) { Url = url };

    public static InlineKeyboardButton WithWebApp(string text, string url) => new(text) { WebApp = new WebAppInfo { Url = url } };

    public static InlineKeyboardButton WithPay(string text) => new(text) { Pay = true };
}

/// <summary>A custom keyboard replacing the user's keyboard.</summary>
public sealed class ReplyKeyboardMarkup : ReplyMarkup
{
    public ReplyKeyboardMarkup()
    {
    }

    public ReplyKeyboardMarkup(IEnumerable<IEnumerable<KeyboardButton>> rows) => Keyboard = rows;

    public IEnumerable<IEnumerable<KeyboardButton>> Keyboard { get; set; } = [];

    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingDefault)]
    public bool IsPersistent { get; set; }

    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingDefault)]
    public bool ResizeKeyboard { get; set; }

    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingDefault)]
    public bool OneTimeKeyboard { get; set; }

    public string? InputFieldPlaceholder { get; set; }

    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingDefault)]
    public bool Selective { get; set; }
}

public sealed class KeyboardButton
{
    public KeyboardButton()
    {
    }

    public KeyboardButton(string text) => Text = text;

    public string Text { get; set; } = "";

    /// <summary>Opens a Mini App whose <c>sendData</c> comes back as a web_app_data message.</summary>
    public WebAppInfo? WebApp { get; set; }

    public static KeyboardButton WithWebApp(string text, string url) => new(text) { WebApp = new WebAppInfo { Url = url } };

    public static implicit operator KeyboardButton(string text) => new(text);
}

public sealed class ReplyKeyboardRemove : ReplyMarkup
{
    public bool RemoveKeyboard { get; set; } = true;

    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingDefault)]
    public bool Selective { get; set; }
}
