using System.Diagnostics;
using System.Text.RegularExpressions;
using Epsilon.Actors.Tests.TestKit;
using Xunit;

namespace Epsilon.Actors.Tests.Conformance;

/// <summary>The EchoServer example, run as its own process, answers a plain <c>nc</c>.</summary>
[Trait("Category", "Conformance")]
public sealed partial class EchoServerExampleTests
{
    [GeneratedRegex(@"listening on (?<host>[^\s]+):(?<port>\d+)")]
    private static partial Regex ListeningLine();

    [Fact]
    public async Task Example_echo_server_answers_netcat()
    {
        var nc = ExternalTool.Require("nc", "netcat-openbsd");
        var configuration = new DirectoryInfo(Path.TrimEndingDirectorySeparator(AppContext.BaseDirectory)).Parent!.Name; // bin/<Configuration>/net10.0
        var dll = Path.Combine(ExternalTool.RepositoryRoot(), "examples", "EchoServer", "bin", configuration, "net10.0", "EchoServer.dll");
        Assert.True(File.Exists(dll), $"build the example first: {dll} is missing");

        using var server = Process.Start(new ProcessStartInfo("dotnet", $"\"{dll}\" --port 0")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        })!;
        try
        {
            string? port = null;
            using var cts = new CancellationTokenSource(TimeSpan.FromSeconds(30));
            while (port is null)
            {
                var line = await server.StandardOutput.ReadLineAsync(cts.Token) ?? throw new InvalidOperationException("the example exited before listening");
                var match = ListeningLine().Match(line);
                if (match.Success) port = match.Groups["port"].Value;
            }

            // nc sends its input and half-closes; the example echoes it all, then closes.
            var (exitCode, output) = await ExternalTool.RunAsync(nc, $"-q 5 127.0.0.1 {port}", "hello from netcat\nsecond line\n", TimeSpan.FromSeconds(20));
            Assert.Equal(0, exitCode);
            Assert.Equal("hello from netcat\nsecond line\n", output);
        }
        finally
        {
            server.Kill(entireProcessTree: true);
            await server.WaitForExitAsync();
        }
    }
}
