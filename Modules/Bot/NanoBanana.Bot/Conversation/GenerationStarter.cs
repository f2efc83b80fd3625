using System.Globalization;
using Google.Protobuf;
using NanoBanana.Bot.Replies;
using NanoBanana.BuildingBlocks.Persistence;
using NanoBanana.Catalog.Contracts.V1;
using NanoBanana.Generation.Contracts.V1;
using Telegram.Bot;

namespace NanoBanana.Bot.Conversation;

/// <summary>
/// The steps shared by the image and video flows: the model list, the draft's model, "Generate for
/// N credits?" and the start itself. The job's client request id is derived from the chat and its draft number, so a retried
/// update, a redelivery or a double tap all name the same job and are charged once.
/// </summary>
internal sealed class GenerationStarter(ModuleGateway modules, ITelegramBotClient bot, TopUpOffer topUp, Balances balances, SqlSession database)
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
    public const long MaxReferenceBytes = 10 * 1024 * 1024;

    /// <summary>Starts a new draft with the active models of <paramref name="kind"/> as buttons with prices.</summary>
    public async Task ShowModelsAsync(ChatSession session, Catalog.Contracts.V1.ModelKind kind, GenerationDraft draft, string titleKey, CancellationToken cancellationToken)
    {
        var models = (await modules.AsModuleAsync(new ListModelsRequest { Kind = kind }, cancellationToken)).Require("ListModels").Models;
        session.State = draft.ModelState;
        session.Data = new ChatData { Draft = session.Data.Draft + 1 };
        session.Send(models.Count == 0 ? session.T("model.none") : session.T(titleKey), ModelCards.PickList(session, models, draft.Prefix));
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
    public async Task ConfirmAsync(ChatSession session, GenerationDraft draft, CancellationToken cancellationToken, int? cardMessageId = null)
    {
        var model = await DraftModelAsync(session, cancellationToken);
        var data = session.Data;
        var isVideo = model.Kind == Catalog.Contracts.V1.ModelKind.Video;
        var maxImages = model.MaxImagesPerRequest();
        // A new draft starts with the options the user last picked for this model, where they still fit the draft.
        if (cardMessageId is null && (model.Capabilities.Resolutions.Count > 1 || maxImages > 1))
        {
            var (lastResolution, lastCount) = await LastChoiceAsync(session.UserId, model.Slug, cancellationToken);
            if (data.Resolution is null && lastResolution is not null && model.Capabilities.Resolutions.Count > 1
                && model.PriceOf(lastResolution, isVideo ? data.DurationSeconds : 0) is not null)
            {
                data.Resolution = lastResolution;
            }

            if (data.ImageCount == 0 && lastCount is >= 1 && lastCount <= maxImages)
            {
                data.ImageCount = lastCount.Value;
            }
        }

        var resolution = data.Resolution ?? model.DefaultResolution();
        var count = ImageCount(model, data);
        data.PriceCredits = model.PriceOf(resolution, isVideo ? data.DurationSeconds : 0, count)?.Credits ?? 0;
        data.Draft++;
        session.State = draft.ConfirmState;
        var balance = await balances.GetAsync(session.UserId, cancellationToken);
        var text = session.T("generation.confirm", ModelCards.Name(session, model), data.PriceCredits, balance.Available, Summary(session));
        // Generate stays the first button; the options follow it, each with the price the draft would have with it.
        var rows = new List<InlineButton[]> { new[] { new InlineButton(session.T("button.generate", data.PriceCredits), draft.Callback(GenerationDraft.Actions.Generate, data.Draft.ToString(CultureInfo.InvariantCulture))) } };
        if (model.Capabilities.Resolutions.Count > 1)
        {
            rows.Add([.. model.Capabilities.Resolutions.Select(r => new InlineButton(
                (r == resolution ? "✓ " : "") + session.T("option.size_button", r, SizePrice(model, r, data)),
                draft.Callback(GenerationDraft.Actions.Resolution, r)))]);
        }

        if (maxImages > 1)
        {
            rows.Add([.. Enumerable.Range(1, maxImages).Select(n => new InlineButton(
                (n == count ? "✓ " : "") + session.T("option.count_button", n, model.PriceOf(resolution, 0, n)?.Credits ?? 0),
                draft.Callback(GenerationDraft.Actions.ImageCount, n.ToString(CultureInfo.InvariantCulture))))]);
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
    public async Task PickResolutionAsync(ChatSession session, Incoming incoming, GenerationDraft draft, CancellationToken cancellationToken)
    {
        var model = await DraftModelAsync(session, cancellationToken);
        if (session.State != draft.ConfirmState || !model.Capabilities.Resolutions.Contains(incoming.CallbackArgument))
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
            session.Data.DurationSeconds = DurationAt(model, incoming.CallbackArgument, session.Data);
        }

        await ConfirmAsync(session, draft, cancellationToken, incoming.MessageId);
    }

    /// <summary>A "number of images" button on the confirmation card (Imagen): the count is taken and the price recomputed.</summary>
    public async Task PickImageCountAsync(ChatSession session, Incoming incoming, GenerationDraft draft, CancellationToken cancellationToken)
    {
        var model = await DraftModelAsync(session, cancellationToken);
        if (session.State != draft.ConfirmState || !int.TryParse(incoming.CallbackArgument, CultureInfo.InvariantCulture, out var count)
            || count < 1 || count > model.MaxImagesPerRequest())
        {
            session.AnswerCallback(incoming.CallbackQueryId!, session.T("error.outdated_button"));
            return;
        }

        session.AnswerCallback(incoming.CallbackQueryId!);
        session.Data.ImageCount = count;
        await database.ExecuteAsync(
            """
            INSERT INTO bot.model_choices (user_id, model_slug, image_count) VALUES ($1, $2, $3)
            ON CONFLICT (user_id, model_slug) DO UPDATE SET image_count = excluded.image_count, updated_at = now()
            """,
            cancellationToken,
            session.UserId,
            model.Slug,
            count);
        await ConfirmAsync(session, draft, cancellationToken, incoming.MessageId);
    }

    private async Task<(string? Resolution, int? ImageCount)> LastChoiceAsync(long userId, string modelSlug, CancellationToken cancellationToken)
    {
        await using var command = database.Command("SELECT resolution, image_count FROM bot.model_choices WHERE user_id = $1 AND model_slug = $2");
        command.Parameters.AddWithValue(userId);
        command.Parameters.AddWithValue(modelSlug);
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        return await reader.ReadAsync(cancellationToken)
            ? (reader.IsDBNull(0) ? null : reader.GetString(0), reader.IsDBNull(1) ? null : reader.GetInt32(1))
            : (null, null);
    }

    /// <summary>The draft's images per request: its pick, else one.</summary>
    private static int ImageCount(Model model, ChatData data) =>
        model.Kind == Catalog.Contracts.V1.ModelKind.Video ? 1 : Math.Clamp(data.ImageCount, 1, model.MaxImagesPerRequest());

    /// <summary>A size's price for the draft: videos at the draft's length (or the one the size would move it to), images times the count.</summary>
    private static long SizePrice(Model model, string resolution, ChatData data) => model.Kind == Catalog.Contracts.V1.ModelKind.Video
        ? model.PriceOf(resolution, DurationAt(model, resolution, data))?.Credits ?? 0
        : model.PriceOf(resolution, 0, ImageCount(model, data))?.Credits ?? 0;

    /// <summary>The draft's clip length if the size allows it (with reference photos: and they do), else the longest one that fits.</summary>
    private static int DurationAt(Model model, string resolution, ChatData data)
    {
        var durations = model.DurationsAt(resolution, data.Source == DraftSource.References);
        return durations.Contains(data.DurationSeconds) ? data.DurationSeconds : durations.DefaultIfEmpty(0).Max();
    }

    /// <summary>The "Generate" button: only the current draft's confirmation starts a job.</summary>
    public async Task GenerateAsync(ChatSession session, Incoming incoming, GenerationDraft draft, CancellationToken cancellationToken)
    {
        if (session.State == draft.ConfirmState && incoming.CallbackArgument == session.Data.Draft.ToString(CultureInfo.InvariantCulture))
        {
            await StartAsync(session, incoming, draft, cancellationToken);
            return;
        }

        // A second tap, or a button from an older draft: never a second job.
        session.AnswerCallback(incoming.CallbackQueryId!, session.T("generation.already_started"));
    }

    private async Task StartAsync(ChatSession session, Incoming incoming, GenerationDraft draft, CancellationToken cancellationToken)
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
            ImageCount = draft.PicksImageCount ? Math.Max(1, data.ImageCount) : 0,
            ParentJobId = data.ParentJobId ?? "",
            Kind = draft.KindOf(data),
        };
        if (data.Source is DraftSource.Images or DraftSource.References)
        {
            foreach (var fileId in data.Photos)
            {
                if (await DownloadAsync(fileId, cancellationToken) is not { } bytes)
                {
                    TooLarge(session, incoming);
                    return;
                }

                spec.ReferenceImages.Add(new ReferenceImage { Data = ByteString.CopyFrom(bytes) });
            }

            if (data.LastFrame is { } lastFrame)
            {
                if (await DownloadAsync(lastFrame, cancellationToken) is not { } bytes)
                {
                    TooLarge(session, incoming);
                    return;
                }

                spec.LastFrame = new ReferenceImage { Data = ByteString.CopyFrom(bytes) };
            }
        }

        await StartJobAsync(session, incoming, draft, spec, cancellationToken);
    }

    /// <summary>
    /// Starts the draft's job from <paramref name="spec"/> (client request id from the chat and the draft) and tells the
    /// user how it went: progress, a top-up offer for <see cref="ChatData.PriceCredits"/>, a limit, or what was refused.
    /// </summary>
    public async Task StartJobAsync(ChatSession session, Incoming incoming, GenerationDraft draft, GenerationSpec spec, CancellationToken cancellationToken)
    {
        var data = session.Data;
        var request = new StartGenerationRequest
        {
            Spec = spec,
            ClientRequestId = string.Create(CultureInfo.InvariantCulture, $"tg:{session.ChatId}:{data.Draft}"),
        };
        var started = await modules.AsUserAsync(session.UserId, request, cancellationToken);
        if (started.Status == Ardalis.Result.ResultStatus.Invalid)
        {
            session.AnswerCallback(incoming.CallbackQueryId!);
            session.Send(session.T("generation.invalid", string.Join("; ", started.ValidationErrors.Select(e => e.ErrorMessage))), [Keyboards.MenuRow(session)]);
            return;
        }

        var outcome = started.Require("StartGeneration").Outcome;
        if (outcome.InsufficientFunds)
        {
            session.AnswerCallback(incoming.CallbackQueryId!);
            await topUp.OfferAsync(session, data.PriceCredits, outcome.Shortfall, cancellationToken);
            return;
        }

        if (outcome.DailyLimitReached || outcome.ActiveLimitReached)
        {
            session.AnswerCallback(incoming.CallbackQueryId!);
            session.Send(await LimitTextAsync(modules, session, outcome, cancellationToken), [[new InlineButton(session.T("menu.plans"), Features.Plans.ShowCallback)], Keyboards.MenuRow(session)]);
            return;
        }

        session.AnswerCallback(incoming.CallbackQueryId!, session.T("generation.started"));
        session.State = draft.RunningState;
        var job = outcome.Job;
        session.Send(Progress.Text(session.T, job.Status, job.QueuePosition, job.EstimateSeconds, job.ElapsedSeconds), slot: Progress.Slot(job.Id));
    }

    public static void TooLarge(ChatSession session, Incoming incoming)
    {
        session.AnswerCallback(incoming.CallbackQueryId!);
        session.Send(session.T("photos.too_large"), [Keyboards.MenuRow(session)]);
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
        if (data.ParentJobId is not null)
        {
            parts.Add(session.T("summary.edit"));
        }
        else if (data.Photos.Count > 0)
        {
            parts.Add(data.Source == DraftSource.References ? session.T("summary.references", data.Photos.Count) : session.T("summary.photos", data.Photos.Count));
        }

        if (data.LastFrame is not null)
        {
            parts.Add(session.T("summary.last_frame"));
        }

        if (data.ImageCount > 1)
        {
            parts.Add(session.T("summary.images", data.ImageCount));
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

    /// <summary>A reference photo's bytes (a Telegram file or a generated image); null when over 10 MB or gone.</summary>
    public async Task<byte[]?> DownloadAsync(string fileId, CancellationToken cancellationToken)
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
