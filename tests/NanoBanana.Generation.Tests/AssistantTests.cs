using System.Text.Json.Nodes;
using Google.Protobuf;
using Microsoft.Extensions.DependencyInjection;
using NanoBanana.BuildingBlocks.Mediation;
using NanoBanana.Catalog.Contracts.V1;
using NanoBanana.Generation.Contracts.V1;
using NanoBanana.Testing;
using Xunit;

namespace NanoBanana.Generation.Tests;

public sealed class AssistantFixture : IAsyncLifetime
{
    public FakeOpenRouterServer OpenRouter { get; private set; } = null!;

    public GenerationHarness Harness { get; private set; } = null!;

    public async Task InitializeAsync()
    {
        OpenRouter = await FakeOpenRouterServer.StartAsync();
        Harness = await GenerationHarness.StartAsync(await TestPostgres.CreateDatabaseAsync("assistant"), OpenRouter.Settings());
    }

    public async Task DisposeAsync()
    {
        await Harness.DisposeAsync();
        await OpenRouter.DisposeAsync();
    }
}

/// <summary>The prompt assistant on the real Host (Catalog price, Billing hold) against a loopback OpenRouter.</summary>
public sealed class AssistantTests(AssistantFixture fixture) : IClassFixture<AssistantFixture>, IAsyncLifetime
{
    private GenerationHarness H => fixture.Harness;

    private FakeOpenRouterServer OpenRouter => fixture.OpenRouter;

    public Task InitializeAsync()
    {
        OpenRouter.Bodies.Clear();
        OpenRouter.Scripted.Clear();
        OpenRouter.Errors.Clear();
        return Task.CompletedTask;
    }

    public Task DisposeAsync() => Task.CompletedTask;

    [Fact]
    public async Task An_idea_gets_three_variants_over_json_schema_usage_is_recorded_and_one_credit_captured()
    {
        var user = await H.FundedUserAsync(10);

        var answer = await AskAsync(user, "a cat on a roof at night", newConversation: true, photo: InputAndSandboxTests.Png(32, 32));

        Assert.False(answer.Failed);
        Assert.Equal(1, answer.PriceCredits);
        Assert.Equal(["Golden hour", "Neon noir", "Watercolour"], answer.Variants.Select(v => v.Title));
        Assert.All(answer.Variants, v => Assert.StartsWith("a cat on a roof at night, ", v.Prompt, StringComparison.Ordinal));
        var body = Assert.Single(OpenRouter.Bodies);
        Assert.Equal("Bearer or-test-key", Assert.Single(OpenRouter.Authorizations.TakeLast(1)));
        Assert.Equal(FakeOpenRouterServer.Model, body["model"]!.GetValue<string>());
        Assert.Equal("json_schema", body["response_format"]!["type"]!.GetValue<string>());
        var schema = body["response_format"]!["json_schema"]!;
        Assert.True(schema["strict"]!.GetValue<bool>());
        Assert.Equal(3, schema["schema"]!["properties"]!["variants"]!["minItems"]!.GetValue<int>());
        Assert.True(body["provider"]!["require_parameters"]!.GetValue<bool>());
        var messages = body["messages"]!.AsArray();
        Assert.Equal(["system", "user"], messages.Select(m => m!["role"]!.GetValue<string>()));
        var image = messages[1]!["content"]!.AsArray()[1]!;
        Assert.StartsWith("data:image/png;base64,", image["image_url"]!["url"]!.GetValue<string>(), StringComparison.Ordinal);

        var balance = await H.BalanceAsync(user);
        Assert.Equal(9, balance.Available);
        Assert.Equal(0, balance.Reserved);
        Assert.Equal(FakeOpenRouterServer.PromptTokens, await TurnValueAsync<int>(user, "prompt_tokens"));
        Assert.Equal(FakeOpenRouterServer.CompletionTokens, await TurnValueAsync<int>(user, "completion_tokens"));
        Assert.Equal((decimal)FakeOpenRouterServer.Cost, await TurnValueAsync<decimal>(user, "provider_cost_usd"));
        // $0.00012 at 9000 kopecks per dollar is 1.08 kopecks, rounded up.
        Assert.Equal(2L, await TurnValueAsync<long>(user, "provider_cost_kopecks"));
        Assert.Equal(1L, await TurnValueAsync<long>(user, "price_credits"));
        var stats = (await H.SendAsync(new GetGenerationStatsRequest())).Value.Models.Single(m => m.ModelSlug == "prompt-assistant");
        Assert.True(stats.RevenueCredits >= 1 && stats.ProviderCostKopecks >= 2 && stats.Succeeded >= 1, stats.ToString());
    }

