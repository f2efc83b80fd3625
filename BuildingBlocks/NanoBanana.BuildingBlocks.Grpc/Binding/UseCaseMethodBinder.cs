using Ardalis.Result;
using Google.Protobuf;
using Google.Protobuf.Reflection;
using MediatR;
using Microsoft.Extensions.DependencyInjection;
using NanoBanana.BuildingBlocks.Mediation;
using NanoBanana.Options.V1;

namespace NanoBanana.BuildingBlocks.Grpc.Binding;

/// <summary>
/// Binds every proto method with a PUBLIC or INTERNAL access option to the mediator request of its
/// input type. Runs once at start-up: each method becomes a closed generic <see cref="ServerMethod"/>,
/// so a call does no reflection. Misconfigurations are collected and reported together.
/// </summary>
public static class UseCaseMethodBinder
{
    public static IReadOnlyList<ServerMethod> Bind(IEnumerable<FileDescriptor> files, IServiceProviderIsService registrations)
    {
        var methods = new List<ServerMethod>();
        var problems = new List<string>();
        foreach (var service in files.SelectMany(file => file.Services))
        {
            foreach (var method in service.Methods)
            {
                var access = AccessOf(method);
                if (access?.Level is not (AccessLevel.Public or AccessLevel.Internal))
                {
                    continue;
                }

                if (TryBind(method, access, registrations, out var bound, out var problem))
                {
                    methods.Add(bound);
                }
                else
                {
                    problems.Add(problem);
                }
            }
        }

        if (problems.Count > 0)
        {
            throw new InvalidOperationException("gRPC methods cannot be served:\n  " + string.Join("\n  ", problems));
        }

        return methods;
    }

    /// <summary>The method's <c>(nanobanana.options.v1.access)</c> option, or null when it has none.</summary>
    public static MethodAccess? AccessOf(MethodDescriptor method) =>
        method.GetOptions()?.HasExtension(AccessExtensions.Access) == true ? method.GetOptions().GetExtension(AccessExtensions.Access) : null;

    private static bool TryBind(MethodDescriptor method, MethodAccess access, IServiceProviderIsService registrations, out ServerMethod bound, out string problem)
    {
        bound = null!;
        var path = $"/{method.Service.FullName}/{method.Name}";
        var input = method.InputType.ClrType;
        var output = method.OutputType.ClrType;
        if (method.IsClientStreaming)
        {
            problem = $"{path}: client-streaming use cases are not supported.";
            return false;
        }

        var (useCase, handledResult, methodType) = method.IsServerStreaming
            ? (typeof(IStreamUseCase<>).MakeGenericType(output), typeof(Result<>).MakeGenericType(typeof(IAsyncEnumerable<>).MakeGenericType(output)), typeof(ServerStreamingUseCaseMethod<,>))
            : (typeof(IUseCase<>).MakeGenericType(output), typeof(Result<>).MakeGenericType(output), typeof(UnaryUseCaseMethod<,>));
        if (!useCase.IsAssignableFrom(input))
        {
            problem = $"{path}: {input.FullName} must implement {Name(useCase)} (declare it in the Contracts project's UseCases.cs).";
            return false;
        }

        var handler = typeof(IRequestHandler<,>).MakeGenericType(input, handledResult);
        if (!registrations.IsService(handler))
        {
            problem = $"{path}: no handler for {input.Name} is registered (an internal sealed {Name(method.IsServerStreaming ? typeof(IStreamUseCaseHandler<,>) : typeof(IUseCaseHandler<,>))} in the module, added with AddMediationFrom).";
            return false;
        }

        var parser = input.GetProperty("Parser")?.GetValue(null) as MessageParser
            ?? throw new InvalidOperationException($"{input.FullName} has no generated Parser.");
        bound = (ServerMethod)Activator.CreateInstance(methodType.MakeGenericType(input, output), method.Service.FullName, method.Name, access, parser)!;
        problem = "";
        return true;
    }

    private static string Name(Type type) =>
        type.IsGenericType ? $"{type.Name[..type.Name.IndexOf('`', StringComparison.Ordinal)]}<{string.Join(", ", type.GetGenericArguments().Select(a => a.Name))}>" : type.Name;
}
