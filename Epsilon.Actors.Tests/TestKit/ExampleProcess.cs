using System.Diagnostics;
using System.Text.RegularExpressions;

namespace Epsilon.Actors.Tests.TestKit;

/// <summary>
/// An example program (built next to the tests) run as its own process until it prints its
/// "listening on host:port" line. Dispose kills it.
/// </summary>
public sealed partial class ExampleProcess : IAsyncDisposable
{
    private readonly Process _process;

    private ExampleProcess(Process process, int port)
    {
        _process = process;
        Port = port;
    }

    public int Port { get; }

    public static async Task<ExampleProcess> StartAsync(string example, string arguments)
    {
        var configuration = new DirectoryInfo(Path.TrimEndingDirectorySeparator(AppContext.BaseDirectory)).Parent!.Name; // bin/<Configuration>/net10.0
        var dll = Path.Combine(ExternalTool.RepositoryRoot(), "examples", example, "bin", configuration, "net10.0", example + ".dll");
        if (!File.Exists(dll)) throw new InvalidOperationException($"build the example first: {dll} is missing");
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
                    ?? throw new InvalidOperationException($"{example} exited before listening: {await process.StandardError.ReadToEndAsync()}");
                var match = ListeningLine().Match(line);
                if (match.Success)
                {
                    // Keep draining its output so a chatty example never blocks on a full pipe.
                    _ = Task.Run(async () =>
                    {
                        while (await process.StandardOutput.ReadLineAsync() is not null)
                        {
                        }
                    });
                    return new ExampleProcess(process, int.Parse(match.Groups["port"].Value, System.Globalization.CultureInfo.InvariantCulture));
                }
            }
        }
        catch
        {
            process.Kill(entireProcessTree: true);
            process.Dispose();
            throw;
        }
    }

    /// <summary>Runs curl against the example; returns its standard output.</summary>
    public async Task<string> CurlAsync(string arguments)
    {
        var curl = ExternalTool.Require("curl", "curl");
        var (exitCode, output) = await ExternalTool.RunAsync(curl, $"-sS --max-time 20 {arguments}", "", TimeSpan.FromSeconds(30));
        if (exitCode != 0) throw new InvalidOperationException($"curl {arguments} exited with {exitCode}: {output}");
        return output;
    }

    public async ValueTask DisposeAsync()
    {
        _process.Kill(entireProcessTree: true);
        await _process.WaitForExitAsync();
        _process.Dispose();
    }

    [GeneratedRegex(@"listening on (?<host>[^\s]+):(?<port>\d+)")]
    private static partial Regex ListeningLine();
}
