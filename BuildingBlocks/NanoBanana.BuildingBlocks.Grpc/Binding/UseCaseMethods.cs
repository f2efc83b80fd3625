using Ardalis.Result;
using Google.Protobuf;
using Google.Protobuf.Reflection;
using Grpc.AspNetCore.Server.Model;
using Grpc.Core;
using MediatR;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;
using NanoBanana.BuildingBlocks.Mediation;
using NanoBanana.Options.V1;

namespace NanoBanana.BuildingBlocks.Grpc.Binding;

/// <summary>
/// A proto method bound to the mediator request of its input type, built once at start-up as a
/// closed generic so a call does no reflection. Its endpoint carries the method's
/// <see cref="MethodAccess"/> as metadata for <see cref="Security.CallAccessInterceptor"/>.
/// </summary>
public abstract class UseCaseMethod(MethodDescriptor descriptor, MethodAccess access)
{
    public MethodDescriptor Descriptor { get; } = descriptor;

    public string ServiceName => Descriptor.Service.FullName;

    public string MethodName => Descriptor.Name;

    public string Path => $"/{ServiceName}/{MethodName}";

    public MethodAccess Access { get; } = access;

    /// <summary>POST only; the CORS preflight (OPTIONS) must reach the endpoint so the CORS middleware answers it.</summary>
    protected IList<object> EndpointMetadata => [new HttpMethodMetadata([HttpMethods.Post], acceptCorsPreflight: true), Access];

    internal abstract void AddTo(ServiceMethodProviderContext<UseCaseService> context);

    /// <summary>Grpc.AspNetCore's method for this descriptor, with protobuf marshallers from the generated parsers.</summary>
    protected Method<TRequest, TResponse> GrpcMethod<TRequest, TResponse>(MethodType type)
        where TRequest : class, IMessage<TRequest>
        where TResponse : class, IMessage<TResponse> =>
        new(type, ServiceName, MethodName, ProtoMarshaller((MessageParser<TRequest>)Descriptor.InputType.Parser), ProtoMarshaller((MessageParser<TResponse>)Descriptor.OutputType.Parser));

    private static Marshaller<T> ProtoMarshaller<T>(MessageParser<T> parser)
        where T : IMessage<T> =>
        Marshallers.Create<T>(
            (message, serialization) =>
            {
                if (SharedResponses.SerializedOf(message) is { } bytes)
                {
                    serialization.Complete(bytes);
                    return;
                }

                serialization.SetPayloadLength(message.CalculateSize());
                message.WriteTo(serialization.GetBufferWriter());
                serialization.Complete();
            },
            deserialization =>
            {
                try
                {
                    return parser.ParseFrom(deserialization.PayloadAsReadOnlySequence());
                }
                catch (InvalidProtocolBufferException)
                {
                    // As other gRPC servers answer a body that is not the declared message (the library would say UNKNOWN).
                    throw new RpcException(new Status(StatusCode.Internal, "Request message is malformed."));
                }
            });

    protected static IMediator MediatorOf(ServerCallContext call) =>
        call.GetHttpContext().RequestServices.GetRequiredService<IMediator>();
}

/// <summary>A unary RPC: send the request through the mediator, answer the value or the mapped failure.</summary>
internal sealed class UnaryUseCaseMethod<TRequest, TResponse>(MethodDescriptor descriptor, MethodAccess access)
    : UseCaseMethod(descriptor, access)
    where TRequest : class, IMessage<TRequest>, IUseCase<TResponse>
    where TResponse : class, IMessage<TResponse>, new()
{
    internal override void AddTo(ServiceMethodProviderContext<UseCaseService> context) =>
        context.AddUnaryMethod(
            GrpcMethod<TRequest, TResponse>(MethodType.Unary),
            EndpointMetadata,
            async (_, request, call) =>
            {
                var result = await MediatorOf(call).Send(request, call.CancellationToken);
                // NoContent is a success without a value; a unary call still answers one (empty) message.
                return result.IsSuccess ? result.Value ?? new TResponse() : throw ResultStatusMapping.ToRpcException(result);
            });
}

/// <summary>A server-streaming RPC: the use case validates and authorizes, then yields messages until done or cancelled.</summary>
internal sealed class ServerStreamingUseCaseMethod<TRequest, TResponse>(MethodDescriptor descriptor, MethodAccess access)
    : UseCaseMethod(descriptor, access)
    where TRequest : class, IMessage<TRequest>, IStreamUseCase<TResponse>
    where TResponse : class, IMessage<TResponse>
{
    internal override void AddTo(ServiceMethodProviderContext<UseCaseService> context) =>
        context.AddServerStreamingMethod(
            GrpcMethod<TRequest, TResponse>(MethodType.ServerStreaming),
            EndpointMetadata,
            async (_, request, stream, call) =>
            {
                Result<IAsyncEnumerable<TResponse>> result = await MediatorOf(call).Send(request, call.CancellationToken);
                if (!result.IsSuccess)
                {
                    throw ResultStatusMapping.ToRpcException(result);
                }

                // NoContent: a success with nothing to stream.
                await foreach (var message in (result.Value ?? AsyncEnumerable.Empty<TResponse>()).WithCancellation(call.CancellationToken))
                {
                    await stream.WriteAsync(message, call.CancellationToken);
                }
            });
}
