namespace NanoBanana.Playground;

/// <summary>Configuration section <c>Playground</c>.</summary>
public sealed class PlaygroundOptions
{
    public const string Section = "Playground";

    /// <summary>A fixed fake token: the emulator signs Mini App initData with it.</summary>
    public string BotToken { get; set; } = "100000:PLAYGROUND-fake-token-for-local-use-only";

    public string BotUsername { get; set; } = "nanobanana_playground_bot";

    public string BotName { get; set; } = "NanoBanana (playground)";

    /// <summary>0 picks a free port. The emulator always binds 127.0.0.1.</summary>
    public int Port { get; set; }

    /// <summary>Stars every new playground user starts with.</summary>
    public int StartingStars { get; set; } = 1000;

    /// <summary>How long a pre_checkout_query waits for answerPreCheckoutQuery (Telegram: 10 s).</summary>
    public TimeSpan PreCheckoutTimeout { get; set; } = TimeSpan.FromSeconds(10);
}
