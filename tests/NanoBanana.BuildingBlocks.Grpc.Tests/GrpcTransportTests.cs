using System.IO.Compression;
using System.Net;
using System.Net.Http.Headers;
using Google.Protobuf;
using Google.Rpc;
using Microsoft.Extensions.DependencyInjection;
using NanoBanana.BuildingBlocks.Grpc.Transport;
using NanoBanana.Testing.Echo.V1;

namespace NanoBanana.BuildingBlocks.Grpc.Tests;

public sealed class GrpcTransportTests(EchoServer server) : IClassFixture<EchoServer>
{
    private const string Echo = "/testing.v1.EchoService/Echo";
    private const string Fail = "/testing.v1.EchoService/Fail";
    private const string Count = "/testing.v1.EchoService/Count";
    private const string Sleep = "/testing.v1.EchoService/Sleep";

    private GrpcTestClient Client => server.Client;

    [Theory]
    [InlineData(GrpcWireMode.Native)]
    [InlineData(GrpcWireMode.Web)]
    [InlineData(GrpcWireMode.WebText)]
    public async Task Unary_call_answers_the_message_and_OK_in_every_wire_mode(GrpcWireMode mode)
    {
        var reply = await Client.CallAsync(Echo, new EchoRequest { Text = "привет", MetadataKey = "x-client" }, mode, request => request.Headers.Add("x-client", "tests"));

        Assert.Equal(HttpStatusCode.OK, reply.HttpStatus);
        Assert.Equal(0, reply.Status);
        var response = reply.Only(EchoResponse.Parser);
        Assert.Equal("привет", response.Text);
        Assert.Equal("tests", response.MetadataValue);
        Assert.Equal(
            mode switch { GrpcWireMode.Web => "application/grpc-web+proto", GrpcWireMode.WebText => "application/grpc-web-text+proto", _ => "application/grpc" },
            reply.Response.Content.Headers.ContentType?.MediaType);
    }

    [Fact]
    public async Task Web_text_request_sent_as_several_padded_base64_chunks_is_decoded()
    {
        var frame = GrpcTestClient.Frame(new EchoRequest { Text = "chunked" });
        var body = System.Text.Encoding.ASCII.GetBytes(Convert.ToBase64String(frame[..4]) + Convert.ToBase64String(frame[4..]));
        using var request = Client.CreateRequest(Echo, [], GrpcWireMode.WebText);
        request.Content = new ByteArrayContent(body);
        request.Content.Headers.ContentType = new MediaTypeHeaderValue("application/grpc-web-text");
        using var response = await Client.SendRawAsync(request);
        var decoded = MessageReader.DecodeBase64Groups(await response.Content.ReadAsByteArrayAsync());

        Assert.Equal("chunked", EchoResponse.Parser.ParseFrom(decoded.AsSpan(5, (int)System.Buffers.Binary.BinaryPrimitives.ReadUInt32BigEndian(decoded.AsSpan(1))).ToArray()).Text);
    }

    [Theory]
    [InlineData(GrpcWireMode.Native)]
    [InlineData(GrpcWireMode.Web)]
    public async Task Server_stream_sends_every_message_then_OK(GrpcWireMode mode)
    {
        var reply = await Client.CallAsync(Count, new CountRequest { Count = 3 }, mode);

        Assert.Equal([1, 2, 3], reply.Messages.Select(m => CountResponse.Parser.ParseFrom(m).Number));
        Assert.Equal(0, reply.Status);
        Assert.False(reply.TrailersOnly);
    }

