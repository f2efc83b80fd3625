using System.Globalization;
using Google.Protobuf;
using NanoBanana.Bot.Conversation;
using NanoBanana.Bot.Replies;
using NanoBanana.Catalog.Contracts.V1;
using NanoBanana.Generation.Contracts.V1;
using Telegram.Bot;

namespace NanoBanana.Bot.Features;

/// <summary>
/// 🎞 Video tools (ADR 0140): a card with prices per started minute and limits → the user sends a video
/// (as a video or a document; mp4/mov/webm/mkv, at most the Bot API's 20 MB) → one options message whose
/// buttons toggle subtitles' translation, voice-over, burned captions and 9:16 and show the price for the
/// real duration → start (credits reserved) → progress per step → the mp4 and the .srt files.
/// </summary>
internal sealed class VideoToolsFlow(ModuleGateway modules, ITelegramBotClient bot, Balances balances, TopUpOffer topUp) : IChatFeature
{
    public const string Prefix = "vt";

    private static class States
    {
        public const string Video = Prefix + ".video";
        public const string Options = Prefix + ".options";
        public const string Language = Prefix + ".language";
        public const string Running = Prefix + ".running";
    }

    /// <summary>Callback actions of the options card (on the wire as <c>vt:action[:argument]</c>).</summary>
    private static class Actions
    {
        public const string Subtitles = "sub";
        public const string Translate = "tr";
        public const string Language = "lang";
        public const string Voice = "voice";
        public const string Captions = "cap";
        public const string Vertical = "vert";
        public const string Back = "back";
        public const string Go = "go";

        /// <summary><see cref="Language"/>'s argument for a language typed in rather than picked.</summary>
        public const string OtherLanguage = "other";
    }

    /// <summary>Generation's model slug of video-tools jobs (their failure events carry no kind).</summary>
    public const string ModelSlug = "video-tools";

    /// <summary>The button under a delivered result: another video.</summary>
    public const string AgainCallback = Prefix + ":new";

    /// <summary>Bots can download files of at most 20 MB from the Bot API.</summary>
    private const long MaxDownloadBytes = 20L * 1024 * 1024;

    private static readonly string[] VideoExtensions = [".mp4", ".mov", ".webm", ".mkv", ".m4v"];

    private static readonly string[] VideoMimeTypes = ["video/mp4", "video/quicktime", "video/webm", "video/x-matroska", "video/x-m4v"];

    private static readonly Dictionary<string, string> LanguageNames = new()
    {
        ["en"] = "English", ["ru"] = "Русский", ["es"] = "Español", ["de"] = "Deutsch",
        ["fr"] = "Français", ["pt"] = "Português", ["it"] = "Italiano", ["tr"] = "Türkçe",
    };

    public IReadOnlyCollection<string> MenuKeys { get; } = ["menu.video_tools"];

    public string? CallbackPrefix => Prefix;

    public string? StatePrefix => Prefix;

    public static string StepKey(VideoToolsStep step) => step switch
    {
        VideoToolsStep.ExtractingAudio => "videotools.step.extracting_audio",
        VideoToolsStep.Transcribing => "videotools.step.transcribing",
        VideoToolsStep.Translating => "videotools.step.translating",
        VideoToolsStep.Voicing => "videotools.step.voicing",
        VideoToolsStep.Rendering => "videotools.step.rendering",
        _ => "videotools.step.uploading",
    };

    public async Task HandleAsync(ChatSession session, Incoming incoming, CancellationToken cancellationToken)
    {
        switch (incoming.Kind)
        {
            case IncomingKind.File when session.State == States.Video:
                await AcceptVideoAsync(session, incoming.File!, cancellationToken);
                return;
            case IncomingKind.Text when session.State == States.Language:
                await AcceptLanguageAsync(session, incoming.Argument, cancellationToken);
                return;
            case IncomingKind.Photo or IncomingKind.Text or IncomingKind.File when session.State == States.Video:
                session.Send(session.T("videotools.send_video_please"), [Keyboards.MenuRow(session)]);
                return;
            case IncomingKind.Photo or IncomingKind.Text or IncomingKind.File when session.State.StartsWith(Prefix + ".", StringComparison.Ordinal):
                session.Send(session.T("flow.use_buttons"), [Keyboards.MenuRow(session)]);
                return;
            case IncomingKind.Callback:
                await OnButtonAsync(session, incoming, cancellationToken);
                return;
            default:
                await ShowCardAsync(session, cancellationToken);
                return;
        }
    }

