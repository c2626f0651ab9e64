using System.Text;
using Akka.Streams.Dsl;
using Epsilon.Actors.Http.Model;
using Epsilon.Actors.Http.Server;
using Epsilon.Actors.Http.Server.Middleware;
using Epsilon.Actors.Http.Server.Routing;
using Epsilon.Actors.Tests.TestKit;
using Xunit;

namespace Epsilon.Actors.Tests.Http.Http1;

/// <summary>The server stage over real loopback sockets, driven with exact bytes.</summary>
[Trait("Category", "Loopback")]
public sealed partial class Http1ServerStageTests
{
    // One instance for every request: the stage reuses its rendered bytes (a test below checks it stays right).
    private static readonly HttpResponse s_hello = HttpResponse.Text("Hello, World!");

    private static HttpRoutes Routes() => new HttpRoutes()
        .Get("/hello", _ => s_hello)
        .Get("/n/{i}", req => HttpResponse.Text($"response {req.Param("i")}"))
        .Post("/upload", async req =>
        {
            var body = await req.Entity.ToStrictAsync(1 << 20, TimeSpan.FromSeconds(20), Materializer);
            return HttpResponse.Text($"got {body.Data.Count}");
        })
        .Post("/count", async req =>
        {
            var count = await req.Entity.DataBytes.RunAggregate(0L, (n, chunk) => n + chunk.Count, Materializer);
            return HttpResponse.Text($"counted {count}");
        })
        .Get("/never", async _ =>
        {
            await Task.Delay(Timeout.Infinite);
            return HttpResponse.Text("unreachable");
        });

    private static Akka.Streams.IMaterializer Materializer { get; set; } = null!;

    private static async Task<LoopbackHttpServer> Start(Func<Epsilon.Actors.Http.Settings.HttpServerSettings, Epsilon.Actors.Http.Settings.HttpServerSettings>? settings = null, HttpHandler? handler = null)
    {
        var server = await LoopbackHttpServer.StartAsync(handler ?? Routes(), settings);
        Materializer = server.Materializer;
        return server;
    }

    [Fact]
    public async Task Answers_100_pipelined_requests_written_at_once_in_order()
    {
        await using var server = await Start();
        using var connection = new RawHttpConnection(server.Port);
        var all = new StringBuilder();
        for (var i = 0; i < 100; i++) all.Append($"GET /n/{i} HTTP/1.1\r\nHost: localhost\r\n\r\n");
        connection.Send(all.ToString());
        for (var i = 0; i < 100; i++)
        {
            var response = connection.ReadResponse();
            Assert.Equal(200, response.Status);
            Assert.Equal($"response {i}", response.BodyText);
        }

        Assert.Equal(1, server.Binding.ConnectionsAccepted);
    }

    [Fact]
    public async Task Answers_pipelined_requests_in_order_when_handlers_complete_out_of_order()
    {
        var routes = new HttpRoutes().Get("/slow/{i}", async req =>
        {
            var i = int.Parse(req.Param("i")!, System.Globalization.CultureInfo.InvariantCulture);
            await Task.Delay(i % 3 == 0 ? 30 : 0);
            return HttpResponse.Text($"slow {i}");
        });
        await using var server = await Start(handler: routes);
        using var connection = new RawHttpConnection(server.Port);
        connection.Send(string.Concat(Enumerable.Range(0, 20).Select(i => $"GET /slow/{i} HTTP/1.1\r\nHost: x\r\n\r\n")));
        for (var i = 0; i < 20; i++) Assert.Equal($"slow {i}", connection.ReadResponse().BodyText);
    }

    [Fact]
    public async Task HEAD_of_a_streamed_response_sends_headers_only_and_never_runs_the_source()
    {
        var ran = 0;
        var routes = new HttpRoutes().Get("/stream", _ => HttpResponse.Stream(
            Akka.Streams.Dsl.Source.Single(Akka.IO.ByteString.FromString("body")).Select(b =>
            {
                Interlocked.Increment(ref ran);
                return b;
            }), contentLength: 4));
        await using var server = await Start(handler: routes);
        using var connection = new RawHttpConnection(server.Port);
        connection.Send("HEAD /stream HTTP/1.1\r\nHost: x\r\n\r\nGET /stream HTTP/1.1\r\nHost: x\r\n\r\n");
        var head = connection.ReadResponse(headRequest: true);
        Assert.Equal("4", head.Header("content-length"));
        Assert.Equal("body", connection.ReadResponse().BodyText);
        Assert.Equal(1, Volatile.Read(ref ran));
    }

