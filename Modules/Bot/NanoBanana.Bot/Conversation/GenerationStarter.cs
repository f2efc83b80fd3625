using System.Globalization;
using Google.Protobuf;
using NanoBanana.Bot.Outbound;
using NanoBanana.Bot.Persistence;
using NanoBanana.Catalog.Contracts.V1;
using NanoBanana.Generation.Contracts.V1;
using Telegram.Bot;

namespace NanoBanana.Bot.Conversation;

/// <summary>
/// The steps shared by the image and video flows: the model list, the draft's model, "Generate for
/// N credits?" and the start itself. The job's client request id is derived from the chat and its draft number, so a retried
/// update, a redelivery or a double tap all name the same job and are charged once.
/// </summary>
internal sealed class GenerationStarter(ModuleGateway modules, ITelegramBotClient bot, TopUpOffer topUp, Balances balances, BotDatabase database)
{
    /// <summary>Generation accepts 1–2000 characters; anything else is explained here instead of failing later.</summary>
    private const int MaxPromptLength = 2000;

    /// <summary>Stores <paramref name="prompt"/> in the draft, or tells the user why it cannot be used.</summary>
    public static bool TryTakePrompt(ChatSession session, string prompt)
    {
        if (prompt.Length is 0 or > MaxPromptLength)
        {
            session.Send(session.T("prompt.invalid"), [Keyboards.MenuRow(session)]);
            return false;
        }

        session.Data.Prompt = prompt;
        return true;
    }

    /// <summary>Reference photos Generation accepts (Telegram lets bots download up to 20 MB).</summary>
    private const long MaxReferenceBytes = 10 * 1024 * 1024;

    /// <summary>Starts a new draft with the active models of <paramref name="kind"/> as buttons with prices.</summary>
    public async Task ShowModelsAsync(ChatSession session, Catalog.Contracts.V1.ModelKind kind, string prefix, string titleKey, CancellationToken cancellationToken)
    {
        var models = (await modules.AsModuleAsync(new ListModelsRequest { Kind = kind }, cancellationToken)).Require("ListModels").Models;
        session.State = prefix + ".model";
        session.Data = new ChatData { Draft = session.Data.Draft + 1 };
        session.Send(models.Count == 0 ? session.T("model.none") : session.T(titleKey), ModelCards.PickList(session, models, prefix));
    }

    /// <summary>The model a card button names, if it is still active and of the flow's kind; otherwise the user is told.</summary>
    public async Task<Model?> ActiveModelAsync(ChatSession session, string slug, Catalog.Contracts.V1.ModelKind kind, CancellationToken cancellationToken)
    {
        var found = await modules.AsModuleAsync(new GetModelRequest { Slug = slug }, cancellationToken);
        if (found.IsSuccess && found.Value.Model.Active && found.Value.Model.Kind == kind)
        {
            return found.Value.Model;
        }

        session.Send(session.T("model.unavailable"), [Keyboards.MenuRow(session)]);
        return null;
    }

    /// <summary>The model the draft was started with.</summary>
    public async Task<Model> DraftModelAsync(ChatSession session, CancellationToken cancellationToken) =>
        (await modules.AsModuleAsync(new GetModelRequest { Slug = session.Data.ModelSlug ?? "" }, cancellationToken)).Require("GetModel").Model;

    /// <summary>
    /// "Generate for N credits?" with the model's output sizes as buttons; <paramref name="cardMessageId"/> set: the
    /// card a size button was tapped on is edited in place with the recomputed price.
    /// </summary>
    public async Task ConfirmAsync(ChatSession session, string prefix, CancellationToken cancellationToken, int? cardMessageId = null)
    {
        var model = await DraftModelAsync(session, cancellationToken);
        var isVideo = model.Kind == Catalog.Contracts.V1.ModelKind.Video;
        // A new draft starts at the size the user last picked for this model, if it still fits the draft.
        if (session.Data.Resolution is null && model.Capabilities.Resolutions.Count > 1
            && await LastResolutionAsync(session.UserId, model.Slug, cancellationToken) is { } last
            && model.PriceOf(last, isVideo ? session.Data.DurationSeconds : 0) is not null)
        {
            session.Data.Resolution = last;
        }

        var resolution = session.Data.Resolution ?? model.DefaultResolution();
        session.Data.PriceCredits = model.PriceOf(resolution, isVideo ? session.Data.DurationSeconds : 0)?.Credits ?? 0;
        session.Data.Draft++;
        session.State = prefix + ".confirm";
        var balance = await balances.GetAsync(session.UserId, cancellationToken);
        var text = session.T("generation.confirm", ModelCards.Name(session, model), session.Data.PriceCredits, balance.Available, Summary(session));
        // Generate stays the first button; the sizes follow it.
        var rows = new List<InlineButton[]> { new[] { new InlineButton(session.T("button.generate", session.Data.PriceCredits), $"{prefix}:g:{session.Data.Draft.ToString(CultureInfo.InvariantCulture)}") } };
        if (model.Capabilities.Resolutions.Count > 1)
        {
            rows.Add([.. model.Capabilities.Resolutions.Select(r => new InlineButton(
                (r == resolution ? "✓ " : "") + session.T("option.size_button", r, SizePrice(model, r, session.Data.DurationSeconds)),
                $"{prefix}:o:{r}"))]);
        }

        rows.Add(Keyboards.MenuRow(session));
        if (cardMessageId is { } messageId)
        {
            session.Edit(messageId, text, [.. rows]);
        }
        else
        {
            session.Send(text, [.. rows]);
        }
    }

