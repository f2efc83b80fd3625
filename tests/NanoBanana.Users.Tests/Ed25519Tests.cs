using System.Globalization;
using System.Numerics;
using NanoBanana.Users.Access;
using Xunit;

namespace NanoBanana.Users.Tests;

/// <summary>Ed25519 verification (NSec) against RFC 8032's vectors, and the third-party initData signature check.</summary>
public sealed class Ed25519Tests
{
    [Theory]
    [InlineData("d75a980182b10ab7d54bfed3c964073a0ee172f3daa62325af021a68f707511a", "",
        "e5564300c360ac729086e2cc806e828a84877f1eb8e5d974d873e065224901555fb8821590a33bacc61e39701cf9b46bd25bf5f0595bbe24655141438e7a100b")]
    [InlineData("3d4017c3e843895a92b70aa74d1b7ebc9c982ccf2ec4968cc0cd55f12af4660c", "72",
        "92a009a9f0d4cab8720e820b5f642540a2b27b5416503f8fb3762223ebdb69da085ac1e43e15996e458f3613d0f11d8c387b2eaeb4302aeeb00d291612bb0c00")]
    public void Rfc8032_vectors_verify_and_any_flipped_bit_does_not(string publicKey, string message, string signature)
    {
        var key = Convert.FromHexString(publicKey);
        var data = Convert.FromHexString(message);
        var sig = Convert.FromHexString(signature);

        Assert.True(InitData.Ed25519Verifies(key, data, sig));
        foreach (var bit in new[] { 0, 100, 255, 300, 511 })
        {
            var bad = (byte[])sig.Clone();
            bad[bit / 8] ^= (byte)(1 << (bit % 8));
            Assert.False(InitData.Ed25519Verifies(key, data, bad));
        }

        Assert.False(InitData.Ed25519Verifies(key, [.. data, 0], sig));
        Assert.False(InitData.Ed25519Verifies(key.AsSpan(0, 31), data, sig));

        // S + L satisfies the same equation but is not canonical; accepting it would make signatures malleable.
        var order = BigInteger.Pow(2, 252) + BigInteger.Parse("27742317777372353535851937790883648493", CultureInfo.InvariantCulture);
        var malleable = (byte[])sig.Clone();
        Assert.True((new BigInteger(sig.AsSpan(32), isUnsigned: true) + order).TryWriteBytes(malleable.AsSpan(32), out _, isUnsigned: true));
        Assert.False(InitData.Ed25519Verifies(key, data, malleable));
    }

    // Signed by a test key (seed 00..1f) over "7000000001:WebAppData\n" + the sorted fields, as Telegram signs.
    private const string TestPublicKey = "03a107bff3ce10be1d70dd18e74bc09967e4d6309ba50d5f1ddc8664125531b8";
    private const string TestSignature = "4lPrQXcwrScf7cMFxQ9ppxiAHvkMpP62wYvyGr_rqneCP2B5fDvaHhjyCxyNoUYdj8OwRyxNUrbJrVL_2laTBg";
    private static readonly DateTimeOffset Now = new(2026, 11, 21, 12, 0, 0, TimeSpan.Zero);

    private static Dictionary<string, string> Fields(string signature) => new()
    {
        ["query_id"] = "abc",
        ["user"] = "{\"id\":42,\"first_name\":\"Ivan\"}",
        ["auth_date"] = "1795262100",
        ["signature"] = signature,
    };

    [Fact]
    public void Init_data_with_a_valid_ed25519_signature_passes_when_the_key_is_configured()
    {
        var check = InitData.Validate(InitDataFactory.Signed(Fields(TestSignature)), InitDataFactory.BotToken, Now, TimeSpan.FromHours(24), TimeSpan.FromMinutes(1), Convert.FromHexString(TestPublicKey));

        Assert.Equal(InitDataRejection.None, check.Rejection);
        Assert.Equal(42, check.Data!.User.Id);
    }

    [Fact]
    public void Init_data_with_a_wrong_or_missing_signature_fails_when_the_key_is_configured()
    {
        var wrong = TestSignature.Replace('4', '5');
        var key = Convert.FromHexString(TestPublicKey);
        var missing = Fields(TestSignature);
        missing.Remove("signature");

        Assert.Equal(InitDataRejection.BadSignature, InitData.Validate(InitDataFactory.Signed(Fields(wrong)), InitDataFactory.BotToken, Now, TimeSpan.FromHours(24), TimeSpan.FromMinutes(1), key).Rejection);
        Assert.Equal(InitDataRejection.BadSignature, InitData.Validate(InitDataFactory.Signed(missing), InitDataFactory.BotToken, Now, TimeSpan.FromHours(24), TimeSpan.FromMinutes(1), key).Rejection);
        Assert.Equal(InitDataRejection.BadSignature, InitData.Validate(InitDataFactory.Signed(Fields(TestSignature)), "7000000002:AAHother", Now, TimeSpan.FromHours(24), TimeSpan.FromMinutes(1), key).Rejection);
        Assert.Equal(InitDataRejection.None, InitData.Validate(InitDataFactory.Signed(Fields(wrong)), InitDataFactory.BotToken, Now, TimeSpan.FromHours(24), TimeSpan.FromMinutes(1)).Rejection);
    }
}