    [Fact]
    public async Task Adds_the_Server_header_when_set_and_Date_always()
    {
        await using var server = await Start(s => s with { ServerHeader = "Epsilon" });
        using var connection = new RawHttpConnection(server.Port);
        connection.Send("GET /hello HTTP/1.1\r\nHost: x\r\n\r\n");
        var response = connection.ReadResponse();
        Assert.Equal("Epsilon", response.Header("server"));
        Assert.EndsWith("GMT", response.Header("date"));
        Assert.Equal("text/plain; charset=utf-8", response.Header("content-type"));
    }

    [Fact]
    public async Task Aborts_a_response_whose_body_is_shorter_than_declared()
    {
        var routes = new HttpRoutes()
            .Get("/short", _ => HttpResponse.Stream(Akka.Streams.Dsl.Source.Single(Akka.IO.ByteString.FromString("abc")), contentLength: 10));
        await using var server = await Start(handler: routes);
        using var connection = new RawHttpConnection(server.Port);
        connection.Send("GET /short HTTP/1.1\r\nHost: x\r\n\r\n");
        // The connection ends (FIN or reset; a reset may drop what was in flight) with fewer
        // than the 10 declared bytes, so the client can tell the response is incomplete.
        var all = Encoding.ASCII.GetString(connection.ReadToEnd());
        var bodyStart = all.IndexOf("\r\n\r\n", StringComparison.Ordinal);
        Assert.True(bodyStart < 0 || all.Length - bodyStart - 4 < 10, all);
    }

    [Fact]
    public async Task Renders_one_cached_response_right_for_GET_HEAD_and_a_closing_request()
    {
        await using var server = await Start();
        using var connection = new RawHttpConnection(server.Port);
        connection.Send("GET /hello HTTP/1.1\r\nHost: x\r\n\r\nGET /hello HTTP/1.1\r\nHost: x\r\n\r\nHEAD /hello HTTP/1.1\r\nHost: x\r\n\r\n"
            + "GET /hello HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n");
        for (var i = 0; i < 2; i++)
        {
            var get = connection.ReadResponse();
            Assert.Equal("Hello, World!", get.BodyText);
            Assert.Null(get.Header("connection"));
        }

        var head = connection.ReadResponse(headRequest: true);
        Assert.Equal("13", head.Header("content-length"));
        Assert.Empty(head.Body);
        var last = connection.ReadResponse();
        Assert.Equal("Hello, World!", last.BodyText);
        Assert.Equal("close", last.Header("connection"));
        Assert.True(connection.IsClosedByServer());
    }

    [Fact]
    public async Task Parses_requests_that_arrive_one_byte_at_a_time()
    {
        await using var server = await Start();
        using var connection = new RawHttpConnection(server.Port);
        var bytes = Encoding.ASCII.GetBytes("POST /upload HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\n\r\n3\r\nabc\r\n0\r\n\r\nGET /n/9 HTTP/1.1\r\nHost: x\r\n\r\n");
        foreach (var b in bytes)
        {
            connection.Send([b]);
            await Task.Delay(1);
        }

        Assert.Equal("got 3", connection.ReadResponse().BodyText);
        Assert.Equal("response 9", connection.ReadResponse().BodyText);
    }

    [Fact]
    public async Task Answers_HTTP_1_0_and_closes_unless_keep_alive_is_asked()
    {
        await using var server = await Start();
        using (var plain = new RawHttpConnection(server.Port))
        {
            plain.Send("GET /hello HTTP/1.0\r\n\r\n");
            var response = plain.ReadResponse();
            Assert.Equal("Hello, World!", response.BodyText);
            Assert.Equal("close", response.Header("connection"));
            Assert.True(plain.IsClosedByServer());
        }

        using var kept = new RawHttpConnection(server.Port);
        kept.Send("GET /hello HTTP/1.0\r\nConnection: keep-alive\r\n\r\n");
        Assert.Equal("keep-alive", kept.ReadResponse().Header("connection"));
        kept.Send("GET /n/2 HTTP/1.0\r\nConnection: keep-alive\r\n\r\n");
        Assert.Equal("response 2", kept.ReadResponse().BodyText);
    }

    [Fact]
    public async Task Sends_100_Continue_when_the_handler_reads_the_body()
    {
        await using var server = await Start();
        using var connection = new RawHttpConnection(server.Port);
        connection.Send("POST /upload HTTP/1.1\r\nHost: x\r\nContent-Length: 5\r\nExpect: 100-continue\r\n\r\n");
        Assert.Equal(100, connection.ReadResponse().Status);
        connection.Send("hello");
        var response = connection.ReadResponse();
        Assert.Equal("got 5", response.BodyText);
    }

