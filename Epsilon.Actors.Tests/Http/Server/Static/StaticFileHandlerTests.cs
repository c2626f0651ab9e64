using Akka.IO;
using Akka.Streams;
using Akka.Streams.Dsl;
using Akka.Streams.TestKit;
using Epsilon.Actors.Http.Model;
using Epsilon.Actors.Http.Server;
using Epsilon.Actors.Http.Server.Routing;
using Epsilon.Actors.Http.Server.Static;
using Xunit;
using HttpMethod = Epsilon.Actors.Http.Model.HttpMethod;

namespace Epsilon.Actors.Tests.Http.Server.Static;

[Trait("Category", "Unit")]
public sealed class StaticFileHandlerTests : Akka.TestKit.Xunit2.TestKit, IDisposable
{
    private const int ChunkSize = 16 * 1024;
    private readonly TempWebRoot _web = new();
    private readonly IMaterializer _materializer;
    private readonly byte[] _big;
    private readonly HttpHandler _handler;

    public StaticFileHandlerTests()
        : base("akka.loglevel = WARNING")
    {
        _materializer = Sys.Materializer();
        _big = new byte[300 * 1024 + 123];
        new Random(42).NextBytes(_big);
        _web.Write("big.bin", _big);
        _web.Write("index.html", "<h1>home</h1>");
        _web.Write("docs/index.html", "<h1>docs</h1>");
        _web.Write("style.css", "body { color: red }");
        _web.Write("empty.txt", "");
        _web.Write("data.unknownext", "??");
        _web.Write(".git/config", "[core]");
        _web.WriteOutside("secret.txt", "top secret");
        _handler = new HttpRoutes()
            .Static("/assets", _web.Root, new StaticFileOptions { ChunkSize = ChunkSize, CacheControl = "public, max-age=60" })
            .Static("/strict", _web.Root, new StaticFileOptions { ServeUnknownFileTypes = false, IndexFile = null });
    }

    void IDisposable.Dispose()
    {
        _web.Dispose();
        Dispose();
    }

    private Task<HttpResponse> Get(string target, params (string, string)[] headers) =>
        _handler(new HttpRequest(HttpMethod.Get, target, HttpHeaders.Of(headers))).AsTask();

    private async Task<byte[]> BodyOf(HttpResponse response) =>
        (await response.Entity.ToStrictAsync(10 * 1024 * 1024, TimeSpan.FromSeconds(20), _materializer)).Data.ToArray();

    [Fact]
    public async Task Serves_a_file_with_type_validators_and_cache_control()
    {
        var response = await Get("/assets/style.css");
        Assert.Equal(200, response.StatusCode.Code);
        Assert.Equal("text/css; charset=utf-8", response.Entity.ContentType!.Value);
        Assert.Equal(19, response.Entity.ContentLength);
        Assert.Matches("^\"[0-9a-f]+-[0-9a-f]+\"$", response.Headers.Get(KnownHeader.ETag));
        Assert.EndsWith("GMT", response.Headers.Get(KnownHeader.LastModified));
        Assert.Equal("public, max-age=60", response.Headers.Get(KnownHeader.CacheControl));
        Assert.Equal("bytes", response.Headers.Get(KnownHeader.AcceptRanges));
        Assert.Equal("body { color: red }"u8.ToArray(), await BodyOf(response));
    }

    [Fact]
    public async Task Streams_a_large_file_in_chunks_of_the_configured_size()
    {
        var response = await Get("/assets/big.bin");
        var entity = Assert.IsType<HttpEntity.Streamed>(response.Entity);
        Assert.Equal(_big.Length, entity.ContentLength);
        var chunks = await entity.DataBytes.RunWith(Sink.Seq<ByteString>(), _materializer);
        Assert.True(chunks.Count >= _big.Length / ChunkSize, $"{chunks.Count} chunks");
        Assert.All(chunks, c => Assert.True(c.Count <= ChunkSize));
        Assert.Equal(_big, chunks.Aggregate(ByteString.Empty, (a, b) => a.Concat(b)).ToArray());
    }