    [Fact]
    public async Task Server_stream_failing_midway_keeps_sent_messages_and_reports_INTERNAL_in_trailers_without_internals()
    {
        var reply = await Client.CallAsync(Count, new CountRequest { Count = 5, FailAfter = 2 });

        Assert.Equal(2, reply.Messages.Count);
        Assert.Equal((int)GrpcStatusCode.Internal, reply.Status);
        Assert.DoesNotContain("secret", reply.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Invalid_result_is_INVALID_ARGUMENT_with_BadRequest_field_violations_in_details()
    {
        var reply = await Client.CallAsync(Fail, new FailRequest { Failure = Failure.Invalid, Message = "слаг занят 100%" });

        Assert.Equal((int)GrpcStatusCode.InvalidArgument, reply.Status);
        Assert.True(reply.TrailersOnly);
        Assert.Contains("слаг занят 100%", reply.Message, StringComparison.Ordinal);
        var details = Google.Rpc.Status.Parser.ParseFrom(Convert.FromBase64String(reply.DetailsBin!));
        Assert.Equal(3, details.Code);
        var badRequest = Assert.Single(details.Details).Unpack<BadRequest>();
        Assert.Equal(["model.slug", "prompt"], badRequest.FieldViolations.Select(v => v.Field));
        Assert.Equal("слаг занят 100%", badRequest.FieldViolations[0].Description);
    }

    [Fact]
    public async Task Grpc_message_is_percent_encoded_ascii_on_the_wire()
    {
        var reply = await Client.CallAsync(Fail, new FailRequest { Failure = Failure.NotFound, Message = "нет 100%" });

        var raw = reply.Response.Headers.GetValues("grpc-message").Single();
        Assert.All(raw, c => Assert.InRange(c, ' ', '~'));
        Assert.Contains("%25", raw, StringComparison.Ordinal);
        Assert.Equal("нет 100%", reply.Message);
    }

    [Theory]
    [InlineData(Failure.NotFound, GrpcStatusCode.NotFound)]
    [InlineData(Failure.Unauthorized, GrpcStatusCode.Unauthenticated)]
    [InlineData(Failure.Forbidden, GrpcStatusCode.PermissionDenied)]
    [InlineData(Failure.Conflict, GrpcStatusCode.FailedPrecondition)]
    [InlineData(Failure.Unavailable, GrpcStatusCode.Unavailable)]
    public async Task Failed_results_map_to_their_status_with_the_message(Failure failure, GrpcStatusCode expected)
    {
        var reply = await Client.CallAsync(Fail, new FailRequest { Failure = failure, Message = "why" });

        Assert.Equal((int)expected, reply.Status);
        Assert.Equal("why", reply.Message);
    }

    [Theory]
    [InlineData(Failure.Created)]
    [InlineData(Failure.NoContent)]
    public async Task Created_and_NoContent_results_are_OK_with_a_message(Failure outcome)
    {
        var reply = await Client.CallAsync(Fail, new FailRequest { Failure = outcome });

        Assert.Equal(0, reply.Status);
        Assert.Equal(new FailResponse(), reply.Only(FailResponse.Parser));
    }

    [Theory]
    [InlineData(Failure.Error)]
    [InlineData(Failure.CriticalError)]
    [InlineData(Failure.Throw)]
    public async Task Errors_and_exceptions_are_INTERNAL_without_leaking_their_text(Failure failure)
    {
        var reply = await Client.CallAsync(Fail, new FailRequest { Failure = failure, Message = "connection string Password=hunter2" });

        Assert.Equal(HttpStatusCode.OK, reply.HttpStatus);
        Assert.Equal((int)GrpcStatusCode.Internal, reply.Status);
        Assert.DoesNotContain("hunter2", reply.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Deadline_ends_the_call_with_DEADLINE_EXCEEDED_and_cancels_the_handler()
    {
        var probe = server.Services.GetRequiredService<SleepProbe>();
        probe.Reset();

        var reply = await Client.CallAsync(Sleep, new SleepRequest(), configure: request => request.Headers.Add("grpc-timeout", "100m"));

        Assert.Equal((int)GrpcStatusCode.DeadlineExceeded, reply.Status);
        await probe.Cancelled.WaitAsync(TimeSpan.FromSeconds(10));
    }

    [Fact]
    public async Task Client_reset_cancels_the_handler()
    {
        var probe = server.Services.GetRequiredService<SleepProbe>();
        probe.Reset();
        using var cancel = new CancellationTokenSource();

        var call = Client.SendAsync(Sleep, GrpcTestClient.Frame(new SleepRequest()), cancellationToken: cancel.Token);
        await probe.Started.WaitAsync(TimeSpan.FromSeconds(10));
        await cancel.CancelAsync();

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => call);
        await probe.Cancelled.WaitAsync(TimeSpan.FromSeconds(10));
    }

    [Fact]
    public async Task Message_over_the_size_limit_is_RESOURCE_EXHAUSTED()
    {
        var reply = await Client.CallAsync(Echo, new EchoRequest { Text = new string('x', EchoServer.MaxMessageBytes + 1) });

        Assert.Equal((int)GrpcStatusCode.ResourceExhausted, reply.Status);
    }

    [Fact]
    public async Task Gzip_request_message_is_decompressed()
    {
        var reply = await Client.SendAsync(Echo, GrpcTestClient.Frame(Gzip(new EchoRequest { Text = "zipped" }.ToByteArray()), flag: 1), configure: r => r.Headers.Add("grpc-encoding", "gzip"));

        Assert.Equal(0, reply.Status);
        Assert.Equal("zipped", reply.Only(EchoResponse.Parser).Text);
    }

    [Fact]
    public async Task Gzip_bomb_over_the_size_limit_is_RESOURCE_EXHAUSTED()
    {
        var bomb = Gzip(new EchoRequest { Text = new string('a', EchoServer.MaxMessageBytes * 4) }.ToByteArray());
        var reply = await Client.SendAsync(Echo, GrpcTestClient.Frame(bomb, flag: 1), configure: r => r.Headers.Add("grpc-encoding", "gzip"));

        Assert.True(bomb.Length < EchoServer.MaxMessageBytes);
        Assert.Equal((int)GrpcStatusCode.ResourceExhausted, reply.Status);
    }

    [Fact]
    public async Task Compressed_flag_without_grpc_encoding_is_INTERNAL()
    {
        var reply = await Client.SendAsync(Echo, GrpcTestClient.Frame(Gzip(new EchoRequest().ToByteArray()), flag: 1));

        Assert.Equal((int)GrpcStatusCode.Internal, reply.Status);
    }

    [Fact]
    public async Task Unsupported_grpc_encoding_is_UNIMPLEMENTED_naming_what_is_accepted()
    {
        var reply = await Client.CallAsync(Echo, new EchoRequest(), configure: r => r.Headers.Add("grpc-encoding", "snappy"));

        Assert.Equal((int)GrpcStatusCode.Unimplemented, reply.Status);
        Assert.Contains("gzip", reply.Response.Headers.GetValues("grpc-accept-encoding").Single(), StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(new byte[] { 7, 0, 0, 0, 1, 0 })]
    [InlineData(new byte[] { 0, 0, 0, 0, 9, 1, 2 })]
    [InlineData(new byte[] { 0, 0, 0 })]
    [InlineData(new byte[] { 0, 0, 0, 0, 2, 0xFF, 0xFF })]
    [InlineData(new byte[] { })]
    public async Task Malformed_frames_end_with_INTERNAL_and_the_connection_keeps_serving(byte[] body)
    {
        var reply = await Client.SendAsync(Echo, body);

        Assert.Equal(HttpStatusCode.OK, reply.HttpStatus);
        Assert.Equal((int)GrpcStatusCode.Internal, reply.Status);
        var next = await Client.CallAsync(Echo, new EchoRequest { Text = "still here" });
        Assert.Equal("still here", next.Only(EchoResponse.Parser).Text);
    }

    [Fact]
    public async Task Two_messages_for_a_unary_method_are_INTERNAL()
    {
        var reply = await Client.SendAsync(Echo, [.. GrpcTestClient.Frame(new EchoRequest()), .. GrpcTestClient.Frame(new EchoRequest())]);

        Assert.Equal((int)GrpcStatusCode.Internal, reply.Status);
    }

    [Fact]
    public async Task Malformed_web_text_body_is_INTERNAL()
    {
        using var request = Client.CreateRequest(Echo, [], GrpcWireMode.WebText);
        request.Content = new StringContent("abc", System.Text.Encoding.ASCII);
        request.Content.Headers.ContentType = new MediaTypeHeaderValue("application/grpc-web-text");
        using var response = await Client.SendRawAsync(request);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("13", response.Headers.GetValues("grpc-status").Single());
    }

    [Theory]
    [InlineData("/testing.v1.EchoService/NoSuchMethod")]
    [InlineData("/no.Such/Method")]
    [InlineData("/testing.v1.EchoService/InProcess")]
    [InlineData("/testing.v1.EchoService/Undeclared")]
    public async Task Unknown_module_only_and_undeclared_methods_are_UNIMPLEMENTED_trailers_only(string path)
    {
        var reply = await Client.CallAsync(path, new EchoRequest());

        Assert.Equal(HttpStatusCode.OK, reply.HttpStatus);
        Assert.True(reply.TrailersOnly);
        Assert.Equal((int)GrpcStatusCode.Unimplemented, reply.Status);
    }

    [Fact]
    public async Task Native_grpc_over_http1_is_426()
    {
        using var request = Client.CreateRequest(Echo, GrpcTestClient.Frame(new EchoRequest()), GrpcWireMode.Web);
        request.Content!.Headers.ContentType = new MediaTypeHeaderValue("application/grpc");
        using var response = await Client.SendRawAsync(request);

        Assert.Equal(HttpStatusCode.UpgradeRequired, response.StatusCode);
    }

    [Theory]
    [InlineData("application/grpc+json")]
    [InlineData("application/grpc-web+json")]
    public async Task Json_codec_is_415(string contentType)
    {
        using var request = Client.CreateRequest(Echo, GrpcTestClient.Frame(new EchoRequest()), GrpcWireMode.Native);
        request.Content!.Headers.ContentType = MediaTypeHeaderValue.Parse(contentType);
        using var response = await Client.SendRawAsync(request);

        Assert.Equal(HttpStatusCode.UnsupportedMediaType, response.StatusCode);
    }

    [Fact]
    public async Task Cors_preflight_from_the_mini_app_allows_grpc_web_headers()
    {
        using var request = new HttpRequestMessage(HttpMethod.Options, new Uri(server.HttpAddress, Echo));
        request.Headers.Add("Origin", EchoServer.AllowedOrigin);
        request.Headers.Add("Access-Control-Request-Method", "POST");
        request.Headers.Add("Access-Control-Request-Headers", "x-grpc-web,content-type,grpc-timeout,authorization,x-user-agent");
        using var response = await Client.SendRawAsync(request);

        Assert.Equal(HttpStatusCode.NoContent, response.StatusCode);
        Assert.Equal(EchoServer.AllowedOrigin, response.Headers.GetValues("Access-Control-Allow-Origin").Single());
        var allowed = string.Join(",", response.Headers.GetValues("Access-Control-Allow-Headers"));
        Assert.Contains("x-grpc-web", allowed, StringComparison.OrdinalIgnoreCase);
        Assert.Contains("grpc-timeout", allowed, StringComparison.OrdinalIgnoreCase);
    }

    [Fact]
    public async Task Cors_preflight_from_another_origin_is_not_allowed()
    {
        using var request = new HttpRequestMessage(HttpMethod.Options, new Uri(server.HttpAddress, Echo));
        request.Headers.Add("Origin", "https://evil.example");
        request.Headers.Add("Access-Control-Request-Method", "POST");
        using var response = await Client.SendRawAsync(request);

        Assert.False(response.Headers.Contains("Access-Control-Allow-Origin"));
    }

    [Fact]
    public async Task Grpc_web_call_from_the_mini_app_exposes_the_status_headers()
    {
        var reply = await Client.CallAsync(Echo, new EchoRequest(), GrpcWireMode.Web, r => r.Headers.Add("Origin", EchoServer.AllowedOrigin));

        Assert.Equal(EchoServer.AllowedOrigin, reply.Response.Headers.GetValues("Access-Control-Allow-Origin").Single());
        Assert.Contains("grpc-status", string.Join(",", reply.Response.Headers.GetValues("Access-Control-Expose-Headers")), StringComparison.OrdinalIgnoreCase);
    }

    [Fact]
    public async Task Metrics_count_calls_per_method_and_code()
    {
        await Client.CallAsync(Fail, new FailRequest { Failure = Failure.NotFound });
        using var response = await Client.SendRawAsync(new HttpRequestMessage(HttpMethod.Get, new Uri(server.HttpAddress, "/metrics")));
        var text = await response.Content.ReadAsStringAsync();

        Assert.Contains("grpc_server_handled_total{method=\"/testing.v1.EchoService/Fail\",code=\"NotFound\"}", text, StringComparison.Ordinal);
        Assert.Contains("grpc_server_handling_seconds_bucket{method=\"/testing.v1.EchoService/Fail\",code=\"NotFound\",le=\"+Inf\"}", text, StringComparison.Ordinal);
        Assert.Contains("# TYPE http_server_requests_total counter", text, StringComparison.Ordinal);
    }

    private static byte[] Gzip(byte[] data)
    {
        using var output = new MemoryStream();
        using (var gzip = new GZipStream(output, CompressionLevel.Optimal, leaveOpen: true))
        {
            gzip.Write(data);
        }

        return output.ToArray();
    }
}