    private async Task ShowCardAsync(ChatSession session, CancellationToken cancellationToken)
    {
        var prices = (await modules.AsModuleAsync(new ListVideoToolPricesRequest(), cancellationToken)).Require("ListVideoToolPrices").Prices;
        var limits = await LimitsAsync(session, cancellationToken);
        long Price(VideoTool tool) => prices.FirstOrDefault(p => p.Tool == tool)?.CreditsPerMinute ?? 0;
        session.Data = new ChatData { Draft = session.Data.Draft + 1 };
        session.State = States.Video;
        session.Send(
            session.T(
                "videotools.card",
                Math.Min(limits.MaxInputBytes, MaxDownloadBytes) / (1024 * 1024),
                Minutes(limits.MaxDurationSeconds),
                Price(VideoTool.Subtitles),
                Price(VideoTool.Translation),
                Price(VideoTool.VoiceOver),
                Price(VideoTool.BurnedCaptions),
                Price(VideoTool.Vertical),
                limits.JobsPerDay > 0 ? session.T("videotools.card_jobs", limits.JobsPerDay) : "",
                limits.Watermark ? session.T("videotools.card_watermark") : "",
                await PlanTitleAsync(session, limits.PlanId, cancellationToken),
                Quality(limits.MaxOutputSide)),
            [[new InlineButton(session.T("menu.plans"), Plans.ShowCallback)], Keyboards.MenuRow(session)]);
    }

    /// <summary>The limits of the user's plan now: an upgrade shows on the next card or refusal.</summary>
    private async Task<GetVideoToolsLimitsResponse> LimitsAsync(ChatSession session, CancellationToken cancellationToken) =>
        (await modules.AsUserAsync(session.UserId, new GetVideoToolsLimitsRequest(), cancellationToken)).Require("GetVideoToolsLimits");

    private async Task<string> PlanTitleAsync(ChatSession session, string planId, CancellationToken cancellationToken)
    {
        var plan = await modules.AsModuleAsync(new GetPlanRequest { Id = planId }, cancellationToken);
        return plan.IsSuccess ? Plans.Title(session, plan.Value.Plan) : planId;
    }

    /// <summary>A video longer than the user's plan allows: the plan's limit, and the way to a longer one.</summary>
    private async Task RefuseTooLongAsync(ChatSession session, CancellationToken cancellationToken)
    {
        var limits = await LimitsAsync(session, cancellationToken);
        session.State = States.Video;
        session.Send(
            session.T("videotools.refused.too_long", Minutes(limits.MaxDurationSeconds), await PlanTitleAsync(session, limits.PlanId, cancellationToken)),
            [[new InlineButton(session.T("menu.plans"), Plans.ShowCallback)], Keyboards.MenuRow(session)]);
    }

    private async Task AcceptVideoAsync(ChatSession session, IncomingFile file, CancellationToken cancellationToken)
    {
        if (!file.AsVideo && !LooksLikeVideo(file))
        {
            session.Send(session.T("videotools.unsupported"), [Keyboards.MenuRow(session)]);
            return;
        }

        if (file.Size > MaxDownloadBytes)
        {
            session.Send(session.T("videotools.too_big", Megabytes(file.Size.Value)), [Keyboards.MenuRow(session)]);
            return;
        }

        var content = await DownloadAsync(file.FileId, cancellationToken);
        if (content is null)
        {
            session.Send(session.T("videotools.too_big", Megabytes(file.Size ?? MaxDownloadBytes + 1)), [Keyboards.MenuRow(session)]);
            return;
        }

        var inspected = (await modules.AsModuleAsync(
            new InspectVideoForToolsRequest { UserId = session.UserId, Content = ByteString.CopyFrom(content), FileName = file.FileName ?? "" },
            cancellationToken)).Require("InspectVideoForTools");
        if (inspected.Refusal == VideoRefusal.TooLong)
        {
            await RefuseTooLongAsync(session, cancellationToken);
            return;
        }

        if (inspected.Upload is not { } upload)
        {
            session.Send(RefusalText(session, inspected.Refusal, await LimitsAsync(session, cancellationToken)), [Keyboards.MenuRow(session)]);
            return;
        }

        session.Data.VideoTools = new VideoToolsDraft { UploadId = upload.UploadId, DurationSeconds = upload.DurationSeconds, BilledMinutes = upload.BilledMinutes };
        session.State = States.Options;
        await ShowOptionsAsync(session, cardMessageId: null, cancellationToken);
    }

