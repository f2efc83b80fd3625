using System.Diagnostics;
using System.Net;
using System.Text.Json;
using Microsoft.Extensions.Logging;
using NanoBanana.Generation.Contracts.V1;
using NanoBanana.Generation.Domain;
using Polly;
using Polly.CircuitBreaker;
using Polly.Retry;
using Polly.Timeout;

namespace NanoBanana.Generation.Providers;

/// <summary>
/// HTTP for one provider (named in logs and failure messages): a per-attempt timeout, retries with exponential backoff and jitter, and a
/// circuit breaker shared by all calls to the provider. Submissions are not retried after a
/// timeout (the provider may have accepted them; a second send could be paid twice).
/// </summary>
internal sealed partial class ProviderHttp : IDisposable
{
    private static readonly HttpStatusCode[] RetriedStatuses =
        [HttpStatusCode.TooManyRequests, HttpStatusCode.InternalServerError, HttpStatusCode.BadGateway, HttpStatusCode.ServiceUnavailable, HttpStatusCode.GatewayTimeout];

    private readonly HttpClient _client;
    private readonly ResiliencePipeline<HttpResponseMessage> _submit;
    private readonly ResiliencePipeline<HttpResponseMessage> _query;
    private readonly string _provider;
    private readonly ILogger _logger;

    public ProviderHttp(string provider, ProviderOptions options, ILogger logger, HttpMessageHandler? handler = null)
    {
        _provider = provider;
        _logger = logger;
        _client = new HttpClient(handler ?? new SocketsHttpHandler { PooledConnectionLifetime = TimeSpan.FromMinutes(5) }, disposeHandler: true)
        {
            Timeout = Timeout.InfiniteTimeSpan,
        };
        var breakerAndTimeout = new ResiliencePipelineBuilder<HttpResponseMessage>()
            .AddCircuitBreaker(new CircuitBreakerStrategyOptions<HttpResponseMessage>
            {
                FailureRatio = options.BreakerFailureRatio,
                MinimumThroughput = 10,
                SamplingDuration = options.BreakerWindow,
                BreakDuration = options.BreakDuration,
                ShouldHandle = new PredicateBuilder<HttpResponseMessage>()
                    .Handle<HttpRequestException>()
                    .Handle<TimeoutRejectedException>()
                    .HandleResult(r => (int)r.StatusCode >= 500),
            })
            .AddTimeout(options.RequestTimeout)
            .Build();
        _submit = Retrying(options, breakerAndTimeout, retryTimeouts: false);
        _query = Retrying(options, breakerAndTimeout, retryTimeouts: true);
    }

    public void Dispose() => _client.Dispose();

    /// <summary>Sends a request (built fresh per attempt) and returns the JSON body of a 2xx answer; anything else is classified.</summary>
    public async Task<JsonDocument> SendForJsonAsync(Func<HttpRequestMessage> build, bool submission, string operation, CancellationToken cancellationToken)
    {
        using var response = await SendAsync(build, submission, operation, cancellationToken);
        var body = await response.Content.ReadAsByteArrayAsync(cancellationToken);
        try
        {
            return JsonDocument.Parse(body);
        }
        catch (JsonException exception)
        {
            throw new ProviderFailureException(FailureClass.Transient, $"{_provider} {operation}: malformed JSON", exception);
        }
    }

    /// <summary>
    /// Reads every page of a Google-style list (<c>pageToken</c> in, <c>nextPageToken</c> out) and collects what
    /// <paramref name="idsOf"/> takes from each item of <paramref name="itemsProperty"/>.
    /// </summary>
    public async Task<IReadOnlySet<string>> ListAllAsync(
        Func<string, HttpRequestMessage> buildPage, string itemsProperty, Func<JsonElement, IEnumerable<string>> idsOf, string operation, CancellationToken cancellationToken)
    {
        const int MaxPages = 100; // A provider handing out tokens forever must not hold the check.
        var ids = new HashSet<string>(StringComparer.Ordinal);
        var pageToken = string.Empty;
        for (var page = 0; page < MaxPages; page++)
        {
            var token = pageToken;
            using var document = await SendForJsonAsync(() => buildPage(token), submission: false, operation, cancellationToken);
            var root = document.RootElement;
            if (root.ValueKind != JsonValueKind.Object)
            {
                throw new ProviderFailureException(FailureClass.Transient, $"{_provider} {operation}: the answer is not an object");
            }

            if (root.TryGetProperty(itemsProperty, out var items) && items.ValueKind == JsonValueKind.Array)
            {
                foreach (var item in items.EnumerateArray())
                {
                    ids.UnionWith(idsOf(item));
                }
            }

            pageToken = root.TryGetProperty("nextPageToken", out var next) && next.ValueKind == JsonValueKind.String ? next.GetString() ?? string.Empty : string.Empty;
            if (pageToken.Length == 0)
            {
                return ids;
            }
        }

        throw new ProviderFailureException(FailureClass.Transient, $"{_provider} {operation}: more than {MaxPages} pages");
    }

