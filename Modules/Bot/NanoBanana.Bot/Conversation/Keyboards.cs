using Microsoft.Extensions.Options;
using NanoBanana.Bot.Replies;

namespace NanoBanana.Bot.Conversation;

/// <summary>The keyboards shared by every flow.</summary>
internal sealed class Keyboards(IOptions<BotOptions> options, MiniAppLink miniApp)
{
    public const string MenuCallback = "menu";

    public static readonly string[] MenuKeys = ["menu.create_video", "menu.create_image", "menu.try_on", "menu.video_tools", "menu.plans", "menu.balance", "menu.top_up", "menu.assistant"];

    public static ReplyButton[][] MainMenu(ChatSession session) =>
    [
        [new(session.T("menu.create_video")), new(session.T("menu.create_image"))],
        [new(session.T("menu.try_on")), new(session.T("menu.assistant"))],
        [new(session.T("menu.video_tools")), new(session.T("menu.plans"))],
        [new(session.T("menu.balance")), new(session.T("menu.top_up"))],
    ];

    /// <summary>The "🏠 Menu" row every step carries.</summary>
    public static InlineButton[] MenuRow(ChatSession session) => [new(session.T("button.menu"), MenuCallback)];

    public InlineButton MiniAppButton(ChatSession session, string path = "") => new(session.T("button.open_app"), WebApp: miniApp.Url + path);

    public bool IsAdmin(long userId) => options.Value.AdminIds.Contains(userId);
}
