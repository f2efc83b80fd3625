using System.Globalization;
using NanoBanana.Bot.Conversation;
using NanoBanana.Bot.Replies;
using NanoBanana.Generation.Contracts.V1;

namespace NanoBanana.Bot.Features;

/// <summary><c>/history</c>: the user's last generations; a finished one can be sent again (by file_id once Telegram has it).</summary>
internal sealed class History(ModuleGateway modules, ResultMessages results) : IChatFeature
{
    private const string Prefix = "hist";
    private const int PageSize = 10;
    private const int PromptPreview = 60;

    public IReadOnlyCollection<string> Commands { get; } = ["history"];

    public string? CallbackPrefix => Prefix;

    public async Task HandleAsync(ChatSession session, Incoming incoming, CancellationToken cancellationToken)
    {
        if (incoming.CallbackData is { } data)
        {
            await ResendAsync(session, incoming.CallbackQueryId!, data[(Prefix.Length + 1)..], cancellationToken);
            return;
        }

        var jobs = (await modules.AsUserAsync(session.UserId, new ListMyGenerationsRequest { PageSize = PageSize }, cancellationToken))
            .Require("ListMyGenerations").Jobs;
        if (jobs.Count == 0)
        {
            session.Send(session.T("history.empty"), [Keyboards.MenuRow(session)]);
            return;
        }

        var names = new Dictionary<string, string>();
        var lines = new List<string>();
        var resend = new List<InlineButton>();
        for (var i = 0; i < jobs.Count; i++)
        {
            var job = jobs[i];
            string name, prompt;
            if (job.VideoTools is { } choice)
            {
                (name, prompt) = (session.T("videotools.name"), VideoToolsFlow.Summary(session.T, choice));
            }
            else
            {
                if (!names.TryGetValue(job.ModelSlug, out var modelName))
                {
                    modelName = names[job.ModelSlug] = await DeliverGenerationResult.ModelNameAsync(modules, session.Language, job.ModelSlug, cancellationToken);
                }

                (name, prompt) = (modelName, job.Prompt.Length <= PromptPreview ? job.Prompt : string.Concat(job.Prompt.AsSpan(0, PromptPreview - 1), "…"));
                if (job.ParentJobId.Length > 0)
                {
                    prompt = session.T("history.edit_of", EditedJob(jobs, job.ParentJobId)) + ": " + prompt;
                }
            }

            var number = (i + 1).ToString(CultureInfo.InvariantCulture);
            lines.Add(session.T("history.line", number, Icon(job.Status), name, job.Status == JobStatus.Succeeded ? job.ChargedCredits : job.PriceCredits, prompt));
            if (job.Status == JobStatus.Succeeded && job.Media.Count > 0)
            {
                resend.Add(new InlineButton(session.T("history.resend", number), $"{Prefix}:{job.Id}"));
            }
        }

        session.Send(session.T("history.title", string.Join("\n", lines)), [.. resend.Chunk(5), Keyboards.MenuRow(session)]);
    }

    private async Task ResendAsync(ChatSession session, string callback, string jobId, CancellationToken cancellationToken)
    {
        if (await ResultActions.OwnJobAsync(modules, session, jobId, cancellationToken) is not { Status: JobStatus.Succeeded } job || job.Media.Count == 0)
        {
            session.AnswerCallback(callback, session.T("error.outdated_button"));
            return;
        }

        session.AnswerCallback(callback);
        var (name, prompt) = await DeliverGenerationResult.DescribeAsync(modules, session.T, session.Language, job, cancellationToken);
        // The same messages as the first delivery: the sender finds the file_ids Telegram returned then.
        foreach (var message in results.Build(session.T, job.Id, job.Kind, name, prompt, job.ChargedCredits, job.ImageCount, job.PriceCredits - job.ChargedCredits, job.Media))
        {
            session.SendBuilt(message);
        }
    }

    /// <summary>The edited job as its number in this list ("#3"), or by the end of its id when it is older than the page.</summary>
    private static string EditedJob(IEnumerable<Job> jobs, string parentJobId)
    {
        var index = jobs.Select(j => j.Id).ToList().IndexOf(parentJobId);
        return index >= 0 ? "#" + (index + 1).ToString(CultureInfo.InvariantCulture) : "…" + parentJobId[^6..];
    }

    private static string Icon(JobStatus status) => status switch
    {
        JobStatus.Succeeded => "✅",
        JobStatus.Failed => "❌",
        JobStatus.Cancelled => "⛔",
        _ => "⏳",
    };
}
