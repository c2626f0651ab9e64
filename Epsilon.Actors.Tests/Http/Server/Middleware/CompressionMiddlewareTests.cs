using System.IO.Compression;
using System.Text;
using Akka.IO;
using Akka.Streams;
using Akka.Streams.Dsl;
using Akka.Streams.TestKit;
using Epsilon.Actors.Http.Model;
using Epsilon.Actors.Http.Server;
using Epsilon.Actors.Http.Server.Middleware;
using Xunit;
using HttpMethod = Epsilon.Actors.Http.Model.HttpMethod;

namespace Epsilon.Actors.Tests.Http.Server.Middleware;

[Trait("Category", "Unit")]
public sealed class CompressionMiddlewareTests : Akka.TestKit.Xunit2.TestKit
{
    private static readonly TimeSpan s_wait = TimeSpan.FromSeconds(10);
    private static readonly string s_text = string.Concat(Enumerable.Range(0, 2000).Select(i => $"line {i} of some repetitive text\n"));
    private readonly IMaterializer _materializer;

    public CompressionMiddlewareTests()
        : base("akka.loglevel = WARNING") => _materializer = Sys.Materializer();

    private static HttpRequest Get(string? acceptEncoding, HttpMethod? method = null) =>
        new(method ?? HttpMethod.Get, "/", acceptEncoding is null ? HttpHeaders.Empty : HttpHeaders.Of(("Accept-Encoding", acceptEncoding)));

    private static async Task<HttpResponse> Run(HttpResponse response, HttpRequest request, CompressionOptions? options = null)
    {
        var handler = new CompressionMiddleware(options).Wrap(_ => new ValueTask<HttpResponse>(response));
        return await handler(request);
    }

    private async Task<byte[]> Body(HttpResponse response) =>
        (await response.Entity.ToStrictAsync(100 * 1024 * 1024, s_wait, _materializer)).Data.ToArray();

    private static byte[] Decompress(byte[] data, string coding)
    {
        using var input = new MemoryStream(data);
        using Stream decoder = coding == "gzip"
            ? new GZipStream(input, CompressionMode.Decompress)
            : new BrotliStream(input, CompressionMode.Decompress);
        using var output = new MemoryStream();
        decoder.CopyTo(output);
        return output.ToArray();
    }

    [Theory]
    [InlineData("gzip", "gzip")]
    [InlineData("br", "br")]
    [InlineData("gzip, br", "br")]
    [InlineData("br;q=0.5, gzip", "gzip")]
    public async Task A_strict_body_is_compressed_with_the_negotiated_coding(string acceptEncoding, string coding)
    {
        var response = await Run(HttpResponse.Text(s_text), Get(acceptEncoding));
        Assert.Equal(coding, response.Headers.Get(KnownHeader.ContentEncoding));
        Assert.Equal("Accept-Encoding", response.Headers.Get(KnownHeader.Vary));
        var compressed = await Body(response);
        Assert.Equal(compressed.Length, response.Entity.ContentLength);
        Assert.True(compressed.Length < s_text.Length / 4, $"{compressed.Length} bytes");
        Assert.Equal(Encoding.UTF8.GetBytes(s_text), Decompress(compressed, coding));
        Assert.Same(ContentType.TextPlainUtf8, response.Entity.ContentType);
    }

    [Theory]
    [InlineData("gzip")]
    [InlineData("br")]
    public async Task A_streamed_body_is_compressed_chunk_by_chunk_and_decodes_to_the_same_bytes(string coding)
    {
        var chunks = Encoding.UTF8.GetBytes(s_text).Chunk(1000).Select(ByteString.FromBytes).ToList();
        var original = HttpResponse.Stream(Source.From(chunks), ContentType.TextPlainUtf8);
        var response = await Run(original, Get(coding));
        Assert.Equal(coding, response.Headers.Get(KnownHeader.ContentEncoding));
        Assert.Null(response.Entity.ContentLength);
        Assert.Equal(Encoding.UTF8.GetBytes(s_text), Decompress(await Body(response), coding));
    }

    [Fact]
    public async Task A_streamed_body_is_pulled_no_faster_than_the_client_reads_and_each_chunk_is_flushed()
    {
        var upstream = this.CreatePublisherProbe<ByteString>();
        var original = HttpResponse.Stream(Source.FromPublisher(upstream), ContentType.TextPlainUtf8);
        var response = await Run(original, Get("gzip"));
        // One-element input buffer at the publisher boundary: the only slack the graph has.
        var downstream = response.Entity.DataBytes
            .ToMaterialized(this.SinkProbe<ByteString>(), Keep.Right)
            .WithAttributes(Attributes.CreateInputBuffer(1, 1))
            .Run(_materializer);
        var subscription = upstream.ExpectSubscription();
        downstream.EnsureSubscription();
        Assert.Equal(1, subscription.ExpectRequest());
        subscription.SendNext(ByteString.FromString(s_text[..5000]));
        upstream.ExpectNoMsg(TimeSpan.FromMilliseconds(300));

        downstream.Request(1);
        Assert.True(downstream.ExpectNext(s_wait).Count > 0);
        Assert.Equal(1, subscription.ExpectRequest());
        subscription.SendNext(ByteString.FromString(s_text[5000..10000]));
        upstream.ExpectNoMsg(TimeSpan.FromMilliseconds(300));
        downstream.ExpectNoMsg(TimeSpan.FromMilliseconds(100));

        subscription.SendComplete();
        downstream.Request(2);
        Assert.True(downstream.ExpectNext(s_wait).Count > 0);
        Assert.True(downstream.ExpectNext(s_wait).Count > 0);
        downstream.ExpectComplete();
    }

    [Fact]
    public async Task Without_accept_encoding_the_body_is_unchanged_but_varies()
    {
        var original = HttpResponse.Text(s_text);
        var response = await Run(original, Get(null));
        Assert.Null(response.Headers.Get(KnownHeader.ContentEncoding));
        Assert.Equal("Accept-Encoding", response.Headers.Get(KnownHeader.Vary));
        Assert.Same(original.Entity, response.Entity);
    }

    [Fact]
    public async Task Tiny_bodies_and_compressed_types_are_sent_as_they_are()
    {
        var tiny = HttpResponse.Text("hello");
        Assert.Same(tiny.Entity, (await Run(tiny, Get("gzip"))).Entity);
        var png = HttpResponse.Bytes(ByteString.FromBytes(new byte[10000]), new ContentType("image/png"));
        var pngResult = await Run(png, Get("gzip"));
        Assert.Same(png, pngResult);
        Assert.Null(pngResult.Headers.Get(KnownHeader.Vary));
    }

    [Fact]
    public async Task An_existing_vary_is_extended_and_a_strong_etag_becomes_weak()
    {
        var original = HttpResponse.Text(s_text).SetHeader("Vary", "Origin").SetHeader("ETag", "\"v1\"");
        var response = await Run(original, Get("gzip"));
        Assert.Equal("Origin, Accept-Encoding", response.Headers.Get(KnownHeader.Vary));
        Assert.Equal("W/\"v1\"", response.Headers.Get(KnownHeader.ETag));
    }

    [Fact]
    public async Task Async_handlers_are_compressed_too()
    {
        var handler = HttpHandlers.Wrap(
            async _ =>
            {
                await Task.Yield();
                return HttpResponse.Text(s_text);
            },
            new CompressionMiddleware());
        var response = await handler(Get("gzip"));
        Assert.Equal(Encoding.UTF8.GetBytes(s_text), Decompress(await Body(response), "gzip"));
    }
}
