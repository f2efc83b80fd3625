using System.Globalization;
using Google.Protobuf;
using NanoBanana.Bot.Conversation;
using NanoBanana.Bot.Replies;
using NanoBanana.Catalog.Contracts.V1;
using NanoBanana.Generation.Contracts.V1;

namespace NanoBanana.Bot.Features;

/// <summary>
/// 👗 Try-on (ADR 0165): a card with the price → a photo of the person → the zone as buttons → a photo of the
/// garment or accessory → "Try on for N credits?" with the balance → progress → the result. Photos come as photos
/// or as image documents, one at a time; albums, other files and oversized images are refused with the reason.
/// </summary>
internal sealed class TryOnFlow(ModuleGateway modules, GenerationStarter starter, Balances balances) : IChatFeature
{
    public const string Prefix = "try";

    /// <summary>What <see cref="GenerationStarter"/> needs of this flow: a try-on draft is always a try-on job.</summary>
    private static readonly GenerationDraft Draft = new(Prefix, _ => GenerationKind.TryOn);

    private static class States
    {
        public const string Person = Prefix + ".person";
        public const string Zone = Prefix + ".zone";
        public const string Garment = Prefix + ".garment";
    }

    /// <summary>Callback actions (on the wire as <c>try:action:argument</c>); "Generate" is <see cref="GenerationDraft.Actions.Generate"/>.</summary>
    private static class Actions
    {
        public const string Zone = "z";

        /// <summary>Under a result: the same person, another garment.</summary>
        public const string More = "more";

        /// <summary>A new try-on from the card.</summary>
        public const string New = "new";
    }

    private static readonly string MoreCallback = Draft.Callback(Actions.More);

    private static readonly string NewCallback = Draft.Callback(Actions.New);

    private static readonly string[] ImageMimeTypes = ["image/jpeg", "image/png", "image/webp"];

    private static readonly TryOnZone[] Zones = [.. Enum.GetValues<TryOnZone>().Where(z => z != TryOnZone.Unspecified)];

    public IReadOnlyCollection<string> MenuKeys { get; } = ["menu.try_on"];

    public string? CallbackPrefix => Prefix;

    public string? StatePrefix => Prefix;

    /// <summary>The zone's name in the reader's language, for captions and /history.</summary>
    public static string Summary(Func<string, object?[], string> t, TryOnZone zone) => t("tryon.summary", [t(ZoneKey(zone), [])]);

    public static InlineButton[][] ResultButtons(Func<string, object?[], string> t, string jobId) =>
    [
        [new(t("tryon.more", []), MoreCallback)],
        [new(t("result.animate", []), $"{ResultMessages.CallbackPrefix}:{ResultMessages.Actions.Animate}:{jobId}")],
        [new(t("button.menu", []), Keyboards.MenuCallback)],
    ];

    /// <summary>Under a failed try-on: start again (nothing was charged, so nothing to repeat).</summary>
    public static InlineButton[][] AgainButtons(Func<string, object?[], string> t) =>
        [[new(t("tryon.again", []), NewCallback)], [new(t("button.menu", []), Keyboards.MenuCallback)]];

