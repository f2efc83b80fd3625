using Google.Protobuf;
using Google.Protobuf.Reflection;
using Grpc.Core;
using Grpc.Health.V1;
using Grpc.Reflection.V1;
using NanoBanana.Testing.Echo.V1;

namespace NanoBanana.BuildingBlocks.Grpc.Tests;

/// <summary>Health, reflection and the access policy, over the wire.</summary>
public sealed class ServicesTests(EchoServer server) : IClassFixture<EchoServer>
{
    private GrpcTestClient Client => server.Client;

    [Theory]
    [InlineData("")]
    [InlineData("testing.v1.EchoService")]
    public async Task Health_check_reports_serving(string service)
    {
        var reply = await Client.CallAsync("/grpc.health.v1.Health/Check", new HealthCheckRequest { Service = service });

        Assert.Equal(HealthCheckResponse.Types.ServingStatus.Serving, reply.Only(HealthCheckResponse.Parser).Status);
    }

    [Fact]
    public async Task Health_check_of_an_unknown_service_is_NOT_FOUND()
    {
        var reply = await Client.CallAsync("/grpc.health.v1.Health/Check", new HealthCheckRequest { Service = "no.Such" });

        Assert.Equal((int)StatusCode.NotFound, reply.Status);
    }

    [Fact]
    public async Task Health_watch_streams_the_current_status_until_the_deadline()
    {
        var reply = await Client.CallAsync("/grpc.health.v1.Health/Watch", new HealthCheckRequest { Service = "no.Such" }, configure: r => r.Headers.Add("grpc-timeout", "200m"));

        Assert.Equal(HealthCheckResponse.Types.ServingStatus.ServiceUnknown, HealthCheckResponse.Parser.ParseFrom(Assert.Single(reply.Messages)).Status);
        Assert.Equal((int)StatusCode.DeadlineExceeded, reply.Status);
    }

    [Theory]
    [InlineData("v1")]
    [InlineData("v1alpha")]
    public async Task Reflection_lists_served_services_only(string version)
    {
        var responses = await ReflectAsync(version, new ServerReflectionRequest { ListServices = "*" });

        var names = Assert.Single(responses).ListServicesResponse.Service.Select(s => s.Name).ToList();
        Assert.Contains("testing.v1.EchoService", names);
        Assert.Contains("grpc.health.v1.Health", names);
        Assert.Contains($"grpc.reflection.{version}.ServerReflection", names);
        Assert.DoesNotContain("testing.v1.BrokenService", names);
    }

    [Fact]
    public async Task Reflection_answers_each_request_of_the_stream_with_files_and_their_transitive_dependencies()
    {
        var responses = await ReflectAsync(
            "v1",
            new ServerReflectionRequest { FileContainingSymbol = "testing.v1.EchoService" },
            new ServerReflectionRequest { FileContainingSymbol = "testing.v1.EchoService.Count" },
            new ServerReflectionRequest { FileByFilename = "nanobanana/options/v1/access.proto" },
            new ServerReflectionRequest { FileContainingExtension = new ExtensionRequest { ContainingType = "google.protobuf.MethodOptions", ExtensionNumber = 51001 } },
            new ServerReflectionRequest { AllExtensionNumbersOfType = "google.protobuf.MethodOptions" },
            new ServerReflectionRequest { FileContainingSymbol = "no.Such" });

        Assert.Equal(6, responses.Count);
        var files = FileNames(responses[0]);
        Assert.Equal("testing/v1/echo.proto", files[0]);
        Assert.Contains("nanobanana/options/v1/access.proto", files);
        Assert.Contains("google/protobuf/descriptor.proto", files);
        Assert.Equal("testing/v1/echo.proto", FileNames(responses[1])[0]);
        Assert.Equal("nanobanana/options/v1/access.proto", FileNames(responses[2])[0]);
        // Grpc.Reflection answers extension queries with UNIMPLEMENTED (our own reflection served them).
        Assert.Equal((int)StatusCode.Unimplemented, responses[3].ErrorResponse.ErrorCode);
        Assert.Equal((int)StatusCode.Unimplemented, responses[4].ErrorResponse.ErrorCode);
        Assert.Equal((int)StatusCode.NotFound, responses[5].ErrorResponse.ErrorCode);

        // The descriptors build into a usable pool: a client can decode the service from them.
        var built = FileDescriptor.BuildFromByteStrings(responses[0].FileDescriptorResponse.FileDescriptorProto.Reverse());
        Assert.Contains(built, f => f.Services.Any(s => s.FullName == "testing.v1.EchoService"));
    }

    [Fact]
    public async Task Internal_method_needs_the_configured_api_key_and_runs_as_that_key()
    {
        var missing = await Client.CallAsync("/testing.v1.EchoService/WhoAmI", new WhoAmIRequest());
        var wrong = await Client.CallAsync("/testing.v1.EchoService/WhoAmI", new WhoAmIRequest(), configure: r => r.Headers.Add("authorization", "Bearer not-the-key-at-all"));
        var right = await Client.CallAsync("/testing.v1.EchoService/WhoAmI", new WhoAmIRequest(), configure: r => r.Headers.Add("authorization", $"Bearer {EchoServer.ApiKey}"));

        Assert.Equal((int)StatusCode.Unauthenticated, missing.Status);
        Assert.Equal((int)StatusCode.Unauthenticated, wrong.Status);
        Assert.Equal("key:internal", right.Only(WhoAmIResponse.Parser).Actor);
    }

    [Fact]
    public async Task Public_method_needing_a_user_is_UNAUTHENTICATED_until_sessions_exist()
    {
        var reply = await Client.CallAsync("/testing.v1.EchoService/MyProfile", new MyProfileRequest());

        Assert.Equal((int)StatusCode.Unauthenticated, reply.Status);
    }

    private static List<string> FileNames(ServerReflectionResponse response) =>
        [.. response.FileDescriptorResponse.FileDescriptorProto.Select(bytes => FileDescriptorProto.Parser.ParseFrom(bytes).Name)];

    private async Task<List<ServerReflectionResponse>> ReflectAsync(string version, params ServerReflectionRequest[] requests)
    {
        var body = requests.SelectMany(GrpcTestClient.Frame).ToArray();
        var reply = await Client.SendAsync($"/grpc.reflection.{version}.ServerReflection/ServerReflectionInfo", body, GrpcWireMode.Native);
        Assert.Equal(0, reply.Status);
        return [.. reply.Messages.Select(ServerReflectionResponse.Parser.ParseFrom)];
    }
}
