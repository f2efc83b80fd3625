using Ardalis.Result;
using Google.Protobuf;
using MediatR;
using Microsoft.Extensions.DependencyInjection;
using NanoBanana.BuildingBlocks.Grpc.Transport;
using NanoBanana.BuildingBlocks.Mediation;
using NanoBanana.Options.V1;

namespace NanoBanana.BuildingBlocks.Grpc.Binding;

/// <summary>A unary RPC whose input type is a use case: parse, send through the mediator, map the result.</summary>
internal sealed class UnaryUseCaseMethod<TRequest, TResponse>(string serviceName, string methodName, MethodAccess access, MessageParser<TRequest> parser)
    : ServerMethod(serviceName, methodName, access)
    where TRequest : class, IMessage<TRequest>, IUseCase<TResponse>
    where TResponse : IMessage, new()
{
    public override async Task<GrpcStatus> ExecuteAsync(GrpcCall call)
    {
        var request = await call.ReadSingleMessageAsync(parser);
        var mediator = call.Services.GetRequiredService<IMediator>();
        var result = await mediator.Send(request, call.CancellationToken);
        if (!result.IsSuccess)
        {
            return ResultStatusMapping.ToStatus(result);
        }

        // NoContent is a success without a value; a unary call still answers one (empty) message.
        await call.WriteMessageAsync(result.Value ?? new TResponse());
        return GrpcStatus.Ok;
    }
}

/// <summary>A server-streaming RPC: the use case validates and authorizes, then yields messages until done or cancelled.</summary>
internal sealed class ServerStreamingUseCaseMethod<TRequest, TResponse>(string serviceName, string methodName, MethodAccess access, MessageParser<TRequest> parser)
    : ServerMethod(serviceName, methodName, access)
    where TRequest : class, IMessage<TRequest>, IStreamUseCase<TResponse>
    where TResponse : IMessage
{
    public override async Task<GrpcStatus> ExecuteAsync(GrpcCall call)
    {
        var request = await call.ReadSingleMessageAsync(parser);
        var mediator = call.Services.GetRequiredService<IMediator>();
        Result<IAsyncEnumerable<TResponse>> result = await mediator.Send(request, call.CancellationToken);
        if (!result.IsSuccess)
        {
            return ResultStatusMapping.ToStatus(result);
        }

        // NoContent: a success with nothing to stream.
        await foreach (var message in (result.Value ?? AsyncEnumerable.Empty<TResponse>()).WithCancellation(call.CancellationToken))
        {
            await call.WriteMessageAsync(message);
        }

        return GrpcStatus.Ok;
    }
}