    /// <summary>Downloads a result file.</summary>
    public async Task<byte[]> DownloadAsync(Func<HttpRequestMessage> build, CancellationToken cancellationToken)
    {
        using var response = await SendAsync(build, submission: false, "download", cancellationToken);
        return await response.Content.ReadAsByteArrayAsync(cancellationToken);
    }

    private async Task<HttpResponseMessage> SendAsync(Func<HttpRequestMessage> build, bool submission, string operation, CancellationToken cancellationToken)
    {
        var started = Stopwatch.GetTimestamp();
        HttpResponseMessage response;
        try
        {
            response = await (submission ? _submit : _query).ExecuteAsync(
                async token => await _client.SendAsync(build(), HttpCompletionOption.ResponseContentRead, token),
                cancellationToken);
        }
        catch (BrokenCircuitException exception)
        {
            throw new ProviderFailureException(FailureClass.Transient, $"{_provider} {operation}: circuit open", exception);
        }
        catch (TimeoutRejectedException exception)
        {
            throw new ProviderFailureException(FailureClass.Transient, $"{_provider} {operation}: timed out", exception);
        }
        catch (HttpRequestException exception)
        {
            throw new ProviderFailureException(FailureClass.Transient, $"{_provider} {operation}: {exception.HttpRequestError}", exception);
        }

        LogCall(_logger, _provider, operation, (int)response.StatusCode, Stopwatch.GetElapsedTime(started).TotalMilliseconds);
        if (response.IsSuccessStatusCode)
        {
            return response;
        }

        using (response)
        {
            var text = await response.Content.ReadAsStringAsync(cancellationToken);
            throw new ProviderFailureException(Classify(response.StatusCode, text), $"{_provider} {operation}: HTTP {(int)response.StatusCode} {Truncate(text)}");
        }
    }

    /// <summary>Maps an HTTP error to a failure class; bodies are only used to tell safety refusals from other 400s.</summary>
    internal static FailureClass Classify(HttpStatusCode status, string body) => status switch
    {
        HttpStatusCode.TooManyRequests => FailureClass.Transient,
        HttpStatusCode.PaymentRequired => FailureClass.Quota,
        HttpStatusCode.BadRequest or HttpStatusCode.UnprocessableEntity when MentionsSafety(body) => FailureClass.Safety,
        HttpStatusCode.BadRequest or HttpStatusCode.UnprocessableEntity or HttpStatusCode.RequestEntityTooLarge => FailureClass.InvalidInput,
        _ when (int)status >= 500 => FailureClass.Transient,
        _ => FailureClass.Permanent,
    };

    internal static bool MentionsSafety(string text) =>
        text.Contains("safety", StringComparison.OrdinalIgnoreCase)
        || text.Contains("sensitive", StringComparison.OrdinalIgnoreCase)
        || text.Contains("responsible ai", StringComparison.OrdinalIgnoreCase)
        || text.Contains("nsfw", StringComparison.OrdinalIgnoreCase)
        || text.Contains("prohibited", StringComparison.OrdinalIgnoreCase)
        || text.Contains("policy", StringComparison.OrdinalIgnoreCase);

    internal static string Truncate(string text) => text.Length <= 300 ? text : text[..300];

    private static ResiliencePipeline<HttpResponseMessage> Retrying(ProviderOptions options, ResiliencePipeline<HttpResponseMessage> inner, bool retryTimeouts)
    {
        var shouldRetry = new PredicateBuilder<HttpResponseMessage>()
            .Handle<HttpRequestException>()
            .HandleResult(r => RetriedStatuses.Contains(r.StatusCode));
        if (retryTimeouts)
        {
            shouldRetry.Handle<TimeoutRejectedException>();
        }

        var builder = new ResiliencePipelineBuilder<HttpResponseMessage>();
        if (options.HttpRetries > 0)
        {
            builder.AddRetry(new RetryStrategyOptions<HttpResponseMessage>
            {
                MaxRetryAttempts = options.HttpRetries,
                Delay = options.HttpRetryDelay,
                BackoffType = DelayBackoffType.Exponential,
                UseJitter = true,
                ShouldHandle = shouldRetry,
                OnRetry = args =>
                {
                    args.Outcome.Result?.Dispose();
                    return ValueTask.CompletedTask;
                },
            });
        }

        return builder.AddPipeline(inner).Build();
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Provider {Provider} {Operation} answered {Status} in {ElapsedMs:F0} ms")]
    private static partial void LogCall(ILogger logger, string provider, string operation, int status, double elapsedMs);
}