    public async Task HandleAsync(ChatSession session, Incoming incoming, CancellationToken cancellationToken)
    {
        switch (incoming.Kind)
        {
            case IncomingKind.Photo or IncomingKind.File or IncomingKind.Text when session.State is "try.person" or "try.garment":
                await AcceptPhotoAsync(session, incoming, cancellationToken);
                return;
            case IncomingKind.Photo or IncomingKind.File or IncomingKind.Text when session.State.StartsWith(Prefix + ".", StringComparison.Ordinal):
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

    private async Task OnButtonAsync(ChatSession session, Incoming incoming, CancellationToken cancellationToken)
    {
        var callback = incoming.CallbackQueryId!;
        switch (incoming.CallbackAction)
        {
            case Actions.Zone when session.State == States.Zone && int.TryParse(incoming.CallbackArgument, CultureInfo.InvariantCulture, out var zone) && Zones.Contains((TryOnZone)zone):
                session.AnswerCallback(callback);
                session.Data.TryOnZone = zone;
                session.State = States.Garment;
                session.Send(session.T("tryon.ask_garment", session.T(ZoneKey((TryOnZone)zone))), [Keyboards.MenuRow(session)]);
                return;
            case GenerationDraft.Actions.Generate when session.State == Draft.ConfirmState && incoming.CallbackArgument == session.Data.Draft.ToString(CultureInfo.InvariantCulture):
                await StartAsync(session, incoming, cancellationToken);
                return;
            case GenerationDraft.Actions.Generate:
                // A second tap, or a button of an older draft: never a second job.
                session.AnswerCallback(callback, session.T("generation.already_started"));
                return;
            case Actions.More when session.State.StartsWith(Prefix + ".", StringComparison.Ordinal) && session.Data.Photos.Count > 0:
                session.AnswerCallback(callback);
                session.Data = new ChatData { Draft = session.Data.Draft + 1, Photos = [session.Data.Photos[0]] };
                AskZone(session);
                return;
            case Actions.More or Actions.New:
                session.AnswerCallback(callback);
                await ShowCardAsync(session, cancellationToken);
                return;
            default:
                session.AnswerCallback(callback, session.T("error.outdated_button"));
                return;
        }
    }

    private async Task ShowCardAsync(ChatSession session, CancellationToken cancellationToken)
    {
        session.Data = new ChatData { Draft = session.Data.Draft + 1 };
        if (await OfferAsync(session, cancellationToken) is not { } offer)
        {
            return;
        }

        session.State = States.Person;
        session.Send(session.T("tryon.card", offer.PriceCredits, GenerationStarter.MaxReferenceBytes / (1024 * 1024)), [Keyboards.MenuRow(session)]);
    }

    /// <summary>The try-on offer while it is sold; otherwise the user is told and taken back to the menu.</summary>
    private async Task<TryOnOffer?> OfferAsync(ChatSession session, CancellationToken cancellationToken)
    {
        var offer = (await modules.AsModuleAsync(new GetTryOnOfferRequest(), cancellationToken)).Require("GetTryOnOffer").Offer;
        if (offer.Enabled)
        {
            return offer;
        }

        session.ShowMainMenu(session.T("tryon.off"));
        return null;
    }

    private async Task AcceptPhotoAsync(ChatSession session, Incoming incoming, CancellationToken cancellationToken)
    {
        var person = session.State == States.Person;
        if (incoming.Kind == IncomingKind.Text)
        {
            session.Send(session.T(person ? "tryon.send_person" : "tryon.send_garment"), [Keyboards.MenuRow(session)]);
            return;
        }

        if (incoming.MediaGroupId is { } album)
        {
            // Every photo of an album is its own update: explain once, take none of them.
            var slot = "tryon-album:" + album;
            if (session.Data.AlbumSlot != slot)
            {
                session.Data.AlbumSlot = slot;
                session.Send(session.T("tryon.album"), [Keyboards.MenuRow(session)]);
            }

            return;
        }

        string fileId;
        if (incoming.File is { } file)
        {
            if (file.AsVideo || !ImageMimeTypes.Contains(file.MimeType ?? "", StringComparer.OrdinalIgnoreCase))
            {
                session.Send(session.T("tryon.not_image"), [Keyboards.MenuRow(session)]);
                return;
            }

            if (file.Size > GenerationStarter.MaxReferenceBytes)
            {
                session.Send(session.T("tryon.too_large", GenerationStarter.MaxReferenceBytes / (1024 * 1024)), [Keyboards.MenuRow(session)]);
                return;
            }

            fileId = file.FileId;
        }
        else
        {
            fileId = incoming.PhotoFileId!;
        }

        if (person)
        {
            session.Data.Photos = [fileId];
            AskZone(session);
            return;
        }

        session.Data.Photos = [session.Data.Photos[0], fileId];
        await ConfirmAsync(session, cancellationToken);
    }

    private static void AskZone(ChatSession session)
    {
        session.State = States.Zone;
        var zones = Zones.Select(z => new InlineButton(session.T(ZoneKey(z)), Draft.Callback(Actions.Zone, ((int)z).ToString(CultureInfo.InvariantCulture)))).Chunk(3).ToList();
        session.Send(session.T("tryon.pick_zone"), [.. zones, Keyboards.MenuRow(session)]);
    }

    private async Task ConfirmAsync(ChatSession session, CancellationToken cancellationToken)
    {
        if (await OfferAsync(session, cancellationToken) is not { } offer)
        {
            return;
        }

        var data = session.Data;
        data.PriceCredits = offer.PriceCredits;
        data.Draft++;
        session.State = Draft.ConfirmState;
        var balance = await balances.GetAsync(session.UserId, cancellationToken);
        session.Send(
            session.T("tryon.confirm", session.T(ZoneKey((TryOnZone)data.TryOnZone)), offer.PriceCredits, balance.Available),
            [
                [new InlineButton(session.T("tryon.button", offer.PriceCredits), Draft.Callback(GenerationDraft.Actions.Generate, data.Draft.ToString(CultureInfo.InvariantCulture)))],
                Keyboards.MenuRow(session),
            ]);
    }

    private async Task StartAsync(ChatSession session, Incoming incoming, CancellationToken cancellationToken)
    {
        var spec = new GenerationSpec { Kind = GenerationKind.TryOn, TryOnZone = (TryOnZone)session.Data.TryOnZone };
        foreach (var fileId in session.Data.Photos)
        {
            if (await starter.DownloadAsync(fileId, cancellationToken) is not { } bytes)
            {
                GenerationStarter.TooLarge(session, incoming);
                return;
            }

            spec.ReferenceImages.Add(new ReferenceImage { Data = ByteString.CopyFrom(bytes) });
        }

        await starter.StartJobAsync(session, incoming, Draft, spec, cancellationToken);
    }

    private static string ZoneKey(TryOnZone zone) => "tryon.zone." + ((int)zone).ToString(CultureInfo.InvariantCulture);
}
