using System.Text.Json;
using NanoBanana.BuildingBlocks.Security;
using NanoBanana.Generation.Contracts.V1;
using Xunit;

namespace NanoBanana.Bot.Tests;

/// <summary>💡 Prompt assistant (offline Sandbox writer) and ✏️ Edit chains through the Bot API emulator, in both languages.</summary>
public sealed class AssistantBotTests(GenerationResultFixture fixture) : IClassFixture<GenerationResultFixture>
{
    [Theory]
    [InlineData("en", "💰 My balance", "Balance: 20 credits", "💡 Prompt assistant", "Describe your idea", "Three prompts", "Which model", "Generate for 10 credits", "Balance: 8 credits")]
    [InlineData("ru", "💰 Мой баланс", "Баланс: 20 кредитов", "💡 Помощник", "Опишите идею", "Три промпта", "Какой моделью", "Создать за 10 кредитов", "Баланс: 8 кредитов")]
    public async Task An_idea_gets_three_buttons_a_refinement_keeps_the_context_and_a_tap_generates_that_prompt(
        string language, string balanceButton, string balance, string menuButton, string intro, string variantsTitle, string pickModel, string confirmText, string after)
    {
        var chat = await fixture.StartedChatAsync(language, balanceButton, balance);

        var opened = await chat.WaitForAsync(intro, await chat.SayAsync(menuButton));
        Assert.Contains("1", opened.Text);
        var first = await chat.WaitForAsync(variantsTitle, await chat.SayAsync("a lighthouse in a storm"));
        var firstButtons = VariantButtons(first);
        Assert.Equal(3, firstButtons.Count);
        Assert.Contains("a lighthouse in a storm, photorealistic photograph", first.Text);

        var refined = await chat.WaitForAsync(variantsTitle, await chat.SayAsync("more cinematic"));
        Assert.Contains("a lighthouse in a storm, more cinematic, cinematic film still", refined.Text);
        var stale = await chat.PressAsync(first.MessageId, firstButtons[0]);
        Assert.NotNull((await chat.WaitForAnswerAsync(stale)).Text);

        await chat.PressAsync(refined.MessageId, VariantButtons(refined)[1]);
        var models = await chat.WaitForAsync(pickModel, refined.MessageId);
        await chat.PressAsync(models.MessageId, "ast:m:nano-banana");
        var ratios = await chat.WaitForAsync("📐", models.MessageId);
        await chat.PressAsync(ratios.MessageId, "img:a:1:1");
        var confirm = await chat.WaitForAsync(confirmText, ratios.MessageId);
        Assert.Contains("more cinematic, cinematic film still", confirm.Text);
        await chat.PressAsync(confirm.MessageId, confirm.InlineKeyboard![0][0].CallbackData!);

        var result = await fixture.WaitForMediaAsync(chat, "photo", 1);
        Assert.Contains("a lighthouse in a storm, more cinematic, cinematic film still", result.GetProperty("caption").GetString());
        // 20 − 1 (the first answer) − 1 (the refinement) − 10 (the image).
        await chat.WaitForBalanceAsync(balanceButton, after);
    }

    [Theory]
    [InlineData("en", "💰 My balance", "Balance: 20 credits", "💡 Prompt assistant", "Describe your idea", "could not come up with prompts", "Nothing was charged")]
    [InlineData("ru", "💰 Мой баланс", "Баланс: 20 кредитов", "💡 Помощник", "Опишите идею", "не удалось придумать промпты", "Ничего не списано")]
    public async Task A_model_that_answers_no_prompts_twice_is_reported_and_nothing_is_charged(
        string language, string balanceButton, string balance, string menuButton, string intro, string failed, string nothingCharged)
    {
        var chat = await fixture.StartedChatAsync(language, balanceButton, balance);
        await chat.WaitForAsync(intro, await chat.SayAsync(menuButton));

        var reply = await chat.WaitForAsync(failed, await chat.SayAsync("a sunset [sandbox:malformed]"));

        Assert.Contains(nothingCharged, reply.Text);
        Assert.DoesNotContain(reply.InlineKeyboard!.SelectMany(r => r), b => b.CallbackData!.StartsWith("ast:u:", StringComparison.Ordinal));
        await chat.WaitForBalanceAsync(balanceButton, balance);
    }

