using Google.Protobuf;
using Grpc.Reflection.V1;
using NanoBanana.BuildingBlocks.Grpc.Binding;
using NanoBanana.BuildingBlocks.Grpc.Transport;

namespace NanoBanana.BuildingBlocks.Grpc.Reflection;

/// <summary>
/// Server reflection, <c>grpc.reflection.v1</c> and <c>v1alpha</c>: one bidirectional stream, one
/// response per request. The two versions have identical messages on the wire, so both paths are
/// served with the v1 types.
/// </summary>
internal static class ReflectionMethods
{
    public static IEnumerable<ServerMethod> All(DescriptorIndex index) =>
    [
        new ServerReflectionInfo("grpc.reflection.v1.ServerReflection", index),
        new ServerReflectionInfo("grpc.reflection.v1alpha.ServerReflection", index),
    ];

    internal static ServerReflectionResponse Answer(DescriptorIndex index, ServerReflectionRequest request)
    {
        var response = new ServerReflectionResponse { ValidHost = request.Host, OriginalRequest = request };
        switch (request.MessageRequestCase)
        {
            case ServerReflectionRequest.MessageRequestOneofCase.ListServices:
                response.ListServicesResponse = new ListServiceResponse
                {
                    Service = { index.Services.Select(name => new ServiceResponse { Name = name }) },
                };
                break;
            case ServerReflectionRequest.MessageRequestOneofCase.FileByFilename:
                SetFile(response, index.FileByName(request.FileByFilename), $"File not found: {request.FileByFilename}");
                break;
            case ServerReflectionRequest.MessageRequestOneofCase.FileContainingSymbol:
                SetFile(response, index.FileContainingSymbol(request.FileContainingSymbol), $"Symbol not found: {request.FileContainingSymbol}");
                break;
            case ServerReflectionRequest.MessageRequestOneofCase.FileContainingExtension:
                var extension = request.FileContainingExtension;
                SetFile(
                    response,
                    index.FileContainingExtension(extension.ContainingType, extension.ExtensionNumber),
                    $"Extension not found: {extension.ContainingType}({extension.ExtensionNumber})");
                break;
            case ServerReflectionRequest.MessageRequestOneofCase.AllExtensionNumbersOfType:
                if (index.ExtensionNumbersOf(request.AllExtensionNumbersOfType) is { } numbers)
                {
                    response.AllExtensionNumbersResponse = new ExtensionNumberResponse
                    {
                        BaseTypeName = request.AllExtensionNumbersOfType,
                        ExtensionNumber = { numbers },
                    };
                }
                else
                {
                    SetError(response, GrpcStatusCode.NotFound, $"Type not found: {request.AllExtensionNumbersOfType}");
                }

                break;
            default:
                SetError(response, GrpcStatusCode.InvalidArgument, "Empty reflection request.");
                break;
        }

        return response;
    }

    private static void SetFile(ServerReflectionResponse response, Google.Protobuf.Reflection.FileDescriptor? file, string notFound)
    {
        if (file is null)
        {
            SetError(response, GrpcStatusCode.NotFound, notFound);
            return;
        }

        response.FileDescriptorResponse = new FileDescriptorResponse
        {
            FileDescriptorProto = { DescriptorIndex.WithDependencies(file).Select(f => f.SerializedData) },
        };
    }

    private static void SetError(ServerReflectionResponse response, GrpcStatusCode code, string message) =>
        response.ErrorResponse = new ErrorResponse { ErrorCode = (int)code, ErrorMessage = message };

    private sealed class ServerReflectionInfo(string serviceName, DescriptorIndex index)
        : ServerMethod(serviceName, "ServerReflectionInfo", access: null, isClientStreaming: true)
    {
        public override async Task<GrpcStatus> ExecuteAsync(GrpcCall call)
        {
            while (await call.ReadMessageAsync(ServerReflectionRequest.Parser) is { } request)
            {
                await call.WriteMessageAsync(Answer(index, request));
            }

            return GrpcStatus.Ok;
        }
    }
}
