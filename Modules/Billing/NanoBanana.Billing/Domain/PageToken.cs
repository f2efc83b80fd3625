using System.Globalization;

namespace NanoBanana.Billing.Domain;

/// <summary>Ledger pages are keyed by entry id (newest first): the token is the last id of the previous page.</summary>
internal static class PageToken
{
    public const int DefaultSize = 20;

    public const int MaxSize = 100;

    public static bool IsValid(string token) => token.Length == 0 || (long.TryParse(token, NumberStyles.None, CultureInfo.InvariantCulture, out var id) && id > 0);

    public static long Before(string token) => token.Length == 0 ? long.MaxValue : long.Parse(token, NumberStyles.None, CultureInfo.InvariantCulture);

    public static int Size(int requested) => requested == 0 ? DefaultSize : requested;

    public static string Next(long lastId) => lastId.ToString(CultureInfo.InvariantCulture);
}
