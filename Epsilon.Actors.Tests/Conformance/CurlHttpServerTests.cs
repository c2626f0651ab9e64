using System.Diagnostics;
using System.Text.RegularExpressions;
using Epsilon.Actors.Http.Model;
using Epsilon.Actors.Http.Server.Routing;
using Epsilon.Actors.Tests.TestKit;
using Xunit;

namespace Epsilon.Actors.Tests.Conformance;

/// <summary>The HTTP server answers curl: methods, bodies, chunked uploads, HTTP/1.0, HEAD, ranges and conditional requests.</summary>
[Trait("Category", "Conformance")]
public sealed partial class CurlHttpServerTests : IAsyncLifetime
{
    private readonly DirectoryInfo _files = Directory.CreateTempSubdirectory("epsilon-curl-");
    private LoopbackHttpServer _server = null!;

    private string Root => $"http://127.0.0.1:{_server.Port}";

    public async Task InitializeAsync()
    {
        await File.WriteAllTextAsync(Path.Combine(_files.FullName, "file.txt"), "0123456789abcdefghijklmnopqrstuvwxyz");
        var routes = new HttpRoutes()
            .Get("/", _ => HttpResponse.Text("Hello, World!"))
            .Post("/echo", async req =>
            {
                var body = await req.Entity.ToStrictAsync(10 << 20, TimeSpan.FromSeconds(20), _server.Materializer);
                var framing = req.Entity is HttpEntity.Strict ? "strict" : req.Entity.ContentLength is null ? "chunked" : "streamed";
                return HttpResponse.Text($"{req.Protocol} {framing} {body.Data.Count}: {body.ToText()[..Math.Min(20, body.Data.Count)]}");
            })
            // The response's body IS the request's (a streamed echo).
            .Post("/echo-stream", req => new HttpResponse(StatusCode.OK, null, req.Entity))
            .Static("/static", _files.FullName);
        _server = await LoopbackHttpServer.StartAsync(routes);
    }

    public async Task DisposeAsync()
    {
        await _server.DisposeAsync();
        _files.Delete(recursive: true);
    }

    [Fact]
    public async Task GET() => Assert.Equal("Hello, World!", await Curl($"{Root}/"));

    [Fact]
    public async Task POST_with_data() =>
        Assert.Equal("Http11 strict 11: hello world", await Curl($"-d 'hello world' {Root}/echo"));

    [Fact]
    public async Task POST_chunked_upload()
    {
        var upload = Path.Combine(_files.FullName, "upload.bin");
        await File.WriteAllTextAsync(upload, string.Concat(Enumerable.Repeat("chunky!", 100_000)));
        var answer = await Curl($"-H 'Transfer-Encoding: chunked' --data-binary @{upload} {Root}/echo");
        Assert.Equal("Http11 chunked 700000: chunky!chunky!chunky", answer);
    }

    [Fact]
    public async Task Expect_100_continue_with_a_streamed_echo_gets_100_at_once_and_keeps_the_connection()
    {
        var upload = Path.Combine(_files.FullName, "expect.txt");
        var content = string.Concat(Enumerable.Range(0, 20_000).Select(i => $"line {i}\n"));
        await File.WriteAllTextAsync(upload, content);
        var watch = Stopwatch.StartNew();
        // Two requests in one curl run: the second reuses the connection if the server kept it.
        var answer = await Curl($"-v -H 'Expect: 100-continue' --expect100-timeout 10 --data-binary @{upload} {Root}/echo-stream {Root}/echo-stream", stderrToo: true);
        watch.Stop();
        Assert.Equal(2, Regex.Matches(answer, "< HTTP/1.1 100 Continue").Count);
        Assert.Equal(2, Regex.Matches(answer, "< HTTP/1.1 200 OK").Count);
        Assert.Contains("Re-using existing connection", answer);
        Assert.Equal(2, answer.Split("line 19999\n").Length - 1);
        // Without the 100, curl waits its 10 s expect timeout once per request.
        Assert.True(watch.Elapsed < TimeSpan.FromSeconds(8), $"took {watch.Elapsed}");
    }

    [Fact]
    public async Task HTTP_2_prior_knowledge_is_refused_at_once_while_HTTP_2_is_not_served()
    {
        var curl = ExternalTool.Require("curl", "curl");
        var (exitCode, output, error) = await ExternalTool.RunCapturingAsync(curl, $"-sS --max-time 20 --http2-prior-knowledge {Root}/", "", TimeSpan.FromSeconds(30));
        // The server answers the preface with an HTTP/1.1 505 and closes; curl, expecting HTTP/2 frames, fails.
        Assert.NotEqual(0, exitCode);
        Assert.NotEqual(28, exitCode);
        Assert.DoesNotContain("Hello", output);
        Assert.NotEmpty(error);
        Assert.Equal("Hello, World!", await Curl($"{Root}/"));
    }

    [Fact]
    public async Task HTTP_1_0_request()
    {
        var answer = await Curl($"--http1.0 -i {Root}/");
        Assert.StartsWith("HTTP/1.1 200 OK", answer);
        Assert.Contains("Connection: close", answer);
        Assert.EndsWith("Hello, World!", answer);
        Assert.Equal("Http10 strict 4: ping", await Curl($"--http1.0 -d ping {Root}/echo"));
    }

    [Fact]
    public async Task HEAD_has_headers_only()
    {
        var answer = await Curl($"-I {Root}/");
        Assert.StartsWith("HTTP/1.1 200 OK", answer);
        Assert.Contains("Content-Length: 13", answer);
        Assert.DoesNotContain("Hello", answer);
    }

    [Fact]
    public async Task Static_file_with_Range_and_If_None_Match()
    {
        Assert.Equal("abcde", await Curl($"-r 10-14 {Root}/static/file.txt"));
        Assert.Equal("206", await Curl($"-r 10-14 -o /dev/null -w '%{{http_code}}' {Root}/static/file.txt"));

        var head = await Curl($"-i {Root}/static/file.txt");
        var etag = ETagLine().Match(head).Groups["tag"].Value;
        Assert.NotEmpty(etag);
        Assert.Equal("304", await Curl($"-H 'If-None-Match: {etag}' -o /dev/null -w '%{{http_code}}' {Root}/static/file.txt"));
        Assert.Equal("200", await Curl($"-H 'If-None-Match: \"other\"' -o /dev/null -w '%{{http_code}}' {Root}/static/file.txt"));
    }

    [Fact]
    public async Task Many_requests_on_one_connection()
    {
        // curl reuses its connection for several URLs on one command line.
        var answer = await Curl($"-v {Root}/ {Root}/ {Root}/", stderrToo: true);
        Assert.Contains("Re-using existing connection", answer, StringComparison.OrdinalIgnoreCase);
        Assert.Equal(1, _server.Binding.ConnectionsAccepted);
    }

    private static async Task<string> Curl(string arguments, bool stderrToo = false)
    {
        var curl = ExternalTool.Require("curl", "curl");
        var (exitCode, output) = await ExternalTool.RunAsync("/bin/sh", $"-c \"{curl} -sS --max-time 20 {arguments.Replace("\"", "\\\"")}{(stderrToo ? " 2>&1" : "")}\"", "", TimeSpan.FromSeconds(30));
        Assert.True(exitCode == 0, $"curl {arguments} exited with {exitCode}: {output}");
        return output;
    }

    [GeneratedRegex("""ETag: (?<tag>"[^"]+")""", RegexOptions.IgnoreCase)]
    private static partial Regex ETagLine();
}
