using System.Text.Json.Nodes;
using NanoBanana.Playground;
using Telegram.Bot;
using Telegram.Bot.Exceptions;
using Telegram.Bot.Types.Payments;

namespace NanoBanana.Telegram.Tests;

/// <summary>Playground features beyond the Bot API: the test API's waits, live transcript, checkout timeout, the web chat.</summary>
public sealed class PlaygroundBehaviourTests : PlaygroundTest
{
    private const long Carol = 7_000_000_003;

    protected override PlaygroundOptions Options => new() { PreCheckoutTimeout = TimeSpan.FromMilliseconds(300) };

    [Fact]
    public async Task Wait_returns_the_first_bot_message_matching_the_condition()
    {
        await UserSays(Carol, "/start");
        var waiting = Post($"/api/chats/{Carol}/wait", new { text_contains = "Balance", timeout_ms = 10_000 });
        await Bot.SendMessage(Carol, "Welcome");
        var balance = await Bot.SendMessage(Carol, "Balance: 50 credits");

        var matched = await waiting;

        Assert.Equal(balance.Id, (int)matched["message"]!["message_id"]!);
        Assert.Equal("bot", (string?)matched["message"]!["from"]);
    }

    [Fact]
    public async Task Wait_that_is_never_satisfied_answers_408()
    {
        using var response = await Http.PostAsync(
            $"/api/chats/{Carol}/wait",
            new StringContent("""{"text_contains":"never","timeout_ms":200}""", System.Text.Encoding.UTF8, "application/json"));

        Assert.Equal(System.Net.HttpStatusCode.RequestTimeout, response.StatusCode);
    }

    [Fact]
    public async Task Transcript_long_poll_wakes_on_the_next_change()
    {
        await UserSays(Carol, "hi");
        var version = (long)(await Transcript(Carol))["version"]!;

        var next = Get($"/api/chats/{Carol}/transcript?after={version}&timeout=20");
        await Bot.SendMessage(Carol, "progress 10%");
        var changed = await next;

        Assert.True((long)changed["version"]! > version);
        Assert.Equal("progress 10%", (string?)changed["messages"]!.AsArray()[^1]!["text"]);
    }

    [Fact]
    public async Task Unanswered_pre_checkout_times_out_and_charges_nothing()
    {
        var link = await Bot.CreateInvoiceLink("Pack", "100 credits", "topup:100", "XTR", [new LabeledPrice("100", 100)]);
        await Post($"/api/users/{Carol}/stars", new { stars = 100 });

        var outcome = await Post($"/api/chats/{Carol}/payments", new { invoice_link = link });
        var checkout = Assert.Single(await DrainUpdates(1)).PreCheckoutQuery!;
        var late = await Assert.ThrowsAsync<ApiRequestException>(() => Bot.AnswerPreCheckoutQuery(checkout.Id));

        Assert.Equal("timeout", (string?)outcome["status"]);
        Assert.Equal(100, (int)(await Transcript(Carol))["user"]!["stars"]!);
        Assert.Equal(400, late.ErrorCode);
    }

    [Fact]
    public async Task A_second_poller_terminates_the_first_with_409()
    {
        var first = Bot.GetUpdates(timeout: 20);
        while ((int)(await Get("/api/bot"))["active_polls"]! == 0)
        {
            await Task.Delay(10);
        }

        var second = await Bot.GetUpdates(timeout: 0);
        var error = await Assert.ThrowsAsync<ApiRequestException>(() => first);

        Assert.Empty(second);
        Assert.Equal(409, error.ErrorCode);
        Assert.StartsWith("Conflict: terminated by other getUpdates request", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Web_chat_is_served_and_never_writes_markup_from_data()
    {
        var page = await Http.GetStringAsync("/");
        var script = await Http.GetStringAsync("/app.js");
        var shim = await Http.GetStringAsync("/telegram-web-app.js");

        Assert.Contains("<script src=\"/app.js\"></script>", page, StringComparison.Ordinal);
        foreach (var sink in new[] { "innerHTML", "outerHTML", "insertAdjacentHTML", "document.write" })
        {
            Assert.DoesNotContain(sink, script, StringComparison.Ordinal);
            Assert.DoesNotContain(sink, shim, StringComparison.Ordinal);
        }

        Assert.Contains("web_app_data_send", shim, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Web_app_data_from_a_keyboard_mini_app_reaches_the_bot()
    {
        await Post($"/api/chats/{Carol}/web-app-data", new { data = """{"action":"topup","pack":"250"}""", button_text = "Top up" });

        var message = Assert.Single(await DrainUpdates(1)).Message!;

        Assert.Equal("""{"action":"topup","pack":"250"}""", message.WebAppData!.Data);
        Assert.Equal("Top up", message.WebAppData.ButtonText);
    }

    [Theory]
    [InlineData("sendMessage", """{"chat_id":1,"text":"x","reply_markup":{"inline_keyboard":[[{"text":"a"}]]}}""", "Bad Request: can't parse inline keyboard button")]
    [InlineData("sendMessage", """{"chat_id":1,"text":"x","reply_markup":{"inline_keyboard":[[{"text":"a","url":"/payments/sandbox/1"}]]}}""", "Bad Request: inline keyboard button URL '/payments/sandbox/1' is invalid")]
    [InlineData("sendMessage", """{"chat_id":1,"text":"x","reply_markup":{"inline_keyboard":[[{"text":"a","web_app":{"url":"app/"}}]]}}""", "Bad Request: inline keyboard button Web App URL 'app/' is invalid")]
    [InlineData("setChatMenuButton", """{"menu_button":{"type":"hologram"}}""", "Bad Request: can't parse menu_button JSON object")]
    [InlineData("sendMessage", """{"chat_id":1,"text":"x","reply_parameters":{"message_id":99999999999}}""", "Bad Request: can't parse reply_parameters JSON object")]
    [InlineData("getUpdates", """{"limit":99999999999}""", "Bad Request: limit is out of range")]
    [InlineData("sendMessage", "{not json", "Bad Request: can't parse JSON object")]
    public async Task Malformed_bot_api_calls_get_a_400_envelope(string method, string body, string description)
    {
        await UserSays(1, "hi");

        using var response = await Http.PostAsync($"/bot{Server.BotToken}/{method}", new StringContent(body, System.Text.Encoding.UTF8, "application/json"));
        var envelope = JsonNode.Parse(await response.Content.ReadAsStringAsync())!;

        Assert.Equal(System.Net.HttpStatusCode.BadRequest, response.StatusCode);
        Assert.False((bool)envelope["ok"]!);
        Assert.Equal(400, (int)envelope["error_code"]!);
        Assert.StartsWith(description, (string)envelope["description"]!, StringComparison.Ordinal);
    }
}
