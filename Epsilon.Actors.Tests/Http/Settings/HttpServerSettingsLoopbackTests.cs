using System.Diagnostics;
using Epsilon.Actors.Http.Model;
using Epsilon.Actors.Http.Server;
using Epsilon.Actors.Http.Settings;
using Epsilon.Actors.Tests.TestKit;
using Xunit;

namespace Epsilon.Actors.Tests.Http.Settings;

/// <summary>
/// The connection limits of <see cref="HttpServerSettings"/> are live: each one, changed, changes
/// what a real client sees over loopback. (<c>inline-response-body-size</c> only changes how
/// many writes carry the same bytes, which a client cannot see; it is covered by the round trip.)
/// </summary>
[Trait("Category", "Loopback")]
public sealed class HttpServerSettingsLoopbackTests
{
    private static readonly HttpHandler s_entityKind = request =>
        ValueTask.FromResult(HttpResponse.Text(request.Entity is HttpEntity.Strict ? "strict" : "streamed"));

    [Theory]
    [InlineData(64 * 1024, "strict")]
    [InlineData(0, "streamed")]
    public async Task Strict_request_body_size_decides_whether_an_arrived_body_is_strict(int strictSize, string expected)
    {
        await using var server = await LoopbackHttpServer.StartAsync(s_entityKind, s => s with { StrictRequestBodySize = strictSize });
        using var connection = new RawHttpConnection(server.Port);
        connection.Send("POST / HTTP/1.1\r\nHost: x\r\nContent-Length: 5\r\n\r\nhello");
        Assert.Equal(expected, connection.ReadResponse().BodyText);
    }

    [Fact]
    public async Task Max_request_body_drain_size_closes_a_connection_whose_unread_body_is_larger()
    {
        await using var server = await LoopbackHttpServer.StartAsync(s_entityKind, s => s with { MaxRequestBodyDrainSize = 1000 });
        using var connection = new RawHttpConnection(server.Port);
        // The body has not arrived and the handler does not read it: 5000 bytes are over the drain size.
        connection.Send("POST / HTTP/1.1\r\nHost: x\r\nContent-Length: 5000\r\n\r\n");
        var response = connection.ReadResponse();
        Assert.Equal(200, response.Status);
        Assert.Equal("close", response.Header("connection"));
        Assert.True(connection.IsClosedByServer());

        // Under the drain size the same request keeps the connection.
        using var second = new RawHttpConnection(server.Port);
        second.Send("POST / HTTP/1.1\r\nHost: x\r\nContent-Length: 900\r\n\r\n");
        Assert.Null(second.ReadResponse().Header("connection"));
        second.Send(new byte[900]);
        second.Send("GET / HTTP/1.1\r\nHost: x\r\n\r\n");
        Assert.Equal(200, second.ReadResponse().Status);
    }

    [Theory]
    [InlineData(100, true)]
    [InlineData(60_000, false)]
    public async Task Linger_timeout_bounds_how_long_a_closing_connection_reads_a_silent_client(int lingerMs, bool closedWithinTwoSeconds)
    {
        await using var server = await LoopbackHttpServer.StartAsync(s_entityKind, s => s with { LingerTimeout = TimeSpan.FromMilliseconds(lingerMs) });
        using var connection = new RawHttpConnection(server.Port);
        connection.Send("GET / HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n");
        Assert.Equal("close", connection.ReadResponse().Header("connection"));
        Assert.True(connection.IsClosedByServer(), "the server half-closes after the last response");

        // The client neither closes nor sends: the server lingers, then lets the connection go.
        var watch = Stopwatch.StartNew();
        while (server.Binding.ConnectionCount > 0 && watch.Elapsed < TimeSpan.FromSeconds(2)) await Task.Delay(20);
        Assert.Equal(closedWithinTwoSeconds, server.Binding.ConnectionCount == 0);
    }

    [Fact]
    public async Task Listen_backlog_reaches_the_listening_socket()
    {
        await using var server = await LoopbackHttpServer.StartAsync(s_entityKind, s => s with { ListenBacklog = 77 });
        // For a listening socket, ss reports the backlog as Send-Q.
        var ss = ExternalTool.Require("ss", "iproute2");
        var (code, output) = await ExternalTool.RunAsync(ss, $"-Hltn \"sport = :{server.Port}\"", "", TimeSpan.FromSeconds(20));
        Assert.Equal(0, code);
        var fields = output.Split(' ', StringSplitOptions.RemoveEmptyEntries);
        Assert.Equal("LISTEN", fields[0]);
        Assert.Equal("77", fields[2]);
    }
}