    [Fact]
    public async Task The_model_sees_the_last_ten_messages_of_the_conversation_and_a_new_conversation_forgets_them()
    {
        var user = await H.FundedUserAsync(20);
        await AskAsync(user, "idea 0", newConversation: true);
        for (var i = 1; i <= 6; i++)
        {
            await AskAsync(user, $"idea {i}");
        }

        var seventh = OpenRouter.Bodies.Last()["messages"]!.AsArray();
        Assert.Equal(12, seventh.Count); // The instruction, 10 earlier messages, the new idea.
        Assert.Equal("system", seventh[0]!["role"]!.GetValue<string>());
        Assert.Equal(["idea 1", "idea 2", "idea 3", "idea 4", "idea 5"], seventh.Skip(1).Take(10).Where(m => m!["role"]!.GetValue<string>() == "user").Select(m => m!["content"]!.GetValue<string>()));
        var earlierAnswer = seventh[2]!;
        Assert.Equal("assistant", earlierAnswer["role"]!.GetValue<string>());
        Assert.Contains("idea 1, golden hour light", earlierAnswer["content"]!.GetValue<string>(), StringComparison.Ordinal);
        Assert.Equal("idea 6", FakeOpenRouterServer.LastUserText(OpenRouter.Bodies.Last()));

        await AskAsync(user, "something else entirely", newConversation: true);
        await AskAsync(user, "more cinematic");
        var refined = OpenRouter.Bodies.Last()["messages"]!.AsArray();
        Assert.Equal(["system", "user", "assistant", "user"], refined.Select(m => m!["role"]!.GetValue<string>()));
        Assert.Equal("something else entirely", refined[1]!["content"]!.GetValue<string>());
    }

    [Fact]
    public async Task A_malformed_answer_is_asked_again_once_and_both_attempts_count_in_the_usage()
    {
        var user = await H.FundedUserAsync(10);
        OpenRouter.Scripted.Enqueue("Sure! Here are three ideas: 1) a cat…");

        var answer = await AskAsync(user, "a fox in the snow", newConversation: true);

        Assert.False(answer.Failed);
        Assert.Equal(3, answer.Variants.Count);
        Assert.Equal(2, OpenRouter.Bodies.Count);
        Assert.Equal(2, await TurnValueAsync<int>(user, "attempts"));
        Assert.Equal(2 * FakeOpenRouterServer.PromptTokens, await TurnValueAsync<int>(user, "prompt_tokens"));
        Assert.Equal(9, (await H.BalanceAsync(user)).Available);
    }

    public static TheoryData<string, string> MalformedPairs => new()
    {
        { "not json at all", """{"variants":[{"title":"a","prompt":"one"},{"title":"b","prompt":"two"}]}""" },
        { """{"variants":[{"title":"a","prompt":""},{"title":"b","prompt":" "},{"title":"c","prompt":"three"}]}""", """{"ideas":[]}""" },
    };

    [Theory]
    [MemberData(nameof(MalformedPairs))]
    public async Task Two_malformed_answers_fail_the_request_and_release_the_credit(string first, string second)
    {
        var user = await H.FundedUserAsync(10);
        OpenRouter.Scripted.Enqueue(first);
        OpenRouter.Scripted.Enqueue(second);

        var answer = await AskAsync(user, "a castle", newConversation: true);

        Assert.True(answer.Failed);
        Assert.Empty(answer.Variants);
        Assert.Equal(2, OpenRouter.Bodies.Count);
        var balance = await H.BalanceAsync(user);
        Assert.Equal(10, balance.Available);
        Assert.Equal(0, balance.Reserved);
        Assert.Equal(3, await TurnValueAsync<int>(user, "status")); // Failed, with what it used.
        Assert.Equal(2 * FakeOpenRouterServer.CompletionTokens, await TurnValueAsync<int>(user, "completion_tokens"));
    }

    [Fact]
    public async Task A_refusal_is_not_asked_again_and_releases_the_credit()
    {
        var user = await H.FundedUserAsync(10);
        OpenRouter.Errors.Enqueue(402);

        var answer = await AskAsync(user, "anything", newConversation: true);

        Assert.True(answer.Failed);
        Assert.Single(OpenRouter.Bodies);
        Assert.Equal(10, (await H.BalanceAsync(user)).Available);
    }