    [Fact]
    public async Task The_file_body_is_delivered_only_as_the_consumer_requests_it()
    {
        var response = await Get("/assets/big.bin");
        var probe = response.Entity.DataBytes.RunWith(this.SinkProbe<ByteString>(), _materializer);
        probe.Request(1);
        Assert.Equal(_big.AsSpan(0, ChunkSize).ToArray(), probe.ExpectNext(TimeSpan.FromSeconds(10)).ToArray());
        probe.ExpectNoMsg(TimeSpan.FromMilliseconds(300));
        probe.Request(2);
        probe.ExpectNext(TimeSpan.FromSeconds(10));
        probe.ExpectNext(TimeSpan.FromSeconds(10));
        probe.ExpectNoMsg(TimeSpan.FromMilliseconds(200));
        probe.Cancel();
    }

    [Fact]
    public async Task If_none_match_and_if_modified_since_answer_304_with_validators()
    {
        var first = await Get("/assets/style.css");
        var etag = first.Headers.Get(KnownHeader.ETag)!;
        var lastModified = first.Headers.Get(KnownHeader.LastModified)!;
        var byTag = await Get("/assets/style.css", ("If-None-Match", etag));
        Assert.Equal(304, byTag.StatusCode.Code);
        Assert.Equal(etag, byTag.Headers.Get(KnownHeader.ETag));
        Assert.True(byTag.Entity.IsKnownEmpty);
        Assert.Equal(304, (await Get("/assets/style.css", ("If-Modified-Since", lastModified))).StatusCode.Code);
        Assert.Equal(200, (await Get("/assets/style.css", ("If-None-Match", "\"stale\""))).StatusCode.Code);
        Assert.Equal(412, (await Get("/assets/style.css", ("If-Match", "\"stale\""))).StatusCode.Code);
    }

    [Theory]
    [InlineData("bytes=0-99", 0, 100)]
    [InlineData("bytes=20000-40000", 20000, 20001)]
    [InlineData("bytes=-500", -500, 500)]
    [InlineData("bytes=307000-", 307000, 307323 - 307000)]
    public async Task A_single_range_is_206_with_exactly_those_bytes(string range, int start, int length)
    {
        var from = start < 0 ? _big.Length + start : start;
        var response = await Get("/assets/big.bin", ("Range", range));
        Assert.Equal(206, response.StatusCode.Code);
        Assert.Equal($"bytes {from}-{from + length - 1}/{_big.Length}", response.Headers.Get(KnownHeader.ContentRange));
        Assert.Equal(length, response.Entity.ContentLength);
        Assert.Equal(_big.AsSpan(from, length).ToArray(), await BodyOf(response));
    }

    [Theory]
    [InlineData(null, 0, 307323, false)]
    [InlineData("bytes=100-16483", 100, ChunkSize, true)]
    [InlineData("bytes=100-16484", 100, ChunkSize + 1, false)]
    public async Task A_body_of_at_most_one_chunk_is_strict_and_a_larger_one_streamed(string? range, int start, int length, bool strict)
    {
        var response = range is null ? await Get("/assets/big.bin") : await Get("/assets/big.bin", ("Range", range));
        Assert.Equal(strict, response.Entity is HttpEntity.Strict);
        Assert.Equal(length, response.Entity.ContentLength);
        Assert.Equal(_big.AsSpan(start, length).ToArray(), await BodyOf(response));
        var small = await Get("/assets/style.css");
        Assert.IsType<HttpEntity.Strict>(small.Entity);
        Assert.Equal("body { color: red }"u8.ToArray(), await BodyOf(small));
        var head = await _handler(new HttpRequest(HttpMethod.Head, "/assets/style.css"));
        Assert.IsNotType<HttpEntity.Strict>(head.Entity);
        Assert.Equal(19, head.Entity.ContentLength);
    }

