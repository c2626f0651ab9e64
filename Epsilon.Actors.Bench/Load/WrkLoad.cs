using System.Diagnostics;
using System.Globalization;

namespace Epsilon.Actors.Bench.Load;

/// <summary>
/// The HTTP scenarios' load generator: <c>wrk</c> (the Debian package), one thread, pinned to the
/// load CPU with <c>taskset</c> like the other load generators. A generated Lua script prints one
/// <c>RESULT key=value …</c> line when wrk is done (requests, seconds, bytes, errors, non-2xx,
/// p50/p99 latency in µs, and wrk's own CPU seconds from <c>/proc/self/stat</c>); with a pipeline
/// depth above 1 it sends that many GETs in one write (wrk's own pipelining idiom), and wrk then
/// records one latency per batch.
/// </summary>
internal sealed class WrkLoad : IDisposable
{
    private const string Summary = """
        local function cpu_seconds()
          local f = io.open("/proc/self/stat")
          if not f then return -1 end
          local s = f:read("*a")
          f:close()
          local fields = {}
          for w in s:match("%) (.*)$"):gmatch("%S+") do fields[#fields + 1] = w end
          return (tonumber(fields[12]) + tonumber(fields[13])) / 100
        end

        function done(summary, latency, requests)
          local e = summary.errors
          io.write(string.format("RESULT requests=%d seconds=%.6f bytes=%d errors=%d non2xx=%d p50=%.1f p99=%.1f loadcpu=%.2f\n",
            summary.requests, summary.duration / 1e6, summary.bytes, e.connect + e.read + e.write + e.timeout, e.status,
            latency:percentile(50), latency:percentile(99), cpu_seconds()))
        end
        """;

    private const string Pipeline = """
        init = function(args)
          local depth = tonumber(args[1]) or 1
          local r = {}
          for i = 1, depth do r[i] = wrk.format(nil) end
          req = table.concat(r)
        end

        request = function()
          return req
        end
        """;

    private readonly string _directory = Directory.CreateTempSubdirectory("epsilon-wrk-").FullName;

    public WrkLoad()
    {
        File.WriteAllText(Path.Combine(_directory, "summary.lua"), Summary);
        File.WriteAllText(Path.Combine(_directory, "pipeline.lua"), Summary + "\n" + Pipeline);
    }

    /// <summary>wrk's path, or a failure saying how to install it.</summary>
    public static string Executable() =>
        File.Exists("/usr/bin/wrk") ? "/usr/bin/wrk"
        : throw new InvalidOperationException("wrk is not installed; the HTTP scenarios need it: apt-get install -y wrk");

    /// <summary>Runs wrk for <paramref name="seconds"/> against <paramref name="url"/> (with <paramref name="headers"/>, each <c>-H</c>); returns its RESULT values.</summary>
    public async Task<Dictionary<string, double>> RunAsync(string url, int connections, double seconds, int pipelineDepth, int? cpu,
        IReadOnlyList<string>? headers = null)
    {
        var info = new ProcessStartInfo { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        var arguments = new List<string>();
        if (cpu is { } c && File.Exists("/usr/bin/taskset"))
        {
            info.FileName = "/usr/bin/taskset";
            arguments.AddRange(["-c", c.ToString(CultureInfo.InvariantCulture), Executable()]);
        }
        else
        {
            info.FileName = Executable();
        }

        var duration = Math.Max(1, (int)Math.Round(seconds)).ToString(CultureInfo.InvariantCulture) + "s";
        arguments.AddRange(["-t1", "-c" + connections.ToString(CultureInfo.InvariantCulture), "-d" + duration, "--timeout", "10s", "--latency",
            "-s", Path.Combine(_directory, pipelineDepth > 1 ? "pipeline.lua" : "summary.lua"), url]);
        foreach (var h in headers ?? []) arguments.InsertRange(arguments.Count - 1, ["-H", h]);
        if (pipelineDepth > 1) arguments.AddRange(["--", pipelineDepth.ToString(CultureInfo.InvariantCulture)]);
        foreach (var a in arguments) info.ArgumentList.Add(a);

        using var process = Process.Start(info) ?? throw new InvalidOperationException("could not start wrk");
        var output = process.StandardOutput.ReadToEndAsync();
        var errors = process.StandardError.ReadToEndAsync();
        using var cts = new CancellationTokenSource(TimeSpan.FromSeconds(seconds + 60));
        try
        {
            await process.WaitForExitAsync(cts.Token);
        }
        catch (OperationCanceledException)
        {
            process.Kill(entireProcessTree: true);
            throw new TimeoutException($"wrk did not finish: {await errors}");
        }

        var text = await output;
        var line = text.Split('\n').FirstOrDefault(l => l.StartsWith("RESULT ", StringComparison.Ordinal))
            ?? throw new InvalidOperationException($"wrk exited {process.ExitCode} without a result: {text.Trim()} {(await errors).Trim()}");
        var values = new Dictionary<string, double>();
        foreach (var part in line.Split(' ', StringSplitOptions.RemoveEmptyEntries).Skip(1))
        {
            var eq = part.IndexOf('=');
            values[part[..eq]] = double.Parse(part[(eq + 1)..], CultureInfo.InvariantCulture);
        }

        return values;
    }

    public void Dispose()
    {
        try
        {
            Directory.Delete(_directory, recursive: true);
        }
        catch (IOException)
        {
        }
    }
}
