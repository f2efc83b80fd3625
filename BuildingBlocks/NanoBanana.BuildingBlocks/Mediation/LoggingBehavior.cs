using System.Diagnostics;
using Ardalis.Result;
using MediatR;
using Microsoft.Extensions.Logging;

namespace NanoBanana.BuildingBlocks.Mediation;

/// <summary>Logs every use case with its outcome and elapsed time; request contents are not logged (prompts, tokens).</summary>
internal sealed partial class LoggingBehavior<TRequest, TResponse>(ILogger<LoggingBehavior<TRequest, TResponse>> logger)
    : IPipelineBehavior<TRequest, TResponse>
{
    public async Task<TResponse> Handle(TRequest request, CancellationToken cancellationToken, RequestHandlerDelegate<TResponse> next)
    {
        var started = Stopwatch.GetTimestamp();
        try
        {
            var response = await next();
            var status = response is IResult result ? result.Status : ResultStatus.Ok;
            var elapsed = Stopwatch.GetElapsedTime(started).TotalMilliseconds;
            if (status is ResultStatus.Ok or ResultStatus.Created or ResultStatus.NoContent or ResultStatus.Invalid or ResultStatus.NotFound)
            {
                LogHandled(logger, typeof(TRequest).Name, status, elapsed);
            }
            else
            {
                LogFailed(logger, typeof(TRequest).Name, status, elapsed);
            }

            return response;
        }
        catch (Exception exception) when (exception is not OperationCanceledException)
        {
            LogThrew(logger, exception, typeof(TRequest).Name, Stopwatch.GetElapsedTime(started).TotalMilliseconds);
            throw;
        }
    }

    // Debug: at thousands of calls per second a console line per success costs more than the call itself;
    // failures stay at Warning/Error and latency per method is in /metrics.
    [LoggerMessage(Level = LogLevel.Debug, Message = "{Request} handled: {Status} in {ElapsedMs:F1} ms")]
    private static partial void LogHandled(ILogger logger, string request, ResultStatus status, double elapsedMs);

    [LoggerMessage(Level = LogLevel.Warning, Message = "{Request} failed: {Status} in {ElapsedMs:F1} ms")]
    private static partial void LogFailed(ILogger logger, string request, ResultStatus status, double elapsedMs);

    [LoggerMessage(Level = LogLevel.Error, Message = "{Request} threw after {ElapsedMs:F1} ms")]
    private static partial void LogThrew(ILogger logger, Exception exception, string request, double elapsedMs);
}
