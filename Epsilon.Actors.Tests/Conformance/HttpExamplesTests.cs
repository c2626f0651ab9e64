using Epsilon.Actors.Tests.TestKit;
using Xunit;

namespace Epsilon.Actors.Tests.Conformance;

/// <summary>The HelloHttp and StaticFiles examples, run as their own processes, answer curl.</summary>
[Trait("Category", "Conformance")]
public sealed class HttpExamplesTests
{
    private static async Task<string> Curl(string arguments)
    {
        var curl = ExternalTool.Require("curl", "curl");
        var (exitCode, output) = await ExternalTool.RunAsync(curl, $"-sS --max-time 20 {arguments}", "", TimeSpan.FromSeconds(30));
        Assert.True(exitCode == 0, $"curl {arguments} exited with {exitCode}: {output}");
        return output;
    }

    [Fact]
    public async Task HelloHttp_answers_hello_the_api_the_webhook_and_assets()
    {
        await using var example = await ExampleProcess.StartAsync("HelloHttp", "--port 0 --host 127.0.0.1");
        var root = $"http://127.0.0.1:{example.Port}";
        Assert.Equal("Hello, World!", await Curl(root + "/"));
        Assert.Equal("""{"path":"users/7"}""", await Curl(root + "/api/users/7"));
        // Serialized, not interpolated: a quote in the path stays valid JSON (issue 10).
        var quoted = System.Text.Json.JsonDocument.Parse(await Curl($"--globoff {root}/api/a\\\"b"));
        Assert.Equal("a\"b", quoted.RootElement.GetProperty("path").GetString());
        Assert.Equal("""{"received":10}""", await Curl($"-H Content-Type:application/x-www-form-urlencoded -d event=push {root}/webhook"));
        Assert.Contains("Hello from Epsilon.Actors.Http", await Curl(root + "/assets/"));
        Assert.Contains("font-family", await Curl(root + "/assets/site.css"));
        Assert.Equal("404", await Curl($"-o /dev/null -w %{{http_code}} {root}/missing"));
    }

    [Fact]
    public async Task StaticFiles_serves_a_directory_with_ranges()
    {
        var dir = Directory.CreateTempSubdirectory("epsilon-static-");
        try
        {
            await File.WriteAllTextAsync(Path.Combine(dir.FullName, "notes.txt"), "0123456789abcdefghij");
            await using var example = await ExampleProcess.StartAsync("StaticFiles", $"--port 0 --host 127.0.0.1 --root {dir.FullName}");
            var root = $"http://127.0.0.1:{example.Port}";
            Assert.Equal("0123456789abcdefghij", await Curl(root + "/notes.txt"));
            Assert.Equal("abcde", await Curl($"-r 10-14 {root}/notes.txt"));
        }
        finally
        {
            dir.Delete(recursive: true);
        }
    }
}
