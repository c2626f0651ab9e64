using System.Text;
using Akka.IO;
using Akka.Streams.Dsl;
using Epsilon.Actors.Http.Model;
using Epsilon.Actors.Http.Server;
using Epsilon.Actors.Tests.TestKit;
using Xunit;

namespace Epsilon.Actors.Tests.Http.Http1;

/// <summary>Upgrade (101 and a handler's flow), the 1xx rule, the HTTP/2 preface without HTTP/2, and 100 Continue before a streamed echo.</summary>
public sealed partial class Http1ServerStageTests
{
    private static readonly HttpHandler s_switching = request => new ValueTask<HttpResponse>(request.Path switch
    {
        "/ws" => HttpResponse.Upgrade("echo", Flow.Create<ByteString>(), HttpHeaders.Of(("X-Handler", "yes"), ("Connection", "nonsense"))),
        "/early-hints" => HttpResponse.Status(new StatusCode(103)),
        "/continue" => HttpResponse.Status(StatusCode.Continue),
        "/bare-101" => HttpResponse.Status(StatusCode.SwitchingProtocols),
        // The response's body IS the request's: reading it is what sends 100 Continue.
        "/echo" => new HttpResponse(StatusCode.OK, null, request.Entity),
        _ => HttpResponse.Text("plain"),
    });

    [Fact]
    public async Task Upgrade_writes_101_then_hands_the_connection_to_the_flow_bytes_after_the_head_first()
    {
        await using var server = await Start(handler: s_switching);
        using var connection = new RawHttpConnection(server.Port);
        connection.Send("GET /ws HTTP/1.1\r\nHost: x\r\nUpgrade: echo\r\nConnection: Upgrade\r\n\r\nearly bytes");
        var response = connection.ReadResponse();
        Assert.Equal(101, response.Status);
        Assert.Equal("echo", response.Header("upgrade"));
        Assert.Equal("Upgrade", response.Header("connection"));
        Assert.Equal("yes", response.Header("x-handler"));
        Assert.Single(response.Headers, h => h.Name == "connection");
        Assert.Equal("early bytes", Encoding.ASCII.GetString(connection.ReadBytes(11)));

        // Not HTTP any more: what looks like a request is echoed.
        connection.Send("GET /hello HTTP/1.1\r\n\r\n");
        Assert.Equal("GET /hello HTTP/1.1\r\n\r\n", Encoding.ASCII.GetString(connection.ReadBytes(23)));
        connection.ShutdownSend();
        Assert.True(connection.IsClosedByServer());
    }

    [Fact]
    public async Task An_upgraded_connection_is_closed_at_the_termination_deadline_and_its_place_freed()
    {
        var server = await Start(handler: s_switching);
        try
        {
            using var connection = new RawHttpConnection(server.Port);
            connection.Send("GET /ws HTTP/1.1\r\nHost: x\r\nUpgrade: echo\r\nConnection: Upgrade\r\n\r\n");
            Assert.Equal(101, connection.ReadResponse().Status);
            connection.Send("still here");
            Assert.Equal("still here", Encoding.ASCII.GetString(connection.ReadBytes(10)));
            Assert.Equal(1, server.Binding.ConnectionCount);

            // The echo flow knows no graceful close: the hard deadline ends it.
            await server.Binding.Terminate(TimeSpan.FromMilliseconds(300)).WaitAsync(TimeSpan.FromSeconds(30));
            Assert.True(connection.IsClosedByServer());
            Assert.Equal(0, server.Binding.ConnectionCount);
        }
        finally
        {
            await server.DisposeAsync();
        }
    }

    [Fact]
    public async Task Upgrade_the_request_did_not_ask_for_is_answered_500_and_the_connection_kept()
    {
        await using var server = await Start(handler: s_switching);
        using var connection = new RawHttpConnection(server.Port);
        connection.Send("GET /ws HTTP/1.1\r\nHost: x\r\n\r\n");
        Assert.Equal(500, connection.ReadResponse().Status);
        connection.Send("GET /ws HTTP/1.1\r\nHost: x\r\nUpgrade: other\r\nConnection: upgrade\r\n\r\n");
        Assert.Equal(500, connection.ReadResponse().Status);
        connection.Send("GET /ws HTTP/1.1\r\nHost: x\r\nUpgrade: echo\r\n\r\n");
        Assert.Equal(500, connection.ReadResponse().Status);
        connection.Send("GET /other HTTP/1.1\r\nHost: x\r\n\r\n");
        Assert.Equal("plain", connection.ReadResponse().BodyText);

        // RFC 9110 §7.8: Upgrade in HTTP/1.0 is ignored, so switching would answer what was not asked.
        using var old = new RawHttpConnection(server.Port);
        old.Send("GET /ws HTTP/1.0\r\nUpgrade: echo\r\nConnection: Upgrade\r\n\r\n");
        Assert.Equal(500, old.ReadResponse().Status);
    }

    [Theory]
    [InlineData("/early-hints")]
    [InlineData("/continue")]
    [InlineData("/bare-101")]
    public async Task A_handlers_own_1xx_is_refused_with_500(string path)
    {
        await using var server = await Start(handler: s_switching);
        using var connection = new RawHttpConnection(server.Port);
        connection.Send($"GET {path} HTTP/1.1\r\nHost: x\r\nUpgrade: echo\r\nConnection: Upgrade\r\n\r\n");
        Assert.Equal(500, connection.ReadResponse().Status);
        connection.Send("GET /other HTTP/1.1\r\nHost: x\r\n\r\n");
        Assert.Equal("plain", connection.ReadResponse().BodyText);
    }

    [Fact]
    public async Task The_HTTP_2_preface_is_answered_505_and_closed_while_HTTP_2_is_not_served()
    {
        await using var server = await Start(handler: s_switching);
        using var connection = new RawHttpConnection(server.Port);
        connection.Send("PRI * HTTP/2.0\r\n\r\nSM\r\n\r\n\0\0\0\x04\0\0\0\0\0");
        var response = connection.ReadResponse();
        Assert.Equal(505, response.Status);
        Assert.Equal("close", response.Header("connection"));
        Assert.True(connection.IsClosedByServer());
    }

    [Theory]
    [InlineData("Content-Length: 5\r\n", "hello")]
    [InlineData("Transfer-Encoding: chunked\r\n", "5\r\nhello\r\n0\r\n\r\n")]
    public async Task Sends_100_Continue_before_the_head_of_a_response_that_streams_the_request_body_back_and_keeps_the_connection(string framing, string body)
    {
        await using var server = await Start(handler: s_switching);
        using var connection = new RawHttpConnection(server.Port);
        connection.Send($"POST /echo HTTP/1.1\r\nHost: x\r\n{framing}Expect: 100-continue\r\n\r\n");
        Assert.Equal(100, connection.ReadResponse().Status);
        connection.Send(body);
        var response = connection.ReadResponse();
        Assert.Equal(200, response.Status);
        Assert.Equal("hello", response.BodyText);
        Assert.Null(response.Header("connection"));

        connection.Send("GET /other HTTP/1.1\r\nHost: x\r\n\r\n");
        Assert.Equal("plain", connection.ReadResponse().BodyText);
    }
}