    [Fact]
    public async Task Answers_without_100_Continue_and_closes_when_the_handler_ignores_the_body()
    {
        await using var server = await Start();
        using var connection = new RawHttpConnection(server.Port);
        connection.Send("POST /hello HTTP/1.1\r\nHost: x\r\nContent-Length: 5\r\nExpect: 100-continue\r\n\r\n");
        var response = connection.ReadResponse();
        Assert.Equal(405, response.Status);
        Assert.Equal("close", response.Header("connection"));
        Assert.True(connection.IsClosedByServer());
    }

    [Fact]
    public async Task Answers_417_to_an_unknown_expectation()
    {
        await using var server = await Start();
        using var connection = new RawHttpConnection(server.Port);
        connection.Send("GET /hello HTTP/1.1\r\nHost: x\r\nExpect: teapot\r\n\r\nGET /hello HTTP/1.1\r\nHost: x\r\n\r\n");
        Assert.Equal(417, connection.ReadResponse().Status);
        Assert.Equal("Hello, World!", connection.ReadResponse().BodyText);
    }

    [Fact]
    public async Task Reads_a_chunked_request_body_that_arrives_in_pieces()
    {
        await using var server = await Start();
        using var connection = new RawHttpConnection(server.Port);
        connection.Send("POST /upload HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\n\r\n5\r\nhel");
        await Task.Delay(50);
        connection.Send("lo\r\n3\r\n, w\r\n0\r\n\r\n");
        Assert.Equal("got 8", connection.ReadResponse().BodyText);
        connection.Send("GET /hello HTTP/1.1\r\nHost: x\r\n\r\n");
        Assert.Equal("Hello, World!", connection.ReadResponse().BodyText);
    }

    [Fact]
    public async Task Drains_an_unread_request_body_and_keeps_the_connection()
    {
        await using var server = await Start();
        using var connection = new RawHttpConnection(server.Port);
        // /hello does not read the body: the server drains it and reads the next request.
        connection.Send("GET /hello HTTP/1.1\r\nHost: x\r\nContent-Length: 100000\r\n\r\n");
        Assert.Equal("Hello, World!", connection.ReadResponse().BodyText);
        connection.Send(new byte[100_000]);
        connection.Send("GET /n/7 HTTP/1.1\r\nHost: x\r\n\r\n");
        Assert.Equal("response 7", connection.ReadResponse().BodyText);
    }

    public static TheoryData<string, string, int> BadRequests() => new()
    {
        { "request line too long", $"GET /{new string('a', 9000)} HTTP/1.1\r\nHost: x\r\n\r\n", 414 },
        { "headers too large", $"GET /hello HTTP/1.1\r\nHost: x\r\nX-Big: {new string('b', 40_000)}\r\n\r\n", 431 },
        { "too many headers", "GET /hello HTTP/1.1\r\nHost: x\r\n" + string.Concat(Enumerable.Range(0, 120).Select(i => $"X-{i}: v\r\n")) + "\r\n", 431 },
        { "body over the handler's limit", "POST /upload HTTP/1.1\r\nHost: x\r\nContent-Length: 999999999\r\n\r\n", 413 },
        { "body over max-request-body-size", "POST /count HTTP/1.1\r\nHost: x\r\nContent-Length: 999999999\r\n\r\n", 413 },
        { "chunked body over max-request-body-size", "POST /count HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\n\r\n7FFFFFFF\r\n", 413 },
        { "Content-Length with Transfer-Encoding", "POST /upload HTTP/1.1\r\nHost: x\r\nContent-Length: 5\r\nTransfer-Encoding: chunked\r\n\r\n0\r\n\r\n", 400 },
        { "two different Content-Lengths", "POST /upload HTTP/1.1\r\nHost: x\r\nContent-Length: 5\r\nContent-Length: 6\r\n\r\nhello!", 400 },
        { "obs-fold", "GET /hello HTTP/1.1\r\nHost: x\r\nX-A: one\r\n two\r\n\r\n", 400 },
        { "bad chunk size", "POST /upload HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\n\r\nzz\r\nhello\r\n0\r\n\r\n", 400 },
        { "no Host in HTTP/1.1", "GET /hello HTTP/1.1\r\n\r\n", 400 },
        { "bare LF", "GET /hello HTTP/1.1\nHost: x\n\n", 400 },
    };