    /// <summary>A size button on the confirmation card: the size is taken, a clip length it does not allow moves to one it does.</summary>
    public async Task PickResolutionAsync(ChatSession session, Incoming incoming, string prefix, CancellationToken cancellationToken)
    {
        var model = await DraftModelAsync(session, cancellationToken);
        if (session.State != prefix + ".confirm" || !model.Capabilities.Resolutions.Contains(incoming.CallbackArgument))
        {
            session.AnswerCallback(incoming.CallbackQueryId!, session.T("error.outdated_button"));
            return;
        }

        session.AnswerCallback(incoming.CallbackQueryId!);
        session.Data.Resolution = incoming.CallbackArgument;
        await database.ExecuteAsync(
            """
            INSERT INTO bot.model_choices (user_id, model_slug, resolution) VALUES ($1, $2, $3)
            ON CONFLICT (user_id, model_slug) DO UPDATE SET resolution = excluded.resolution, updated_at = now()
            """,
            cancellationToken,
            session.UserId,
            model.Slug,
            incoming.CallbackArgument);
        if (model.Kind == Catalog.Contracts.V1.ModelKind.Video)
        {
            session.Data.DurationSeconds = DurationAt(model, incoming.CallbackArgument, session.Data.DurationSeconds);
        }

        await ConfirmAsync(session, prefix, cancellationToken, incoming.MessageId);
    }

    private async Task<string?> LastResolutionAsync(long userId, string modelSlug, CancellationToken cancellationToken)
    {
        await using var command = database.Command("SELECT resolution FROM bot.model_choices WHERE user_id = $1 AND model_slug = $2");
        command.Parameters.AddWithValue(userId);
        command.Parameters.AddWithValue(modelSlug);
        return await command.ExecuteScalarAsync(cancellationToken) as string;
    }

    /// <summary>A size's price for the draft: videos at the draft's length, or the length the size would move it to.</summary>
    private static long SizePrice(Model model, string resolution, int durationSeconds) =>
        model.PriceOf(resolution, model.Kind == Catalog.Contracts.V1.ModelKind.Video ? DurationAt(model, resolution, durationSeconds) : 0)?.Credits ?? 0;

    /// <summary>The draft's clip length if the size allows it, else the longest one the size does.</summary>
    private static int DurationAt(Model model, string resolution, int durationSeconds)
    {
        var durations = model.DurationsAt(resolution);
        return durations.Contains(durationSeconds) ? durationSeconds : durations.DefaultIfEmpty(0).Max();
    }

    /// <summary>The "Generate" button: only the current draft's confirmation starts a job.</summary>
    public async Task GenerateAsync(ChatSession session, Incoming incoming, string prefix, CancellationToken cancellationToken)
    {
        if (session.State == prefix + ".confirm" && incoming.CallbackArgument == session.Data.Draft.ToString(CultureInfo.InvariantCulture))
        {
            await StartAsync(session, incoming, prefix, cancellationToken);
            return;
        }

        // A second tap, or a button from an older draft: never a second job.
        session.AnswerCallback(incoming.CallbackQueryId!, session.T("generation.already_started"));
    }

    private async Task StartAsync(ChatSession session, Incoming incoming, string prefix, CancellationToken cancellationToken)
    {
        var data = session.Data;
        var spec = new GenerationSpec
        {
            ModelSlug = data.ModelSlug ?? "",
            Prompt = data.Prompt ?? "",
            AspectRatio = data.AspectRatio ?? "",
            Resolution = data.Resolution ?? "",
            DurationSeconds = data.DurationSeconds,
            Audio = data.Audio,
            Kind = (prefix, data.Source) switch
            {
                ("img", "images") => GenerationKind.ImageToImage,
                ("img", _) => GenerationKind.TextToImage,
                (_, "images") => GenerationKind.ImageToVideo,
                _ => GenerationKind.TextToVideo,
            },
        };
        if (data.Source == "images")
        {
            foreach (var fileId in data.Photos)
            {
                if (await DownloadAsync(fileId, cancellationToken) is not { } bytes)
                {
                    session.AnswerCallback(incoming.CallbackQueryId!);
                    session.Send(session.T("photos.too_large"), [Keyboards.MenuRow(session)]);
                    return;
                }

                spec.ReferenceImages.Add(new ReferenceImage { Data = ByteString.CopyFrom(bytes) });
            }
        }

        var request = new StartGenerationForUserRequest
        {
            UserId = session.UserId,
            Spec = spec,
            ClientRequestId = string.Create(CultureInfo.InvariantCulture, $"tg:{session.ChatId}:{data.Draft}"),
        };
        var started = await modules.AsModuleAsync(request, cancellationToken);
        if (started.Status == Ardalis.Result.ResultStatus.Invalid)
        {
            session.AnswerCallback(incoming.CallbackQueryId!);
            session.Send(session.T("generation.invalid", string.Join("; ", started.ValidationErrors.Select(e => e.ErrorMessage))), [Keyboards.MenuRow(session)]);
            return;
        }

        var outcome = started.Require("StartGenerationForUser").Outcome;
        if (outcome.InsufficientFunds)
        {
            session.AnswerCallback(incoming.CallbackQueryId!);
            await topUp.OfferAsync(session, data.PriceCredits, outcome.Shortfall, cancellationToken);
            return;
        }

        if (outcome.DailyLimitReached || outcome.ActiveLimitReached)
        {
            session.AnswerCallback(incoming.CallbackQueryId!);
            session.Send(await LimitTextAsync(modules, session, outcome, cancellationToken), [[new InlineButton(session.T("menu.plans"), $"{Features.Plans.Prefix}:show")], Keyboards.MenuRow(session)]);
            return;
        }

        session.AnswerCallback(incoming.CallbackQueryId!, session.T("generation.started"));
        session.State = prefix + ".running";
        var job = outcome.Job;
        session.Send(Progress.Text(session.T, job.Status, job.QueuePosition, job.EstimateSeconds, job.ElapsedSeconds), slot: Progress.Slot(job.Id));
    }

