using System.Net;
using Akka;
using Akka.IO;
using Akka.Streams.Dsl;
using Epsilon.Actors.Http.Model;
using Epsilon.Actors.Http.Server.Routing;
using Epsilon.Actors.Tests.TestKit;
using Xunit;

namespace Epsilon.Actors.Tests.Http.Server;

/// <summary>Large streamed bodies both ways with bounded memory, and a client that goes away mid-download.</summary>
[Trait("Category", "Loopback")]
public sealed class HttpServerStreamingTests
{
    private const long HundredMegabytes = 100L * 1024 * 1024;
    private const long MemoryBound = 64L * 1024 * 1024;
    private static readonly ByteString s_chunk = ByteString.FromBytes(PlainSocket.Pattern(64 * 1024));

    [Fact]
    public async Task Streams_a_100_MB_chunked_upload_with_bounded_memory()
    {
        LoopbackHttpServer? server = null;
        var routes = new HttpRoutes().Post("/count", async req =>
        {
            var count = await req.Entity.DataBytes.RunAggregate(0L, (n, chunk) => n + chunk.Count, server!.Materializer);
            return HttpResponse.Text(count.ToString(System.Globalization.CultureInfo.InvariantCulture));
        });
        await using (server = await LoopbackHttpServer.StartAsync(routes, s => s with { MaxRequestBodySize = null }))
        {
            using var client = server.CreateClient();
            using var watch = new MemoryWatch();
            var response = await client.PostAsync("/count", new PatternContent(HundredMegabytes));
            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
            Assert.Equal(HundredMegabytes.ToString(System.Globalization.CultureInfo.InvariantCulture), await response.Content.ReadAsStringAsync());
            Assert.True(watch.MaxGrowth < MemoryBound, $"managed memory grew by {watch.MaxGrowth / 1024 / 1024} MB");
        }
    }

    [Fact]
    public async Task Streams_a_100_MB_chunked_download_with_bounded_memory()
    {
        var routes = new HttpRoutes().Get("/big", _ =>
            HttpResponse.Stream(Source.Repeat(s_chunk).Take(HundredMegabytes / s_chunk.Count)));
        await using var server = await LoopbackHttpServer.StartAsync(routes);
        using var client = server.CreateClient();
        using var watch = new MemoryWatch();
        using var response = await client.GetAsync("/big", HttpCompletionOption.ResponseHeadersRead);
        Assert.True(response.Headers.TransferEncodingChunked);
        await using var body = await response.Content.ReadAsStreamAsync();
        var buffer = new byte[64 * 1024];
        long total = 0;
        int read;
        while ((read = await body.ReadAsync(buffer)) > 0) total += read;
        Assert.Equal(HundredMegabytes, total);
        Assert.True(watch.MaxGrowth < MemoryBound, $"managed memory grew by {watch.MaxGrowth / 1024 / 1024} MB");
    }

    [Fact]
    public async Task Streams_a_body_with_a_declared_length_exactly()
    {
        var routes = new HttpRoutes().Get("/sized", _ =>
            HttpResponse.Stream(Source.Repeat(s_chunk).Take(16), contentLength: 16 * s_chunk.Count));
        await using var server = await LoopbackHttpServer.StartAsync(routes);
        using var client = server.CreateClient();
        var response = await client.GetAsync("/sized");
        Assert.Equal(16 * s_chunk.Count, response.Content.Headers.ContentLength);
        Assert.Equal(16 * s_chunk.Count, (await response.Content.ReadAsByteArrayAsync()).Length);
    }

    [Fact]
    public async Task A_client_cancelling_mid_download_cancels_the_source_and_the_abort_token_and_spares_other_connections()
    {
        var sourceCancelled = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var abortFired = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var routes = new HttpRoutes()
            .Get("/endless", req =>
            {
                req.Aborted.Register(() => abortFired.TrySetResult());
                var source = Source.Repeat(s_chunk).WatchTermination((_, done) =>
                {
                    done.ContinueWith(_ => sourceCancelled.TrySetResult());
                    return NotUsed.Instance;
                });
                return HttpResponse.Stream(source);
            })
            .Get("/hello", _ => HttpResponse.Text("Hello, World!"));
        await using var server = await LoopbackHttpServer.StartAsync(routes);
        using var other = server.CreateClient();
        Assert.Equal("Hello, World!", await other.GetStringAsync("/hello"));

        using (var client = server.CreateClient())
        using (var cts = new CancellationTokenSource())
        {
            using var response = await client.GetAsync("/endless", HttpCompletionOption.ResponseHeadersRead, cts.Token);
            await using var body = await response.Content.ReadAsStreamAsync(cts.Token);
            var buffer = new byte[64 * 1024];
            long total = 0;
            while (total < 4 * 1024 * 1024) total += await body.ReadAsync(buffer, cts.Token);
            await cts.CancelAsync();
        }

        await sourceCancelled.Task.WaitAsync(TimeSpan.FromSeconds(20));
        await abortFired.Task.WaitAsync(TimeSpan.FromSeconds(20));
        Assert.Equal("Hello, World!", await other.GetStringAsync("/hello"));
    }

    /// <summary>An upload body of a given length, written in 64 KiB pieces without a Content-Length (so HttpClient sends it chunked).</summary>
    private sealed class PatternContent(long length) : HttpContent
    {
        protected override async Task SerializeToStreamAsync(Stream stream, TransportContext? context)
        {
            var piece = PlainSocket.Pattern(64 * 1024);
            for (long sent = 0; sent < length; sent += piece.Length) await stream.WriteAsync(piece.AsMemory(0, (int)Math.Min(piece.Length, length - sent)));
        }

        protected override bool TryComputeLength(out long length)
        {
            length = -1;
            return false;
        }
    }

    /// <summary>Samples GC.GetTotalMemory every 20 ms and keeps the largest growth over the starting (collected) size.</summary>
    private sealed class MemoryWatch : IDisposable
    {
        private readonly long _baseline;
        private readonly Timer _timer;
        private long _max;

        public MemoryWatch()
        {
            _baseline = GC.GetTotalMemory(forceFullCollection: true);
            _timer = new Timer(_ => Sample(), null, 0, 20);
        }

        public long MaxGrowth
        {
            get
            {
                Sample();
                return Interlocked.Read(ref _max) - _baseline;
            }
        }

        public void Dispose() => _timer.Dispose();

        private void Sample()
        {
            var now = GC.GetTotalMemory(false);
            long seen;
            while (now > (seen = Interlocked.Read(ref _max)) && Interlocked.CompareExchange(ref _max, now, seen) != seen)
            {
            }
        }
    }
}
