using NanoBanana.Bot.Conversation;
using NanoBanana.Payments.Contracts.V1;

namespace NanoBanana.Bot.Features;

/// <summary>
/// <c>/paysupport</c> (Telegram requires it of bots that take payments): asks for the problem in one
/// message, stores it with Payments for the support team, confirms with the request number.
/// </summary>
internal sealed class PaySupport(ModuleGateway modules) : IChatFeature
{
    private const string AwaitingText = "paysupport.text";
    private const int MaxLength = 4000;

    public IReadOnlyCollection<string> Commands { get; } = ["paysupport"];

    public string? StatePrefix => "paysupport";

    public async Task HandleAsync(ChatSession session, Incoming incoming, CancellationToken cancellationToken)
    {
        if (incoming.Kind is IncomingKind.Text && session.State == AwaitingText)
        {
            await StoreAsync(session, incoming.Argument, cancellationToken);
            return;
        }

        if (incoming.Kind is IncomingKind.Command && incoming.Argument.Length > 0)
        {
            await StoreAsync(session, incoming.Argument, cancellationToken);
            return;
        }

        if (incoming.Kind is IncomingKind.Photo)
        {
            session.Send(session.T("paysupport.text_only"), [Keyboards.MenuRow(session)]);
            return;
        }

        session.State = AwaitingText;
        session.Send(session.T("paysupport.ask"), [Keyboards.MenuRow(session)]);
    }

    private async Task StoreAsync(ChatSession session, string text, CancellationToken cancellationToken)
    {
        if (text.Length > MaxLength)
        {
            session.Send(session.T("paysupport.too_long", MaxLength), [Keyboards.MenuRow(session)]);
            return;
        }

        var stored = (await modules.AsModuleAsync(new CreateSupportRequestRequest { UserId = session.UserId, Text = text }, cancellationToken))
            .Require("CreateSupportRequest");
        session.ShowMainMenu(session.T("paysupport.stored", stored.Request.Id));
    }
}
