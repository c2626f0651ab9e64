using System.Net;
using System.Net.Sockets;
using System.Text;
using Epsilon.Actors.Http.Settings;
using Epsilon.Actors.Tests.Http.Http1.Parsing;
using Xunit;

namespace Epsilon.Actors.Tests.Http.Http1.Interop;

/// <summary>
/// The pure HTTP/1.1 core (parser, state machine, writers) behind <see cref="BlockingHttp1Server"/>
/// against real peers over loopback: .NET's HttpClient and raw sockets.
/// </summary>
[Trait("Category", "Loopback")]
public sealed class Http1CoreInteropTests
{
    private static readonly TimeSpan s_timeout = TimeSpan.FromSeconds(30);

    private static TestResponse Echo(RecordedRequest r) =>
        TestResponse.Text($"{r.MethodToken} {r.Target} {r.Head!.Value.Framing} {r.BodyText.Length} {r.BodyText}");

    private static HttpClient NewClient(Action<SocketsHttpHandler>? configure = null)
    {
        var handler = new SocketsHttpHandler { MaxConnectionsPerServer = 1, PooledConnectionIdleTimeout = s_timeout };
        configure?.Invoke(handler);
        return new HttpClient(handler) { Timeout = s_timeout };
    }

    [Fact]
    public async Task HttpClient_reuses_one_connection_for_sequential_requests()
    {
        using var server = new BlockingHttp1Server(Echo);
        using var client = NewClient();
        for (var i = 0; i < 5; i++)
        {
            var text = await client.GetStringAsync($"http://127.0.0.1:{server.Port}/item/{i}?q=1");
            Assert.Equal($"GET /item/{i}?q=1 None 0 ", text);
        }

        Assert.Equal(1, server.ConnectionsAccepted);
    }

    [Fact]
    public async Task HttpClient_uploads_chunked_and_with_a_length()
    {
        using var server = new BlockingHttp1Server(Echo);
        using var client = NewClient();
        var payload = new string('x', 100_000);
        using var chunked = new HttpRequestMessage(HttpMethod.Post, $"http://127.0.0.1:{server.Port}/up")
        {
            Content = new StreamContent(new MemoryStream(Encoding.ASCII.GetBytes(payload))),
        };
        chunked.Headers.TransferEncodingChunked = true;
        var first = await (await client.SendAsync(chunked)).Content.ReadAsStringAsync();
        Assert.Equal($"POST /up Chunked 100000 {payload}", first);

        var second = await (await client.PutAsync($"http://127.0.0.1:{server.Port}/put", new StringContent("hello"))).Content.ReadAsStringAsync();
        Assert.Equal("PUT /put ContentLength 5 hello", second);
        Assert.Equal(1, server.ConnectionsAccepted);
    }

    [Fact]
    public async Task HttpClient_waiting_for_100_Continue_gets_it_when_the_body_is_read()
    {
        using var server = new BlockingHttp1Server(Echo);
        // The client waits up to 60 s for 100 Continue: a server that never sent it would make this time out.
        using var client = NewClient(h => h.Expect100ContinueTimeout = TimeSpan.FromSeconds(60));
        using var cts = new CancellationTokenSource(TimeSpan.FromSeconds(20));
        using var request = new HttpRequestMessage(HttpMethod.Post, $"http://127.0.0.1:{server.Port}/expect") { Content = new StringContent("abc") };
        request.Headers.ExpectContinue = true;
        using var response = await client.SendAsync(request, cts.Token);
        Assert.Equal("POST /expect ContentLength 3 abc", await response.Content.ReadAsStringAsync(cts.Token));
    }

    [Fact]
    public async Task HEAD_gets_the_length_without_a_body_and_the_connection_stays_usable()
    {
        using var server = new BlockingHttp1Server(_ => TestResponse.Text("Hello, World!"));
        using var client = NewClient();
        using var head = await client.SendAsync(new HttpRequestMessage(HttpMethod.Head, $"http://127.0.0.1:{server.Port}/"));
        Assert.Equal(13, head.Content.Headers.ContentLength);
        Assert.Equal("Hello, World!", await client.GetStringAsync($"http://127.0.0.1:{server.Port}/"));
        Assert.Equal(1, server.ConnectionsAccepted);
    }

    [Fact]
    public async Task A_chunked_response_reaches_HttpClient_intact()
    {
        using var server = new BlockingHttp1Server(_ => TestResponse.Text("streamed body", chunked: true));
        using var client = NewClient();
        using var response = await client.GetAsync($"http://127.0.0.1:{server.Port}/");
        Assert.True(response.Headers.TransferEncodingChunked);
        Assert.Equal("streamed body", await response.Content.ReadAsStringAsync());
    }

