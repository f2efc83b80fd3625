using Microsoft.AspNetCore.Http;

namespace NanoBanana.BuildingBlocks.Grpc;

/// <summary>
/// Answers 415 to a gRPC request naming a codec other than protobuf (e.g. <c>application/grpc+json</c>):
/// Grpc.AspNetCore ignores the subtype and would parse the body as protobuf.
/// </summary>
internal sealed class ProtoCodecOnlyMiddleware(RequestDelegate next)
{
    public Task InvokeAsync(HttpContext context)
    {
        if (context.Request.ContentType is { } contentType && contentType.StartsWith("application/grpc", StringComparison.OrdinalIgnoreCase)
            && contentType.IndexOf('+', StringComparison.Ordinal) is var plus and >= 0
            && !contentType.AsSpan(plus + 1).TrimEnd().StartsWith("proto", StringComparison.OrdinalIgnoreCase))
        {
            context.Response.StatusCode = StatusCodes.Status415UnsupportedMediaType;
            return Task.CompletedTask;
        }

        return next(context);
    }
}
