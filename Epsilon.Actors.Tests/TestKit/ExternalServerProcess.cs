using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using System.Text;

namespace Epsilon.Actors.Tests.TestKit;

/// <summary>
/// A server program that is not ours (nginx, HAProxy …) run as this test's own child process: its
/// configuration is generated into a fresh temporary directory, it listens on a free loopback
/// port, and it is stopped by its PID (and the directory removed) when the test disposes it,
/// whether the test passed or not. Start it with <see cref="StartAsync"/>; it is ready once its
/// port accepts a TCP connection.
/// </summary>
public sealed class ExternalServerProcess : IAsyncDisposable
{
    private readonly Process _process;
    private readonly StringBuilder _output = new();

    private ExternalServerProcess(string name, Process process, string directory, int port)
    {
        Name = name;
        _process = process;
        Directory = directory;
        Port = port;
        process.OutputDataReceived += (_, e) => Append(e.Data);
        process.ErrorDataReceived += (_, e) => Append(e.Data);
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
    }

    /// <summary>A short name for messages (<c>nginx</c>, <c>haproxy</c>).</summary>
    public string Name { get; }

    /// <summary>The temporary directory holding the generated configuration, logs and pid files.</summary>
    public string Directory { get; }

    /// <summary>The loopback port the server listens on.</summary>
    public int Port { get; }

    /// <summary>The server's process id.</summary>
    public int Pid => _process.Id;

    /// <summary>A port that was free on 127.0.0.1 a moment ago (the kernel's choice for port 0).</summary>
    public static int FreeLoopbackPort()
    {
        using var probe = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
        probe.Bind(new IPEndPoint(IPAddress.Loopback, 0));
        return ((IPEndPoint)probe.LocalEndPoint!).Port;
    }

    /// <summary>
    /// Makes a temporary directory, asks <paramref name="configure"/> to write the configuration
    /// for a free loopback port into it and return the command-line arguments, starts
    /// <paramref name="executable"/> with them and waits until the port accepts a connection. A
    /// server that exits first (another process took the port in between) is retried on a new
    /// port, three times at most; then the failure carries the server's own output and logs.
    /// </summary>
    public static async Task<ExternalServerProcess> StartAsync(
        string name, string executable, Func<string, int, IReadOnlyList<string>> configure, TimeSpan timeout)
    {
        var deadline = DateTime.UtcNow + timeout;
        for (var attempt = 1; ; attempt++)
        {
            var directory = System.IO.Directory.CreateTempSubdirectory($"epsilon-{name}-").FullName;
            var port = FreeLoopbackPort();
            var info = new ProcessStartInfo(executable)
            {
                RedirectStandardOutput = true,
                RedirectStandardError = true,
                UseShellExecute = false,
                WorkingDirectory = directory,
            };
            foreach (var argument in configure(directory, port)) info.ArgumentList.Add(argument);
            var server = new ExternalServerProcess(name, Process.Start(info) ?? throw new InvalidOperationException("could not start " + executable), directory, port);
            try
            {
                await server.WaitUntilListeningAsync(deadline);
                return server;
            }
            catch (Exception) when (attempt < 3 && server._process.HasExited && DateTime.UtcNow < deadline)
            {
                await server.DisposeAsync();
            }
            catch
            {
                var diagnostics = server.Diagnostics();
                await server.DisposeAsync();
                throw new InvalidOperationException($"{name} did not start listening on 127.0.0.1:{port}. {diagnostics}");
            }
        }
    }

    /// <summary>What the server printed and what its log files in <see cref="Directory"/> say (for failure messages).</summary>
    public string Diagnostics()
    {
        var text = new StringBuilder($"{Name} (pid {Pid}, {(_process.HasExited ? "exited " + _process.ExitCode : "running")})");
        lock (_output)
        {
            if (_output.Length > 0) text.Append("; output: ").Append(Tail(_output.ToString()));
        }

        if (System.IO.Directory.Exists(Directory))
        {
            foreach (var log in System.IO.Directory.EnumerateFiles(Directory, "*.log"))
            {
                try
                {
                    text.Append("; ").Append(Path.GetFileName(log)).Append(": ").Append(Tail(File.ReadAllText(log)));
                }
                catch (IOException)
                {
                }
            }
        }

        return text.ToString();
    }

    /// <summary>Stops the server by its PID (SIGKILL), waits for it, and removes its directory.</summary>
    public async ValueTask DisposeAsync()
    {
        try
        {
            if (!_process.HasExited) _process.Kill(entireProcessTree: true);
            using var cts = new CancellationTokenSource(TimeSpan.FromSeconds(10));
            await _process.WaitForExitAsync(cts.Token);
        }
        catch (InvalidOperationException)
        {
        }
        catch (OperationCanceledException)
        {
        }
        finally
        {
            _process.Dispose();
            try
            {
                System.IO.Directory.Delete(Directory, recursive: true);
            }
            catch (IOException)
            {
            }
            catch (UnauthorizedAccessException)
            {
            }
        }
    }

    private async Task WaitUntilListeningAsync(DateTime deadline)
    {
        while (true)
        {
            if (_process.HasExited) throw new InvalidOperationException($"{Name} exited with {_process.ExitCode}");
            using var probe = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
            try
            {
                await probe.ConnectAsync(new IPEndPoint(IPAddress.Loopback, Port));
                // Someone answered; make sure it is this server and not another process that
                // holds the port (then this one fails to bind and exits at once).
                await Task.Delay(100);
                if (_process.HasExited) throw new InvalidOperationException($"{Name} exited with {_process.ExitCode}");
                return;
            }
            catch (SocketException) when (DateTime.UtcNow < deadline)
            {
                await Task.Delay(50);
            }
        }
    }

    private void Append(string? line)
    {
        if (line is null) return;
        lock (_output) _output.AppendLine(line);
    }

    private static string Tail(string text) => text.Length <= 2000 ? text.Trim() : "…" + text[^2000..].Trim();
}
