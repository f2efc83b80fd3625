using Ardalis.Result;
using MediatR;

namespace NanoBanana.BuildingBlocks.Mediation;

/// <summary>
/// A use case answered with <see cref="Result{T}"/>. Proto request messages implement it in their
/// Contracts project (<c>partial class GetModelRequest : IUseCase&lt;GetModelResponse&gt;;</c>), so
/// the gRPC method and in-process callers reach the same handler.
/// </summary>
public interface IUseCase<TResponse> : IRequest<Result<TResponse>>;

/// <summary>Handler of one use case; <c>internal sealed</c> in its module's Features folder.</summary>
public interface IUseCaseHandler<in TRequest, TResponse> : IRequestHandler<TRequest, Result<TResponse>>
    where TRequest : IUseCase<TResponse>;

/// <summary>
/// A server-streaming use case: validation and authorization happen before the first message,
/// then the handler yields messages until done or cancelled.
/// </summary>
public interface IStreamUseCase<TResponse> : IRequest<Result<IAsyncEnumerable<TResponse>>>;

public interface IStreamUseCaseHandler<in TRequest, TResponse> : IRequestHandler<TRequest, Result<IAsyncEnumerable<TResponse>>>
    where TRequest : IStreamUseCase<TResponse>;