    [Theory]
    [MemberData(nameof(BadRequests))]
    public async Task Rejects_bad_input_with_its_status_and_closes_without_disturbing_another_connection(string reason, string request, int status)
    {
        await using var server = await Start();
        using var good = new RawHttpConnection(server.Port);
        good.Send("GET /n/1 HTTP/1.1\r\nHost: x\r\n\r\n");
        Assert.Equal("response 1", good.ReadResponse().BodyText);

        using var bad = new RawHttpConnection(server.Port);
        bad.Send(request);
        var response = bad.ReadResponse();
        Assert.True(status == response.Status, $"{reason}: expected {status}, got {response.Status}");
        Assert.Equal("close", response.Header("connection"));
        Assert.True(bad.IsClosedByServer(), $"{reason}: the connection stayed open");

        good.Send("GET /n/2 HTTP/1.1\r\nHost: x\r\n\r\n");
        Assert.Equal("response 2", good.ReadResponse().BodyText);
    }

    [Fact]
    public async Task Cuts_a_slowloris_client_at_the_request_headers_timeout()
    {
        await using var server = await Start(s => s with { RequestHeadersTimeout = TimeSpan.FromSeconds(1) });
        using var slow = new RawHttpConnection(server.Port);
        var started = DateTime.UtcNow;
        slow.Send("GET /hello HTTP/1.1\r\n");
        var answered = false;
        try
        {
            for (var i = 0; i < 40; i++)
            {
                await Task.Delay(100);
                slow.Send($"X-{i}: trickle\r\n");
            }
        }
        catch (System.Net.Sockets.SocketException)
        {
            answered = true;
        }

        if (!answered)
        {
            var response = slow.ReadResponse();
            Assert.Equal(408, response.Status);
            Assert.True(slow.IsClosedByServer());
        }

        Assert.True(DateTime.UtcNow - started < TimeSpan.FromSeconds(30));
    }

    [Fact]
    public async Task A_handler_that_never_answers_gets_503_from_the_timeout_middleware()
    {
        var routes = Routes().Use(new RequestTimeoutMiddleware(TimeSpan.FromMilliseconds(300)));
        await using var server = await Start(handler: routes);
        using var connection = new RawHttpConnection(server.Port);
        connection.Send("GET /never HTTP/1.1\r\nHost: x\r\n\r\n");
        Assert.Equal(503, connection.ReadResponse().Status);
        connection.Send("GET /hello HTTP/1.1\r\nHost: x\r\n\r\n");
        Assert.Equal("Hello, World!", connection.ReadResponse().BodyText);
    }

    [Fact]
    public async Task Answers_408_to_a_body_below_the_minimum_data_rate()
    {
        await using var server = await Start(s => s with { MinRequestBodyDataRate = 10_000, MinRequestBodyDataRateGracePeriod = TimeSpan.FromSeconds(1) });
        using var slow = new RawHttpConnection(server.Port);
        slow.Send("POST /count HTTP/1.1\r\nHost: x\r\nContent-Length: 100000\r\n\r\n");
        RawResponse? response = null;
        try
        {
            for (var i = 0; i < 100 && slow.Socket.Available == 0; i++)
            {
                slow.Send("x"u8);
                await Task.Delay(100);
            }
        }
        catch (System.Net.Sockets.SocketException)
        {
        }

        response = slow.ReadResponse();
        Assert.Equal(408, response.Status);
        Assert.True(slow.IsClosedByServer());
    }

    [Fact]
    public async Task Echoes_a_streamed_body_while_it_is_still_arriving()
    {
        var routes = Routes().Post("/echo", req => HttpResponse.Stream(req.Entity.DataBytes));
        await using var server = await Start(s => s with { MaxRequestBodySize = null }, routes);
        using var connection = new RawHttpConnection(server.Port);
        const int Pieces = 160;
        var piece = PlainSocket.Pattern(64 * 1024);
        var sender = Task.Run(() =>
        {
            connection.Send("POST /echo HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\n\r\n");
            for (var i = 0; i < Pieces; i++)
            {
                connection.Send($"{piece.Length:X}\r\n");
                connection.Send(piece);
                connection.Send("\r\n");
            }

            connection.Send("0\r\n\r\n");
        });
        var response = await Task.Run(() => connection.ReadResponse());
        await sender;
        Assert.Equal(Pieces * piece.Length, response.Body.Length);
        Assert.True(response.Body.AsSpan(0, piece.Length).SequenceEqual(piece));
        connection.Send("GET /hello HTTP/1.1\r\nHost: x\r\n\r\n");
        Assert.Equal("Hello, World!", connection.ReadResponse().BodyText);
    }

    [Fact]
    public async Task Closes_an_idle_connection_at_the_keep_alive_timeout()
    {
        await using var server = await Start(s => s with { KeepAliveTimeout = TimeSpan.FromMilliseconds(500) });
        using var connection = new RawHttpConnection(server.Port);
        connection.Send("GET /hello HTTP/1.1\r\nHost: x\r\n\r\n");
        Assert.Equal(200, connection.ReadResponse().Status);
        Assert.True(connection.IsClosedByServer(15_000));
    }
}
