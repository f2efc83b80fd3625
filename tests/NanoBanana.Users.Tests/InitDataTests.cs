using NanoBanana.Users.Access;
using Xunit;

namespace NanoBanana.Users.Tests;

/// <summary>The initData check in isolation: only genuine, fresh, unambiguous data passes.</summary>
public sealed class InitDataTests
{
    private static readonly DateTimeOffset Now = new(2026, 11, 21, 12, 0, 0, TimeSpan.Zero);
    private static readonly TimeSpan MaxAge = TimeSpan.FromHours(24);
    private static readonly TimeSpan Skew = TimeSpan.FromMinutes(1);

    private static InitDataCheck Validate(string initData, string botToken = InitDataFactory.BotToken) =>
        InitData.Validate(initData, botToken, Now, MaxAge, Skew);

    [Fact]
    public void Valid_init_data_yields_the_user_and_start_param()
    {
        var check = Validate(InitDataFactory.Create(42, Now.AddMinutes(-5), "ref_AbCdEf12"));

        Assert.Equal(InitDataRejection.None, check.Rejection);
        Assert.Equal(42, check.Data!.User.Id);
        Assert.Equal("Ivan", check.Data.User.FirstName);
        Assert.Equal("Петров", check.Data.User.LastName);
        Assert.True(check.Data.User.IsPremium);
        Assert.Equal("ref_AbCdEf12", check.Data.StartParam);
    }

    [Fact]
    public void Tampered_field_is_rejected()
    {
        var fields = InitDataFactory.Fields(42, Now.AddMinutes(-5));
        var hash = InitDataFactory.Hash(fields);
        fields["user"] = fields["user"].Replace("42", "43", StringComparison.Ordinal);

        var check = Validate(InitDataFactory.Encode(fields.Append(new("hash", hash))));

        Assert.Equal(InitDataRejection.BadSignature, check.Rejection);
    }

    [Fact]
    public void Signature_field_is_part_of_the_hmac()
    {
        var fields = InitDataFactory.Fields(42, Now.AddMinutes(-5));
        var hash = InitDataFactory.Hash(fields);
        fields["signature"] = "other";

        Assert.Equal(InitDataRejection.BadSignature, Validate(InitDataFactory.Encode(fields.Append(new("hash", hash)))).Rejection);
    }

    [Fact]
    public void Wrong_bot_token_is_rejected() =>
        Assert.Equal(InitDataRejection.BadSignature, Validate(InitDataFactory.Create(42, Now), "7000000002:AAHanotherBotToken").Rejection);

    [Fact]
    public void Missing_hash_is_rejected() =>
        Assert.Equal(InitDataRejection.Malformed, Validate(InitDataFactory.Encode(InitDataFactory.Fields(42, Now))).Rejection);

    [Fact]
    public void Expired_auth_date_is_rejected() =>
        Assert.Equal(InitDataRejection.Expired, Validate(InitDataFactory.Create(42, Now - MaxAge - TimeSpan.FromSeconds(1))).Rejection);

    [Fact]
    public void Auth_date_beyond_the_skew_in_the_future_is_rejected() =>
        Assert.Equal(InitDataRejection.FromTheFuture, Validate(InitDataFactory.Create(42, Now + Skew + TimeSpan.FromSeconds(5))).Rejection);

    [Fact]
    public void Duplicate_keys_are_rejected_even_when_the_hash_matches_one_reading()
    {
        var fields = InitDataFactory.Fields(42, Now);
        var signed = InitDataFactory.Signed(fields);
        var duplicated = signed + "&user=" + Uri.EscapeDataString("{\"id\":1,\"first_name\":\"Eve\"}");

        Assert.Equal(InitDataRejection.Malformed, Validate(duplicated).Rejection);
    }

    [Fact]
    public void Non_utf8_percent_encoding_is_rejected()
    {
        var signed = InitDataFactory.Create(42, Now);

        Assert.Equal(InitDataRejection.Malformed, Validate(signed.Replace("query_id=", "query_id=%C3%28", StringComparison.Ordinal)).Rejection);
        Assert.Equal(InitDataRejection.Malformed, Validate(signed + "&x=%FF%FE").Rejection);
    }

    [Fact]
    public void One_megabyte_of_garbage_is_rejected()
    {
        var garbage = new string('a', 1024 * 1024);

        Assert.Equal(InitDataRejection.Malformed, Validate(garbage).Rejection);
    }

    [Fact]
    public void Fuzzed_inputs_never_throw_and_never_pass()
    {
        var random = new Random(20261121);
        var valid = InitDataFactory.Create(42, Now);
        const string alphabet = "abcdefghijklmnopqrstuvwxyz=&%+0123456789ABCDEF{}\":,_-é\u0000\uFFFF";
        for (var i = 0; i < 10_000; i++)
        {
            string input;
            switch (i % 3)
            {
                case 0:
                    input = new string([.. Enumerable.Range(0, random.Next(0, 300)).Select(_ => alphabet[random.Next(alphabet.Length)])]);
                    break;
                case 1:
                    var chars = valid.ToCharArray();
                    for (var flips = random.Next(1, 4); flips > 0; flips--)
                    {
                        chars[random.Next(chars.Length)] = alphabet[random.Next(alphabet.Length)];
                    }

                    input = new string(chars);
                    break;
                default:
                    input = valid[..random.Next(valid.Length)] + new string(alphabet[random.Next(alphabet.Length)], random.Next(0, 5));
                    break;
            }

            var check = Validate(input);
            // A mutation may re-encode the same bytes (%2C → %2c) and so still carry Telegram's genuine data; nothing else may pass.
            Assert.True(check.Rejection != InitDataRejection.None || check.Data!.User.Id == 42, $"Fuzzed input passed: {input}");
        }
    }
}
