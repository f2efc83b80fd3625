using System.Net;
using NanoBanana.Telegram.Types;

namespace NanoBanana.Telegram.Exceptions;

/// <summary>The request did not produce a Bot API answer (network failure, timeout, unreadable body).</summary>
public class RequestException : Exception
{
    public RequestException(string message, Exception? innerException = null)
        : base(message, innerException)
    {
    }

    public RequestException(string message, HttpStatusCode httpStatusCode, Exception? innerException = null)
        : base(message, innerException) => HttpStatusCode = httpStatusCode;

    public HttpStatusCode? HttpStatusCode { get; }
}

/// <summary>The Bot API answered <c>ok:false</c>.</summary>
public class ApiRequestException(string message, int errorCode, ResponseParameters? parameters = null)
    : RequestException(message, (HttpStatusCode)errorCode)
{
    public int ErrorCode { get; } = errorCode;

    public ResponseParameters? Parameters { get; } = parameters;

    /// <summary>How long flood control asks to wait (429), when given.</summary>
    public TimeSpan? RetryAfter => Parameters?.RetryAfter is { } seconds ? TimeSpan.FromSeconds(seconds) : null;
}
