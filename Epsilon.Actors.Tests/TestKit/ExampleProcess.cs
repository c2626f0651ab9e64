using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Text.RegularExpressions;
using Xunit;

namespace Epsilon.Actors.Tests.TestKit;

/// <summary>
/// One of the repository's examples, started as its own process from its build output (the test
/// project references every example, so it is built with the tests) and run until disposed. The
/// examples print <c>listening on HOST:PORT</c> once they serve; <see cref="StartAsync"/> waits for
/// that line, so pass <c>--port 0</c> and read <see cref="Port"/>.
/// </summary>
internal sealed partial class ExampleProcess : IAsyncDisposable
{
    private readonly Process _process;

    private ExampleProcess(Process process, string dll, int port)
    {
        _process = process;
        Dll = dll;
        Port = port;
    }

    /// <summary>The example's assembly, for running it again in another mode.</summary>
    public string Dll { get; }

    /// <summary>The port the example said it listens on.</summary>
    public int Port { get; }

    /// <summary>127.0.0.1 and <see cref="Port"/>.</summary>
    public IPEndPoint EndPoint => new(IPAddress.Loopback, Port);

    [GeneratedRegex(@"listening on (?<host>[^\s]+):(?<port>\d+)")]
    private static partial Regex ListeningLine();

    /// <summary>The build output of <c>examples/<paramref name="name"/></c>, in the tests' own configuration.</summary>
    public static string DllOf(string name)
    {
        var configuration = new DirectoryInfo(Path.TrimEndingDirectorySeparator(AppContext.BaseDirectory)).Parent!.Name; // bin/<Configuration>/net10.0
        var dll = Path.Combine(ExternalTool.RepositoryRoot(), "examples", name, "bin", configuration, "net10.0", name + ".dll");
        Assert.True(File.Exists(dll), $"build the example first: {dll} is missing");
        return dll;
    }

    /// <summary>Starts <c>examples/<paramref name="name"/></c> with <paramref name="arguments"/> and waits (30 s at most) until it listens.</summary>
    public static async Task<ExampleProcess> StartAsync(string name, string arguments)
    {
        var dll = DllOf(name);
        var process = Process.Start(new ProcessStartInfo("dotnet", $"\"{dll}\" {arguments}")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        })!;
        try
        {
            using var cts = new CancellationTokenSource(TimeSpan.FromSeconds(30));
            while (true)
            {
                var line = await process.StandardOutput.ReadLineAsync(cts.Token)
                           ?? throw new InvalidOperationException($"{name} exited before listening: {await process.StandardError.ReadToEndAsync(cts.Token)}");
                var match = ListeningLine().Match(line);
                if (match.Success) return new ExampleProcess(process, dll, int.Parse(match.Groups["port"].Value, CultureInfo.InvariantCulture));
            }
        }
        catch
        {
            await StopAsync(process);
            throw;
        }
    }

    /// <summary>Runs <c>examples/<paramref name="name"/></c> to its end (30 s at most), for the modes that exit by themselves (<c>--help</c>, bad arguments).</summary>
    public static Task<(int ExitCode, string Output, string Error)> RunAsync(string name, string arguments) =>
        ExternalTool.RunCapturingAsync("dotnet", $"\"{DllOf(name)}\" {arguments}", "", TimeSpan.FromSeconds(30));

    /// <summary>Sends the example <paramref name="signal"/> (<c>INT</c>, <c>TERM</c>) and returns its exit code and how long it took to exit (at most <paramref name="timeout"/>).</summary>
    public async Task<(int ExitCode, TimeSpan Took)> SignalAndWaitAsync(string signal, TimeSpan timeout)
    {
        var watch = Stopwatch.StartNew();
        using (var kill = Process.Start(new ProcessStartInfo("kill", $"-s {signal} {_process.Id}") { UseShellExecute = false })!)
        {
            await kill.WaitForExitAsync();
        }

        using var cts = new CancellationTokenSource(timeout);
        try
        {
            await _process.WaitForExitAsync(cts.Token);
        }
        catch (OperationCanceledException)
        {
            throw new TimeoutException($"the example did not exit within {timeout} of SIG{signal}");
        }

        return (_process.ExitCode, watch.Elapsed);
    }

    /// <summary>Everything the example wrote to standard output after its listening line (once it has exited).</summary>
    public Task<string> RestOfOutputAsync() => _process.StandardOutput.ReadToEndAsync();

    /// <summary>Ends the example (and anything it started) and waits for it.</summary>
    public async ValueTask DisposeAsync() => await StopAsync(_process);

    private static async Task StopAsync(Process process)
    {
        using (process)
        {
            if (!process.HasExited) process.Kill(entireProcessTree: true);
            await process.WaitForExitAsync();
        }
    }
}