    [Fact]
    public async Task A_repeated_request_returns_the_same_answer_charged_once()
    {
        var user = await H.FundedUserAsync(10);
        var first = await AskAsync(user, "a lighthouse", newConversation: true, requestId: "same");
        var second = await AskAsync(user, "a lighthouse", newConversation: true, requestId: "same");

        Assert.True(second.Duplicate);
        Assert.Equal(first.Variants, second.Variants);
        Assert.Single(OpenRouter.Bodies);
        Assert.Equal(9, (await H.BalanceAsync(user)).Available);
    }

    [Fact]
    public async Task A_short_balance_asks_nothing_and_the_catalog_price_is_what_is_charged()
    {
        var broke = GenerationHarness.NewUserId();
        var refused = await AskAsync(broke, "a boat", newConversation: true);
        Assert.True(refused.InsufficientFunds);
        Assert.Equal(1, refused.Shortfall);
        Assert.Empty(OpenRouter.Bodies);

        Assert.True((await H.SendAsync(new SetAssistantPriceRequest { Price = new AssistantPrice { CreditsPerRequest = 3 } })).IsSuccess);
        try
        {
            var user = await H.FundedUserAsync(10);
            var answer = await AskAsync(user, "a boat", newConversation: true);
            Assert.Equal(3, answer.PriceCredits);
            Assert.Equal(7, (await H.BalanceAsync(user)).Available);
        }
        finally
        {
            await H.SendAsync(new SetAssistantPriceRequest { Price = new AssistantPrice { CreditsPerRequest = 1 } });
        }
    }

    [Fact]
    public async Task Bad_input_is_refused_with_field_errors_and_nothing_held()
    {
        var user = await H.FundedUserAsync(10);
        var empty = await H.SendAsync(new AskPromptAssistantForUserRequest { UserId = user, Idea = "   ", ClientRequestId = "x" });
        var notImage = await H.SendAsync(new AskPromptAssistantForUserRequest { UserId = user, Idea = "a", Photo = ByteString.CopyFromUtf8("hello"), ClientRequestId = "y" });

        Assert.Equal(Ardalis.Result.ResultStatus.Invalid, empty.Status);
        Assert.Equal(Ardalis.Result.ResultStatus.Invalid, notImage.Status);
        Assert.Contains(notImage.ValidationErrors, e => e.Identifier == "photo");
        Assert.Empty(OpenRouter.Bodies);
        Assert.Equal(10, (await H.BalanceAsync(user)).Available);
    }

    [Fact]
    public async Task Conversations_are_deleted_after_thirty_days()
    {
        var user = await H.FundedUserAsync(10);
        await AskAsync(user, "old idea", newConversation: true);
        await AskAsync(user, "recent idea");
        await H.ScalarAsync<int>("UPDATE generation.assistant_turns SET created_at = now() - interval '31 days' WHERE user_id = @user AND idea = 'old idea'; SELECT 1", ("user", user));

        var sweeper = H.Host.Services.GetServices<Microsoft.Extensions.Hosting.IHostedService>().OfType<Background.RetentionSweeper>().Single();
        await sweeper.SweepAsync(CancellationToken.None);

        Assert.Equal(1L, await H.ScalarAsync<long>("SELECT count(*) FROM generation.assistant_turns WHERE user_id = @user", ("user", user)));
        Assert.Equal("recent idea", await H.ScalarAsync<string>("SELECT idea FROM generation.assistant_turns WHERE user_id = @user", ("user", user)));
    }

    private async Task<AskPromptAssistantForUserResponse> AskAsync(long user, string idea, bool newConversation = false, byte[]? photo = null, string? requestId = null)
    {
        var asked = await H.SendAsync(new AskPromptAssistantForUserRequest
        {
            UserId = user,
            Idea = idea,
            NewConversation = newConversation,
            Photo = photo is null ? ByteString.Empty : ByteString.CopyFrom(photo),
            ClientRequestId = requestId ?? Guid.NewGuid().ToString("N"),
        });
        Assert.True(asked.IsSuccess, asked.Describe());
        return asked.Value;
    }

    /// <summary>A column of the user's latest turn.</summary>
    private Task<T> TurnValueAsync<T>(long user, string column) =>
        H.ScalarAsync<T>($"SELECT {column} FROM generation.assistant_turns WHERE user_id = @user ORDER BY created_at DESC LIMIT 1", ("user", user));
}
