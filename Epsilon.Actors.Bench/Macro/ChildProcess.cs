using System.Diagnostics;
using System.Threading.Channels;

namespace Epsilon.Actors.Bench.Macro;

/// <summary>
/// One participant of a measurement (a server or the load generator): this same program started
/// again with other arguments, optionally pinned to one CPU with <c>taskset</c> from its first
/// instruction, speaking by lines on standard input and output.
/// </summary>
internal sealed class ChildProcess : IAsyncDisposable
{
    private readonly Process _process;
    private readonly Channel<string> _lines = Channel.CreateUnbounded<string>();
    private readonly List<string> _errors = [];

    private ChildProcess(Process process)
    {
        _process = process;
        _ = Task.Run(async () =>
        {
            while (await process.StandardOutput.ReadLineAsync() is { } line) await _lines.Writer.WriteAsync(line);
            _lines.Writer.TryComplete();
        });
        _ = Task.Run(async () =>
        {
            while (await process.StandardError.ReadLineAsync() is { } line)
            {
                lock (_errors) _errors.Add(line);
            }
        });
    }

    public int Pid => _process.Id;

    public DateTime StartTime { get; private init; }

    /// <summary>Starts this program with <paramref name="arguments"/>; <paramref name="cpu"/> pins it (null: unpinned).</summary>
    public static ChildProcess Start(IEnumerable<string> arguments, int? cpu)
    {
        var self = Environment.ProcessPath ?? throw new InvalidOperationException("no process path");
        var info = new ProcessStartInfo
        {
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        var prefix = new List<string>();
        if (cpu is { } c && File.Exists("/usr/bin/taskset"))
        {
            info.FileName = "/usr/bin/taskset";
            prefix.AddRange(["-c", c.ToString(System.Globalization.CultureInfo.InvariantCulture)]);
            prefix.Add(self);
        }
        else
        {
            info.FileName = self;
        }

        // A framework-dependent apphost or `dotnet Epsilon.Actors.Bench.dll`: run the dll the same way.
        if (Path.GetFileNameWithoutExtension(self) == "dotnet")
        {
            prefix.Add(typeof(ChildProcess).Assembly.Location);
        }

        foreach (var a in prefix) info.ArgumentList.Add(a);
        foreach (var a in arguments) info.ArgumentList.Add(a);
        var started = DateTime.UtcNow;
        var process = Process.Start(info) ?? throw new InvalidOperationException("could not start " + info.FileName);
        if (cpu is { } pin && info.FileName != "/usr/bin/taskset" && (OperatingSystem.IsLinux() || OperatingSystem.IsWindows()))
        {
            // No taskset: pin after the fact (threads the runtime already made keep their mask).
            process.ProcessorAffinity = (nint)(1L << pin);
        }

        return new ChildProcess(process) { StartTime = started };
    }

    /// <summary>The next line, or a failure carrying what the child printed on stderr.</summary>
    public async Task<string> ReadLineAsync(TimeSpan timeout)
    {
        using var cts = new CancellationTokenSource(timeout);
        try
        {
            if (await _lines.Reader.WaitToReadAsync(cts.Token) && _lines.Reader.TryRead(out var line)) return line;
        }
        catch (OperationCanceledException)
        {
            throw new TimeoutException($"no line from pid {Pid} within {timeout}. {Errors()}");
        }

        await _process.WaitForExitAsync();
        throw new InvalidOperationException($"pid {Pid} exited ({_process.ExitCode}). {Errors()}");
    }

    /// <summary>Reads lines until one starts with <paramref name="prefix"/>; returns it.</summary>
    public async Task<string> WaitForAsync(string prefix, TimeSpan timeout)
    {
        var deadline = DateTime.UtcNow + timeout;
        while (true)
        {
            var left = deadline - DateTime.UtcNow;
            var line = await ReadLineAsync(left > TimeSpan.Zero ? left : TimeSpan.FromMilliseconds(1));
            if (line.StartsWith(prefix, StringComparison.Ordinal)) return line;
        }
    }

    public Task SendLineAsync(string line) => _process.StandardInput.WriteLineAsync(line);

    private string Errors()
    {
        lock (_errors) return _errors.Count == 0 ? "" : "stderr: " + string.Join(" | ", _errors.TakeLast(8));
    }

    public async ValueTask DisposeAsync()
    {
        try
        {
            if (!_process.HasExited)
            {
                _process.StandardInput.Close(); // the child's cue to stop
                using var cts = new CancellationTokenSource(TimeSpan.FromSeconds(5));
                try
                {
                    await _process.WaitForExitAsync(cts.Token);
                }
                catch (OperationCanceledException)
                {
                    _process.Kill(entireProcessTree: true);
                    await _process.WaitForExitAsync();
                }
            }
        }
        finally
        {
            _process.Dispose();
        }
    }
}