    private async Task OnButtonAsync(ChatSession session, Incoming incoming, CancellationToken cancellationToken)
    {
        var callback = incoming.CallbackQueryId!;
        var action = incoming.CallbackAction;
        if (action == "new")
        {
            session.AnswerCallback(callback);
            await ShowCardAsync(session, cancellationToken);
            return;
        }

        if (session.State != States.Options || session.Data.VideoTools is not { } draft)
        {
            session.AnswerCallback(callback, session.T("error.outdated_button"));
            return;
        }

        switch (action)
        {
            case Actions.Subtitles:
                session.AnswerCallback(callback, session.T("videotools.subtitles_always"));
                return;
            case Actions.Translate:
                session.AnswerCallback(callback);
                session.Edit(incoming.MessageId!.Value, session.T("videotools.pick_language"), LanguageButtons(session));
                return;
            case Actions.Language when incoming.CallbackArgument == Actions.OtherLanguage:
                session.AnswerCallback(callback);
                session.State = States.Language;
                session.Send(session.T("videotools.type_language"), [Keyboards.MenuRow(session)]);
                return;
            case Actions.Language:
                draft.TranslateTo = incoming.CallbackArgument;
                draft.VoiceOver &= draft.TranslateTo.Length > 0;
                draft.ReplaceAudio &= draft.VoiceOver;
                break;
            case Actions.Voice when draft.TranslateTo.Length == 0:
                session.AnswerCallback(callback, session.T("videotools.voice_needs_language"), alert: true);
                return;
            case Actions.Voice:
                // off → over the original sound → instead of it → off.
                (draft.VoiceOver, draft.ReplaceAudio) = (draft.VoiceOver, draft.ReplaceAudio) switch
                {
                    (false, _) => (true, false),
                    (true, false) => (true, true),
                    _ => (false, false),
                };
                break;
            case Actions.Captions:
                draft.Captions = (draft.Captions + 1) % 4;
                break;
            case Actions.Vertical:
                draft.Reframe = (draft.Reframe + 1) % 3;
                break;
            case Actions.Back:
                break;
            case Actions.Go when incoming.CallbackArgument == session.Data.Draft.ToString(CultureInfo.InvariantCulture):
                await StartAsync(session, incoming, draft, cancellationToken);
                return;
            case Actions.Go:
                session.AnswerCallback(callback, session.T("generation.already_started"));
                return;
            default:
                session.AnswerCallback(callback, session.T("error.outdated_button"));
                return;
        }

        session.AnswerCallback(callback);
        await ShowOptionsAsync(session, incoming.MessageId, cancellationToken);
    }

    private async Task AcceptLanguageAsync(ChatSession session, string text, CancellationToken cancellationToken)
    {
        var code = text.Trim().ToLowerInvariant();
        if (session.Data.VideoTools is not { } draft || code.Length != 2 || !code.All(char.IsAsciiLetterLower))
        {
            session.Send(session.T("videotools.language_invalid"), [Keyboards.MenuRow(session)]);
            return;
        }

        draft.TranslateTo = code;
        session.State = States.Options;
        await ShowOptionsAsync(session, cardMessageId: null, cancellationToken);
    }