    [Fact]
    public async Task An_unsatisfiable_range_is_416_with_the_length()
    {
        var response = await Get("/assets/big.bin", ("Range", "bytes=999999-"));
        Assert.Equal(416, response.StatusCode.Code);
        Assert.Equal($"bytes */{_big.Length}", response.Headers.Get(KnownHeader.ContentRange));
    }

    [Fact]
    public async Task Several_ranges_or_a_stale_if_range_serve_the_whole_file()
    {
        var multi = await Get("/assets/big.bin", ("Range", "bytes=0-9,100-109"));
        Assert.Equal(200, multi.StatusCode.Code);
        Assert.Equal(_big.Length, multi.Entity.ContentLength);
        var stale = await Get("/assets/big.bin", ("Range", "bytes=0-9"), ("If-Range", "\"stale\""));
        Assert.Equal(200, stale.StatusCode.Code);
        var etag = multi.Headers.Get(KnownHeader.ETag)!;
        Assert.Equal(206, (await Get("/assets/big.bin", ("Range", "bytes=0-9"), ("If-Range", etag))).StatusCode.Code);
    }

    [Fact]
    public async Task Head_gets_the_headers_and_length_and_ignores_range()
    {
        var response = await _handler(new HttpRequest(HttpMethod.Head, "/assets/big.bin", HttpHeaders.Of(("Range", "bytes=0-9"))));
        Assert.Equal(200, response.StatusCode.Code);
        Assert.Equal(_big.Length, response.Entity.ContentLength);
        Assert.NotNull(response.Headers.Get(KnownHeader.ETag));
    }

    [Theory]
    [InlineData("/assets/%2e%2e/outside/secret.txt", 400)]
    [InlineData("/assets/..%2Foutside%2Fsecret.txt", 400)]
    [InlineData("/assets/..%5Coutside%5Csecret.txt", 400)]
    [InlineData("/assets/%2Fetc%2Fpasswd", 400)]
    [InlineData("/assets/.git/config", 404)]
    [InlineData("/assets/missing.css", 404)]
    [InlineData("/strict/data.unknownext", 404)]
    public async Task Refuses_what_must_not_be_served(string target, int status) =>
        Assert.Equal(status, (await Get(target)).StatusCode.Code);

    [Fact]
    public async Task A_symlink_out_of_the_root_is_404()
    {
        _web.Link("leak.txt", Path.Combine(_web.Outside, "secret.txt"));
        Assert.Equal(404, (await Get("/assets/leak.txt")).StatusCode.Code);
    }

    [Fact]
    public async Task Unknown_types_are_octet_stream_by_default()
    {
        var response = await Get("/assets/data.unknownext");
        Assert.Same(ContentType.ApplicationOctetStream, response.Entity.ContentType);
    }

    [Fact]
    public async Task Directories_redirect_to_their_slash_form_and_serve_the_index()
    {
        var redirect = await Get("/assets/docs?x=1");
        Assert.Equal(301, redirect.StatusCode.Code);
        Assert.Equal("/assets/docs/?x=1", redirect.Headers.Get(KnownHeader.Location));
        var index = await Get("/assets/docs/");
        Assert.Equal("<h1>docs</h1>"u8.ToArray(), await BodyOf(index));
        Assert.Equal("<h1>home</h1>"u8.ToArray(), await BodyOf(await Get("/assets/")));
        Assert.Equal(404, (await Get("/strict/docs/")).StatusCode.Code);
    }

    [Fact]
    public async Task An_empty_file_is_an_empty_200()
    {
        var response = await Get("/assets/empty.txt");
        Assert.Equal(200, response.StatusCode.Code);
        Assert.True(response.Entity.IsKnownEmpty);
    }

    [Fact]
    public async Task Other_methods_on_static_paths_are_405()
    {
        var response = await _handler(new HttpRequest(HttpMethod.Post, "/assets/style.css"));
        Assert.Equal(405, response.StatusCode.Code);
        Assert.Equal("GET, HEAD, OPTIONS", response.Headers.Get(KnownHeader.Allow));
    }
}
