using System.Net;
using System.Net.Sockets;
using Epsilon.Actors.Tests.TestKit;
using Xunit;

namespace Epsilon.Actors.Tests.Conformance;

/// <summary>
/// What a new user meets first (issue 10): each example, run as its own process, explains its
/// options on <c>--help</c>, refuses a bad command line with one line and exit code 2, refuses a
/// port in use with one line naming it and exit code 1, and stops promptly on SIGINT.
/// </summary>
[Trait("Category", "Conformance")]
public sealed class ExamplesCommandLineTests
{
    public static TheoryData<string> Examples() => ["EchoServer", "HelloHttp", "HelloHttps", "LineProtocol", "StaticFiles"];

    [Theory]
    [MemberData(nameof(Examples))]
    public async Task Help_prints_the_options_and_exits_0(string example)
    {
        var (exit, output, error) = await ExampleProcess.RunAsync(example, "--help");
        Assert.True(exit == 0, $"{example} --help exited {exit}: {error}");
        Assert.Contains("--port <port>", output, StringComparison.Ordinal);
        Assert.Contains("--host <host>", output, StringComparison.Ordinal);
        Assert.Contains("Usage:", output, StringComparison.Ordinal);
    }

    [Theory]
    [MemberData(nameof(Examples))]
    public async Task A_bad_command_line_prints_one_line_and_exits_2(string example)
    {
        foreach (var arguments in new[] { "--port abc", "--port", "--port 70000", "--no-such-flag" })
        {
            var (exit, output, error) = await ExampleProcess.RunAsync(example, arguments);
            Assert.True(exit == 2, $"{example} {arguments} exited {exit}: {output} {error}");
            Assert.Equal("", output);
            var line = Assert.Single(error.Split('\n', StringSplitOptions.RemoveEmptyEntries));
            Assert.Contains("--", line, StringComparison.Ordinal);
            Assert.DoesNotContain("   at ", line, StringComparison.Ordinal);
        }
    }

    [Theory]
    [MemberData(nameof(Examples))]
    public async Task A_port_in_use_prints_one_line_naming_it_and_exits_1(string example)
    {
        using var taken = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
        taken.Bind(new IPEndPoint(IPAddress.Loopback, 0));
        taken.Listen();
        var port = ((IPEndPoint)taken.LocalEndPoint!).Port;

        var watch = System.Diagnostics.Stopwatch.StartNew();
        var (exit, output, error) = await ExampleProcess.RunAsync(example, $"--host 127.0.0.1 --port {port}");
        Assert.True(exit == 1, $"{example} on a taken port exited {exit}: {output} {error}");
        Assert.True(watch.Elapsed < TimeSpan.FromSeconds(8), $"{example} took {watch.Elapsed} to give up (EchoServer took 10 s, waiting for its own actor)");
        var line = Assert.Single(error.Split('\n', StringSplitOptions.RemoveEmptyEntries));
        Assert.Contains($"{port}", line, StringComparison.Ordinal);
        Assert.Contains("in use", line, StringComparison.OrdinalIgnoreCase);
    }

    [Theory]
    [MemberData(nameof(Examples))]
    public async Task SIGINT_stops_the_example_within_5_seconds_with_exit_code_0(string example)
    {
        await using var process = await ExampleProcess.StartAsync(example, "--port 0");
        var (exit, took) = await process.SignalAndWaitAsync("INT", TimeSpan.FromSeconds(20));
        Assert.Equal(0, exit);
        Assert.True(took < TimeSpan.FromSeconds(5), $"{example} took {took} to exit");
    }

    [Fact]
    public async Task LineProtocol_client_exits_when_its_input_ends()
    {
        await using var server = await ExampleProcess.StartAsync("LineProtocol", "--port 0");
        var (exit, output, error) = await ExternalTool.RunCapturingAsync(
            "dotnet", $"\"{server.Dll}\" --connect 127.0.0.1:{server.Port}", "PING\nUPPER hi\n", TimeSpan.FromSeconds(30));
        Assert.True(exit == 0, $"client exited {exit}: {error}");
        Assert.Equal("PONG\nHI\n", output);
    }
}