    /// <summary>The options message: the price for the real duration with what is on, the balance, and one toggle per option.</summary>
    private async Task ShowOptionsAsync(ChatSession session, int? cardMessageId, CancellationToken cancellationToken)
    {
        var draft = session.Data.VideoTools!;
        var quote = await modules.AsModuleAsync(new QuoteVideoToolsRequest { UserId = session.UserId, UploadId = draft.UploadId, Choice = Choice(draft) }, cancellationToken);
        if (TooLong(quote))
        {
            await RefuseTooLongAsync(session, cancellationToken);
            return;
        }

        if (!quote.IsSuccess)
        {
            session.State = "";
            session.Send(session.T("videotools.upload_gone"), [Keyboards.MenuRow(session)]);
            return;
        }

        session.Data.PriceCredits = quote.Value.PriceCredits;
        session.Data.Draft++;
        var balance = await balances.GetAsync(session.UserId, cancellationToken);
        var planTitle = await PlanTitleAsync(session, quote.Value.PlanId, cancellationToken);
        var duration = TimeSpan.FromSeconds(Math.Round(draft.DurationSeconds));
        var text = session.T(
            "videotools.options",
            duration.ToString(duration.TotalHours >= 1 ? @"h\:mm\:ss" : @"m\:ss", CultureInfo.InvariantCulture),
            quote.Value.BilledMinutes,
            quote.Value.PriceCredits,
            balance.Available,
            quote.Value.Watermark && Renders(draft) ? session.T("videotools.watermark_note", planTitle) : "",
            Renders(draft) ? session.T("videotools.quality_note", Quality(quote.Value.MaxOutputSide), planTitle) : "");
        InlineButton[][] buttons =
        [
            [new(session.T("videotools.toggle_subtitles"), $"{Prefix}:{Actions.Subtitles}")],
            [new(session.T("videotools.toggle_translate", draft.TranslateTo.Length == 0 ? session.T("videotools.off") : LanguageName(draft.TranslateTo)), $"{Prefix}:{Actions.Translate}")],
            [new(session.T("videotools.toggle_voice", session.T($"videotools.voice.{VoiceState(draft.VoiceOver, draft.ReplaceAudio)}")), $"{Prefix}:{Actions.Voice}")],
            [new(session.T("videotools.toggle_captions", session.T($"videotools.captions.{draft.Captions}")), $"{Prefix}:{Actions.Captions}")],
            [new(session.T("videotools.toggle_vertical", session.T($"videotools.vertical.{draft.Reframe}")), $"{Prefix}:{Actions.Vertical}")],
            [new(session.T("videotools.start", quote.Value.PriceCredits), $"{Prefix}:{Actions.Go}:{session.Data.Draft.ToString(CultureInfo.InvariantCulture)}")],
            Keyboards.MenuRow(session),
        ];
        if (cardMessageId is { } messageId)
        {
            session.Edit(messageId, text, buttons);
        }
        else
        {
            session.Send(text, buttons);
        }
    }

    private async Task StartAsync(ChatSession session, Incoming incoming, VideoToolsDraft draft, CancellationToken cancellationToken)
    {
        var callback = incoming.CallbackQueryId!;
        var started = await modules.AsModuleAsync(
            new StartVideoToolsForUserRequest
            {
                UserId = session.UserId,
                UploadId = draft.UploadId,
                Choice = Choice(draft),
                ClientRequestId = string.Create(CultureInfo.InvariantCulture, $"tg:{session.ChatId}:{session.Data.Draft}"),
            },
            cancellationToken);
        if (TooLong(started))
        {
            session.AnswerCallback(callback);
            await RefuseTooLongAsync(session, cancellationToken);
            return;
        }

        if (started.Status == Ardalis.Result.ResultStatus.Invalid)
        {
            session.AnswerCallback(callback);
            session.Send(session.T("generation.invalid", string.Join("; ", started.ValidationErrors.Select(e => e.ErrorMessage))), [Keyboards.MenuRow(session)]);
            return;
        }

        var outcome = started.Require("StartVideoToolsForUser").Outcome;
        if (outcome.InsufficientFunds)
        {
            session.AnswerCallback(callback);
            await topUp.OfferAsync(session, session.Data.PriceCredits, outcome.Shortfall, cancellationToken);
            return;
        }

        if (outcome.DailyLimitReached)
        {
            session.AnswerCallback(callback);
            session.Send(await GenerationStarter.LimitTextAsync(modules, session, outcome, cancellationToken), [[new InlineButton(session.T("menu.plans"), Plans.ShowCallback)], Keyboards.MenuRow(session)]);
            return;
        }

        if (outcome.ActiveLimitReached)
        {
            session.AnswerCallback(callback);
            session.Send(session.T("videotools.active_limit", outcome.ActiveLimit), [Keyboards.MenuRow(session)]);
            return;
        }

        session.AnswerCallback(callback, session.T("generation.started"));
        session.State = States.Running;
        var job = outcome.Job;
        session.Send(Progress.Text(session.T, job.Status, job.QueuePosition, job.EstimateSeconds, job.ElapsedSeconds), slot: Progress.Slot(job.Id));
    }

    private static VideoToolsChoice Choice(VideoToolsDraft draft) => new()
    {
        TranslateTo = draft.TranslateTo,
        VoiceOver = draft.VoiceOver,
        ReplaceAudio = draft.VoiceOver && draft.ReplaceAudio,
        Captions = (CaptionStyle)draft.Captions,
        Reframe = (Reframe)draft.Reframe,
    };

