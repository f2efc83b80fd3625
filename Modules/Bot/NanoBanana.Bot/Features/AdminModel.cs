using NanoBanana.Bot.Conversation;
using NanoBanana.Catalog.Contracts.V1;

namespace NanoBanana.Bot.Features;

/// <summary>Admins: <c>/model on|off &lt;slug&gt;</c> shows or hides a model in every model list at once.</summary>
internal sealed class AdminModel(ModuleGateway modules) : IChatFeature
{
    public IReadOnlyCollection<string> Commands { get; } = ["model"];

    public bool AdminOnly => true;

    public async Task HandleAsync(ChatSession session, Incoming incoming, CancellationToken cancellationToken)
    {
        var parts = incoming.Argument.Split(' ', StringSplitOptions.RemoveEmptyEntries);
        if (parts.Length != 2 || parts[0] is not ("on" or "off"))
        {
            session.Send(session.T("admin.model_usage"));
            return;
        }

        var active = parts[0] == "on";
        var changed = await modules.AsAdminAsync(session.UserId, new SetModelActiveRequest { Slug = parts[1], Active = active }, cancellationToken);
        session.Send(changed.IsSuccess
            ? session.T(active ? "admin.model_on" : "admin.model_off", parts[1])
            : session.T("admin.model_failed", parts[1], string.Join("; ", changed.Errors.Concat(changed.ValidationErrors.Select(e => e.ErrorMessage)))));
    }
}