    [Theory]
    [InlineData("en", "💰 My balance", "Balance: 20 credits", "🖼 Create image", "✏️ Edit", "What should change", "Generate for 10 credits", "edit of #2", "edit of #3")]
    [InlineData("ru", "💰 Мой баланс", "Баланс: 20 кредитов", "🖼 Создать изображение", "✏️ Изменить", "Что изменить", "Создать за 10 кредитов", "правка #2", "правка #3")]
    public async Task Two_edits_in_a_row_each_edit_the_last_result_and_history_shows_the_chain(
        string language, string balanceButton, string balance, string createImage, string editButton, string ask, string confirmText, string editOfSecond, string editOfThird)
    {
        var chat = await fixture.StartedChatAsync(language, balanceButton, balance);
        var admin = fixture.Harness.Chat(GenerationResultFixture.AdminId);
        await admin.WaitForAsync("Done:", await admin.SayAsync($"/grant {chat.UserId} 100"));
        var confirm = await GenerationResultFixture.ImageConfirmationAsync(chat, createImage, "a house with a sign");
        await chat.PressAsync(confirm.MessageId, confirm.InlineKeyboard![0][0].CallbackData!);

        var result = await fixture.WaitForMediaAsync(chat, "document", 1);
        await EditAsync(chat, result, editButton, ask, "make it night", confirmText);
        result = await fixture.WaitForMediaAsync(chat, "document", 2);
        Assert.Contains("make it night", (await fixture.WaitForMediaAsync(chat, "photo", 2)).GetProperty("caption").GetString());
        await EditAsync(chat, result, editButton, ask, "remove the text", confirmText);
        await fixture.WaitForMediaAsync(chat, "document", 3);

        var jobs = (await fixture.Harness.Hosts[0].SendAsync(Principal.ForUser(chat.UserId), new ListMyGenerationsRequest())).Value.Jobs;
        Assert.Equal(["remove the text", "make it night", "a house with a sign"], jobs.Select(j => j.Prompt));
        Assert.Equal([jobs[1].Id, jobs[2].Id, ""], jobs.Select(j => j.ParentJobId));
        Assert.All(jobs.Take(2), j => Assert.Equal(GenerationKind.ImageToImage, j.Kind));
        var history = await chat.WaitForAsync("#3", await chat.SayAsync("/history"));
        Assert.Contains($"{editOfSecond}: remove the text", history.Text);
        Assert.Contains($"{editOfThird}: make it night", history.Text);
    }

    private static async Task EditAsync(PlaygroundChat chat, JsonElement result, string editButton, string ask, string instruction, string confirmText)
    {
        var button = result.GetProperty("inline_keyboard").EnumerateArray().SelectMany(r => r.EnumerateArray())
            .Single(b => b.GetProperty("text").GetString() == editButton);
        var resultId = result.GetProperty("message_id").GetInt32();
        await chat.PressAsync(resultId, button.GetProperty("callback_data").GetString()!);
        await chat.WaitForAsync(ask, resultId);
        // No aspect-ratio step: an edit keeps the edited image's.
        var confirm = await chat.WaitForAsync(confirmText, await chat.SayAsync(instruction));
        Assert.Contains(instruction, confirm.Text);
        await chat.PressAsync(confirm.MessageId, confirm.InlineKeyboard![0][0].CallbackData!);
    }

    private static List<string> VariantButtons(PlaygroundChat.ChatMessage message) =>
        [.. message.InlineKeyboard!.SelectMany(r => r).Select(b => b.CallbackData!).Where(d => d.StartsWith("ast:u:", StringComparison.Ordinal))];
}
