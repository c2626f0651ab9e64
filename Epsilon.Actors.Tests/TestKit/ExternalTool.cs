using System.Diagnostics;

namespace Epsilon.Actors.Tests.TestKit;

/// <summary>
/// Runs interop peers (nc, and later curl, openssl …) as real processes. A missing tool fails the
/// test loudly, naming the package that provides it: it never skips.
/// </summary>
public static class ExternalTool
{
    /// <summary>The full path of <paramref name="tool"/>, or a failure naming the Debian package to install.</summary>
    public static string Require(string tool, string debianPackage)
    {
        foreach (var dir in (Environment.GetEnvironmentVariable("PATH") ?? "").Split(Path.PathSeparator))
        {
            var candidate = Path.Combine(dir, tool);
            if (File.Exists(candidate)) return candidate;
        }

        throw new InvalidOperationException(
            $"'{tool}' is not installed; this interop test needs it. Install it with: apt-get install -y {debianPackage} (scripts/test.sh does this).");
    }

    /// <summary>Runs a process to completion with <paramref name="stdin"/> as its input; returns its standard output.</summary>
    public static async Task<(int ExitCode, string Output)> RunAsync(string file, string arguments, string stdin, TimeSpan timeout)
    {
        var (exitCode, output, _) = await RunCapturingAsync(file, arguments, stdin, timeout);
        return (exitCode, output);
    }

    /// <summary>
    /// Runs a process to completion with <paramref name="stdin"/> as its input; returns its exit code,
    /// standard output and standard error (both read as they come, so neither pipe can fill and
    /// stall the process). Past <paramref name="timeout"/> the process is killed and a
    /// <see cref="TimeoutException"/> carries what it had printed.
    /// </summary>
    public static async Task<(int ExitCode, string Output, string Error)> RunCapturingAsync(string file, string arguments, string stdin, TimeSpan timeout)
    {
        var info = new ProcessStartInfo(file, arguments)
        {
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        using var process = Process.Start(info) ?? throw new InvalidOperationException($"could not start {file}");
        await process.StandardInput.WriteAsync(stdin);
        process.StandardInput.Close();
        var output = process.StandardOutput.ReadToEndAsync();
        var error = process.StandardError.ReadToEndAsync();
        using var cts = new CancellationTokenSource(timeout);
        try
        {
            await process.WaitForExitAsync(cts.Token);
        }
        catch (OperationCanceledException)
        {
            process.Kill(entireProcessTree: true);
            throw new TimeoutException($"{file} {arguments} did not finish within {timeout}: {await output}");
        }

        return (process.ExitCode, await output, await error);
    }

    /// <summary>The repository root (the folder holding Epsilon.sln).</summary>
    public static string RepositoryRoot()
    {
        var dir = new DirectoryInfo(AppContext.BaseDirectory);
        while (dir is not null && !File.Exists(Path.Combine(dir.FullName, "Epsilon.sln"))) dir = dir.Parent;
        return dir?.FullName ?? throw new InvalidOperationException("Epsilon.sln not found above " + AppContext.BaseDirectory);
    }
}
