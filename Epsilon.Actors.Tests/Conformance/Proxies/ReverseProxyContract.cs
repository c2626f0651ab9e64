using System.Net;
using System.Net.Http.Headers;
using System.Security.Cryptography;
using Akka.Actor;
using Akka.Streams;
using Epsilon.Actors.Tests.TestKit;
using Xunit;

namespace Epsilon.Actors.Tests.Conformance.Proxies;

/// <summary>
/// Epsilon's HTTP/1.1 server behind a real reverse proxy (one subclass per proxy), each test with
/// its own server, proxy process and temporary directory. The client is HttpClient talking to the
/// proxy on loopback; the server counts the upstream connections it accepted, which proves that the
/// proxy kept them alive and reused them. Every test is bounded (<see cref="s_bound"/>), and the
/// proxy is stopped by its PID in <see cref="DisposeAsync"/> whatever the outcome.
/// </summary>
public abstract class ReverseProxyContract : IAsyncLifetime
{
    private static readonly TimeSpan s_bound = TimeSpan.FromSeconds(25);

    private readonly ActorSystem _system = ActorSystem.Create("proxied", EpsilonTestConfig.For("epoll"));
    private UpstreamApp _app = null!;
    private UpstreamServer? _upstream;
    private ExternalServerProcess? _proxy;
    private HttpClient _client = null!;

    /// <summary>Starts the proxy in front of the upstream port.</summary>
    private protected abstract Task<ExternalServerProcess> StartProxyAsync(int upstreamPort);

    public async Task InitializeAsync()
    {
        _app = new UpstreamApp(_system.Materializer());
        _upstream = await UpstreamServer.StartAsync(_system, _app.Handler);
        _proxy = await StartProxyAsync(_upstream.Port);
        _client = new HttpClient(new SocketsHttpHandler { ConnectTimeout = TimeSpan.FromSeconds(10) })
        {
            BaseAddress = new Uri($"http://127.0.0.1:{_proxy.Port}"),
            Timeout = TimeSpan.FromSeconds(20),
        };
    }

    public async Task DisposeAsync()
    {
        _client?.Dispose();
        if (_proxy is not null) await _proxy.DisposeAsync();
        if (_upstream is not null) await _upstream.DisposeAsync();
        await _system.Terminate().WaitAsync(TimeSpan.FromSeconds(10));
    }

    [Fact]
    public Task Sequential_requests_on_fresh_client_connections_reuse_one_upstream_connection() => Bounded(async () =>
    {
        const int count = 100;
        for (var i = 0; i < count; i++)
        {
            using var request = new HttpRequestMessage(HttpMethod.Get, "/hello");
            request.Headers.ConnectionClose = true; // a new client connection each time: reuse is the proxy's doing
            using var response = await _client.SendAsync(request);
            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
            Assert.Equal(UpstreamApp.HelloText, await response.Content.ReadAsStringAsync());
        }

        Assert.Equal(count, _app.Requests);
        Assert.True(_upstream!.ConnectionsAccepted <= 2, $"{count} requests used {_upstream!.ConnectionsAccepted} upstream connections; the proxy did not reuse them. {_proxy!.Diagnostics()}");
    });

    [Fact]
    public Task Streamed_responses_of_unknown_length_arrive_chunked_and_byte_exact() => Bounded(async () =>
    {
        foreach (var size in (int[])[0, 1, 4_096, 65_537, 1_000_003])
        {
            using var response = await _client.GetAsync($"/stream/{size}", HttpCompletionOption.ResponseHeadersRead);
            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
            Assert.True(response.Headers.TransferEncodingChunked == true, $"{size} bytes of unknown length came without chunked framing: {response.Headers}");
            Assert.Equal(UpstreamApp.Pattern(size), await response.Content.ReadAsByteArrayAsync());
        }

        Assert.True(_upstream!.ConnectionsAccepted <= 2, $"{_app.Requests} requests used {_upstream!.ConnectionsAccepted} upstream connections");
    });

    [Fact]
    public Task Chunked_uploads_reach_the_server_chunked_and_byte_exact() => Bounded(async () =>
    {
        foreach (var size in (int[])[1, 8_000, 1_000_003])
        {
            var body = UpstreamApp.Pattern(size);
            var answer = System.Text.Encoding.ASCII.GetString(await PostChunkedAsync("/sha256", body));
            Assert.StartsWith($"{size} {Convert.ToHexStringLower(SHA256.HashData(body))} ", answer);
            // A body that arrived whole with the head may be forwarded with a Content-Length
            // (nginx does so); one of a megabyte cannot, so it must reach the server chunked.
            if (size > 100_000) Assert.EndsWith(" chunked", answer);
        }

        var echoed = UpstreamApp.Pattern(300_000);
        Assert.Equal(echoed, await PostChunkedAsync("/echo", echoed));
        Assert.True(_upstream!.ConnectionsAccepted <= 2, $"{_app.Requests} requests used {_upstream!.ConnectionsAccepted} upstream connections");
    });

    [Fact]
    public Task Concurrent_clients_get_byte_exact_answers_over_reused_upstream_connections() => Bounded(async () =>
    {
        const int clients = 8, perClient = 20;
        var expectedStream = UpstreamApp.Pattern(20_000);
        var upload = UpstreamApp.Pattern(20_001);
        var uploadAnswer = $"20001 {Convert.ToHexStringLower(SHA256.HashData(upload))} ";
        await Task.WhenAll(Enumerable.Range(0, clients).Select(c => Task.Run(async () =>
        {
            for (var i = 0; i < perClient; i++)
            {
                switch ((c + i) % 3)
                {
                    case 0:
                        Assert.Equal(UpstreamApp.HelloText, await _client.GetStringAsync("/hello"));
                        break;
                    case 1:
                        Assert.Equal(expectedStream, await _client.GetByteArrayAsync("/stream/20000"));
                        break;
                    default:
                        Assert.StartsWith(uploadAnswer, System.Text.Encoding.ASCII.GetString(await PostChunkedAsync("/sha256", upload)));
                        break;
                }
            }
        })));

        Assert.Equal(clients * perClient, _app.Requests);
        Assert.True(_upstream!.ConnectionsAccepted <= 2 * clients, $"{_app.Requests} requests used {_upstream!.ConnectionsAccepted} upstream connections");
    });

    private async Task<byte[]> PostChunkedAsync(string path, byte[] body)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, path) { Content = new ByteArrayContent(body) };
        request.Content.Headers.ContentType = new MediaTypeHeaderValue("application/octet-stream");
        request.Headers.TransferEncodingChunked = true;
        using var response = await _client.SendAsync(request);
        var answer = await response.Content.ReadAsByteArrayAsync();
        Assert.True(response.StatusCode == HttpStatusCode.OK, $"{path}: {(int)response.StatusCode} {System.Text.Encoding.UTF8.GetString(answer)}");
        return answer;
    }

    private async Task Bounded(Func<Task> test)
    {
        try
        {
            await test().WaitAsync(s_bound);
        }
        catch (TimeoutException)
        {
            throw new TimeoutException($"the test did not finish within {s_bound}; {_app.Requests} requests served over {_upstream!.ConnectionsAccepted} upstream connections. {_proxy?.Diagnostics()}");
        }
    }
}
