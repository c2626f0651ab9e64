using Epsilon.Actors.Tests.Http.Http1.Parsing;
using Epsilon.Actors.Tests.TestKit;
using Xunit;

namespace Epsilon.Actors.Tests.Http.Http1.Interop;

/// <summary>The pure HTTP/1.1 core behind <see cref="BlockingHttp1Server"/> against curl (an independent client).</summary>
[Trait("Category", "Conformance")]
public sealed class Http1CoreCurlTests
{
    private static readonly TimeSpan s_timeout = TimeSpan.FromSeconds(30);

    private static TestResponse Echo(RecordedRequest r) =>
        TestResponse.Text($"[{r.MethodToken} {r.Target} {r.Head!.Value.Framing} {r.BodyText}]");

    private static Task<(int ExitCode, string Output)> Curl(string arguments, string stdin = "") =>
        ExternalTool.RunAsync(ExternalTool.Require("curl", "curl"), "--http1.1 --silent --show-error " + arguments, stdin, s_timeout);

    [Fact]
    public async Task Curl_fetches_two_urls_over_one_kept_alive_connection()
    {
        using var server = new BlockingHttp1Server(Echo);
        var (exit, output) = await Curl($"http://127.0.0.1:{server.Port}/a http://127.0.0.1:{server.Port}/b?x=1");
        Assert.Equal(0, exit);
        Assert.Equal("[GET /a None ][GET /b?x=1 None ]", output);
        Assert.Equal(1, server.ConnectionsAccepted);
    }

    [Fact]
    public async Task Curl_uploads_a_chunked_body_from_stdin()
    {
        using var server = new BlockingHttp1Server(Echo);
        var (exit, output) = await Curl($"-H \"Transfer-Encoding: chunked\" --data-binary @- http://127.0.0.1:{server.Port}/up", "hello curl");
        Assert.Equal(0, exit);
        Assert.Equal("[POST /up Chunked hello curl]", output);
    }

    [Fact]
    public async Task Curl_HEAD_sees_the_length_and_a_valid_date()
    {
        using var server = new BlockingHttp1Server(_ => TestResponse.Text("Hello, World!"));
        var (exit, output) = await Curl($"--head http://127.0.0.1:{server.Port}/");
        Assert.Equal(0, exit);
        Assert.StartsWith("HTTP/1.1 200 OK\r\n", output);
        Assert.Contains("Content-Length: 13\r\n", output);
        var date = output.Split("\r\n").Single(l => l.StartsWith("Date: ", StringComparison.Ordinal))[6..];
        Assert.True(DateTimeOffset.TryParseExact(date, "r", System.Globalization.CultureInfo.InvariantCulture, System.Globalization.DateTimeStyles.None, out var parsed));
        Assert.InRange(parsed, DateTimeOffset.UtcNow.AddMinutes(-5), DateTimeOffset.UtcNow.AddMinutes(5));
    }

    [Fact]
    public async Task Curl_reports_the_rejection_of_a_smuggling_attempt()
    {
        using var server = new BlockingHttp1Server(Echo);
        var (exit, output) = await Curl($"--include -H \"Content-Length: 3\" -H \"Transfer-Encoding: chunked\" --data-binary @- http://127.0.0.1:{server.Port}/", "abc");
        Assert.Equal(0, exit);
        Assert.StartsWith("HTTP/1.1 400 Bad Request\r\n", output);
    }
}