    [Fact]
    public async Task HTTP_1_0_requests_get_Connection_close_and_a_new_connection_each()
    {
        using var server = new BlockingHttp1Server(Echo);
        using var client = NewClient();
        for (var i = 0; i < 2; i++)
        {
            using var request = new HttpRequestMessage(HttpMethod.Get, $"http://127.0.0.1:{server.Port}/old")
            {
                Version = HttpVersion.Version10,
                VersionPolicy = HttpVersionPolicy.RequestVersionExact,
            };
            using var response = await client.SendAsync(request);
            Assert.True(response.Headers.ConnectionClose);
            Assert.Equal("GET /old None 0 ", await response.Content.ReadAsStringAsync());
        }

        Assert.Equal(2, server.ConnectionsAccepted);
    }

    [Fact]
    public async Task Pipelined_requests_on_a_raw_socket_are_answered_in_order()
    {
        using var server = new BlockingHttp1Server(Echo);
        var reply = await RawExchange(server.Port,
            "GET /1 HTTP/1.1\r\nHost: a\r\n\r\nPOST /2 HTTP/1.1\r\nHost: a\r\nContent-Length: 2\r\n\r\nhiGET /3 HTTP/1.1\r\nHost: a\r\nConnection: close\r\n\r\n");
        var first = reply.IndexOf("GET /1 None 0", StringComparison.Ordinal);
        var second = reply.IndexOf("POST /2 ContentLength 2 hi", StringComparison.Ordinal);
        var third = reply.IndexOf("GET /3 None 0", StringComparison.Ordinal);
        Assert.True(first >= 0 && second > first && third > second, reply);
        Assert.Contains("Connection: close", reply[second..]);
    }

    [Theory]
    [InlineData("POST / HTTP/1.1\r\nHost: a\r\nContent-Length: 5\r\nTransfer-Encoding: chunked\r\n\r\n0\r\n\r\n", "400 Bad Request")]
    [InlineData("POST / HTTP/1.1\r\nHost: a\r\nTransfer-Encoding: gzip, chunked\r\n\r\n0\r\n\r\n", "501 Not Implemented")]
    [InlineData("GET / HTTP/2.0\r\nHost: a\r\n\r\n", "505 HTTP Version Not Supported")]
    [InlineData("GET / HTTP/1.1\r\nHost: a\r\nX: a\r\n b\r\n\r\n", "400 Bad Request")]
    [InlineData("GET / HTTP/1.1\r\nHost: a\r\nExpect: teapot\r\n\r\n", "417 Expectation Failed")]
    public async Task Bad_requests_on_a_raw_socket_get_their_status(string request, string status)
    {
        using var server = new BlockingHttp1Server(Echo);
        var reply = await RawExchange(server.Port, request + (status.StartsWith("417", StringComparison.Ordinal) ? "GET /after HTTP/1.1\r\nHost: a\r\nConnection: close\r\n\r\n" : ""));
        Assert.StartsWith("HTTP/1.1 " + status + "\r\n", reply);
        if (status.StartsWith("417", StringComparison.Ordinal)) Assert.Contains("GET /after None 0", reply);
        else Assert.Contains("Connection: close\r\n", reply);
    }

    [Fact]
    public async Task A_too_large_body_announced_with_100_continue_is_refused_without_100()
    {
        using var server = new BlockingHttp1Server(Echo, new HttpServerSettings { MaxRequestBodySize = 10 });
        var reply = await RawExchange(server.Port, "POST / HTTP/1.1\r\nHost: a\r\nExpect: 100-continue\r\nContent-Length: 11\r\n\r\n");
        Assert.StartsWith("HTTP/1.1 413 Content Too Large\r\n", reply);
        Assert.DoesNotContain("100 Continue", reply);
    }

    [Fact]
    public async Task A_header_section_over_the_limit_gets_431_and_the_connection_closes()
    {
        using var server = new BlockingHttp1Server(Echo);
        var reply = await RawExchange(server.Port, "GET / HTTP/1.1\r\nHost: a\r\nX-Big: " + new string('b', 40_000) + "\r\n\r\n");
        Assert.StartsWith("HTTP/1.1 431 Request Header Fields Too Large\r\n", reply);
    }

    /// <summary>Sends <paramref name="request"/> and reads until the server closes.</summary>
    private static async Task<string> RawExchange(int port, string request)
    {
        using var socket = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
        using var cts = new CancellationTokenSource(s_timeout);
        await socket.ConnectAsync(new IPEndPoint(IPAddress.Loopback, port), cts.Token);
        await socket.SendAsync(Encoding.Latin1.GetBytes(request), SocketFlags.None, cts.Token);
        var received = new MemoryStream();
        var buffer = new byte[8192];
        int read;
        while ((read = await socket.ReceiveAsync(buffer, SocketFlags.None, cts.Token)) > 0) received.Write(buffer, 0, read);
        return Encoding.Latin1.GetString(received.ToArray());
    }
}