    /// <summary>
    /// What a video-tools job does, in the reader's language ("Subtitles → Deutsch (de), voice-over instead of
    /// the original sound, 9:16: centre crop"): the result's caption and the history line.
    /// </summary>
    public static string Summary(Func<string, object?[], string> t, VideoToolsChoice choice)
    {
        var parts = new List<string>
        {
            choice.TranslateTo.Length > 0 ? t("videotools.summary.translated", [LanguageName(choice.TranslateTo)]) : t("videotools.summary.subtitles", []),
        };
        if (choice.VoiceOver)
        {
            parts.Add(t(choice.ReplaceAudio ? "videotools.summary.voice_replace" : "videotools.summary.voice_mix", []));
        }

        if (choice.Captions != CaptionStyle.Unspecified)
        {
            parts.Add(t("videotools.summary.captions", [t($"videotools.captions.{(int)choice.Captions}", [])]));
        }

        if (choice.Reframe != Reframe.Unspecified)
        {
            parts.Add(t("videotools.summary.vertical", [t($"videotools.vertical.{(int)choice.Reframe}", [])]));
        }

        return string.Join(", ", parts);
    }

    /// <summary>The voice-over toggle's three states: 0 off, 1 over the original sound, 2 instead of it.</summary>
    private static int VoiceState(bool voiceOver, bool replaceAudio) => !voiceOver ? 0 : replaceAudio ? 2 : 1;

    private static bool Renders(VideoToolsDraft draft) => draft.Captions != 0 || draft.Reframe != 0 || draft.VoiceOver;

    private static InlineButton[][] LanguageButtons(ChatSession session) =>
    [
        .. LanguageNames.Chunk(2).Select(pair => pair.Select(l => new InlineButton(l.Value, $"{Prefix}:{Actions.Language}:{l.Key}")).ToArray()),
        [new(session.T("videotools.language_other"), $"{Prefix}:{Actions.Language}:{Actions.OtherLanguage}"), new(session.T("videotools.language_none"), $"{Prefix}:{Actions.Language}:")],
        [new(session.T("videotools.back"), $"{Prefix}:{Actions.Back}")],
    ];

    private static string LanguageName(string code) => LanguageNames.TryGetValue(code, out var name) ? $"{name} ({code})" : code;

    private static bool LooksLikeVideo(IncomingFile file) =>
        (file.MimeType is { } mime && VideoMimeTypes.Contains(mime, StringComparer.OrdinalIgnoreCase))
        || (file.FileName is { } name && VideoExtensions.Contains(Path.GetExtension(name), StringComparer.OrdinalIgnoreCase));

    private static string RefusalText(ChatSession session, VideoRefusal refusal, GetVideoToolsLimitsResponse limits) => refusal switch
    {
        VideoRefusal.NoAudio => session.T("videotools.refused.no_audio"),
        VideoRefusal.TooLarge => session.T("videotools.too_big", Megabytes(limits.MaxInputBytes + 1)),
        VideoRefusal.Resolution => session.T("videotools.refused.resolution", limits.MaxSideLength),
        _ => session.T("videotools.refused.broken"),
    };

    private static bool TooLong<T>(Ardalis.Result.Result<T> result) =>
        result.Status == Ardalis.Result.ResultStatus.Invalid && result.ValidationErrors.Any(e => e.Identifier == VideoToolsFields.Duration);

    /// <summary>A plan's limit in minutes: "2", or "1.5" for a limit that is not whole minutes.</summary>
    private static string Minutes(int seconds) => (seconds / 60.0).ToString("0.#", CultureInfo.InvariantCulture);

    /// <summary>A plan's longest output side as the quality people know: 1280 → "720p", 1920 → "1080p" (the short side of 16:9).</summary>
    public static string Quality(int maxOutputSide) => $"{(maxOutputSide * 9 / 16).ToString(CultureInfo.InvariantCulture)}p";

    /// <summary>Rounded up to 0.1 MB, so a file just over the limit never reads as exactly the limit.</summary>
    private static string Megabytes(long bytes) => (Math.Ceiling(bytes / (1024.0 * 1024) * 10) / 10).ToString("0.0", CultureInfo.InvariantCulture);

    private async Task<byte[]?> DownloadAsync(string fileId, CancellationToken cancellationToken)
    {
        Telegram.Bot.Types.TGFile file;
        try
        {
            file = await bot.GetFile(fileId, cancellationToken);
        }
        catch (Telegram.Bot.Exceptions.ApiRequestException exception) when (exception.ErrorCode == 400)
        {
            return null; // "file is too big": Telegram does not hand files over 20 MB to bots.
        }

        if (file.FileSize > MaxDownloadBytes || string.IsNullOrEmpty(file.FilePath))
        {
            return null;
        }

        using var buffer = new MemoryStream();
        await bot.DownloadFile(file.FilePath, buffer, cancellationToken);
        return buffer.Length > MaxDownloadBytes ? null : buffer.ToArray();
    }
}