    /// <summary>Why no job was started: the plan's daily limit (named with the plan), or the jobs already in progress.</summary>
    public static async Task<string> LimitTextAsync(ModuleGateway modules, ChatSession session, StartOutcome outcome, CancellationToken cancellationToken)
    {
        if (!outcome.DailyLimitReached)
        {
            return session.T("generation.active_limit", outcome.ActiveLimit);
        }

        var plan = await modules.AsModuleAsync(new GetPlanRequest { Id = outcome.PlanId }, cancellationToken);
        return session.T("plans.daily_limit_reached", outcome.DailyLimit, plan.IsSuccess ? Features.Plans.Title(session, plan.Value.Plan) : outcome.PlanId);
    }

    private static string Summary(ChatSession session)
    {
        var data = session.Data;
        var parts = new List<string> { session.T("summary.prompt", data.Prompt) };
        if (data.Photos.Count > 0)
        {
            parts.Add(session.T("summary.photos", data.Photos.Count));
        }

        if (!string.IsNullOrEmpty(data.AspectRatio))
        {
            parts.Add(session.T("summary.aspect", data.AspectRatio));
        }

        if (data.DurationSeconds > 0)
        {
            parts.Add(session.T("summary.duration", data.DurationSeconds));
            parts.Add(session.T(data.Audio ? "summary.audio_on" : "summary.audio_off"));
        }

        return string.Join("\n", parts);
    }

    private async Task<byte[]?> DownloadAsync(string fileId, CancellationToken cancellationToken)
    {
        if (fileId.StartsWith(ResultMessages.GeneratedMediaPrefix, StringComparison.Ordinal))
        {
            // "🎬 Animate" under a result: the image is Generation's own media, not a Telegram file.
            var media = await modules.AsModuleAsync(new GetMediaContentRequest { MediaId = fileId[ResultMessages.GeneratedMediaPrefix.Length..] }, cancellationToken);
            return media.IsSuccess && media.Value.Content.Length <= MaxReferenceBytes ? media.Value.Content.ToByteArray() : null;
        }

        var file = await bot.GetFile(fileId, cancellationToken);
        if (file.FileSize > MaxReferenceBytes || string.IsNullOrEmpty(file.FilePath))
        {
            return null;
        }

        using var buffer = new MemoryStream();
        await bot.DownloadFile(file.FilePath, buffer, cancellationToken);
        return buffer.Length > MaxReferenceBytes ? null : buffer.ToArray();
    }
}

/// <summary>The one progress message of a job, edited as it moves (queue place and time left, then elapsed time).</summary>
internal static class Progress
{
    public static string Slot(string jobId) => "job:" + jobId;

    /// <summary>"#3 in queue · about 40 s" while waiting (Generation's queue position and estimate), "Generating… N s" while running.</summary>
    public static string Text(Func<string, object?[], string> t, JobStatus status, int queuePosition, int estimateSeconds, int elapsedSeconds) => status switch
    {
        JobStatus.Queued when queuePosition > 0 && estimateSeconds > 0 => t("progress.queued", [queuePosition, About(t, estimateSeconds)]),
        JobStatus.Queued when queuePosition > 0 => t("progress.queued_no_estimate", [queuePosition]),
        JobStatus.Queued => t("progress.queued_soon", []),
        JobStatus.Running => t("progress.running", [elapsedSeconds]),
        _ => t("progress.finishing", []),
    };

    /// <summary>Seconds up to 90 (rounded to 5 above 10), then whole minutes rounded up.</summary>
    private static string About(Func<string, object?[], string> t, int seconds) => seconds switch
    {
        <= 10 => t("progress.about_seconds", [seconds]),
        <= 90 => t("progress.about_seconds", [(seconds + 4) / 5 * 5]),
        _ => t("progress.about_minutes", [(seconds + 59) / 60]),
    };
}
