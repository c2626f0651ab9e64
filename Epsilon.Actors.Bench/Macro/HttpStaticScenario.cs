using Epsilon.Actors.Bench.Peers;

namespace Epsilon.Actors.Bench.Macro;

/// <summary>
/// <c>http-static</c>: wrk (one thread, pinned) fetching one static file, 16 KiB and 1 MiB, at 64
/// connections (<c>--connections</c> changes it) from Epsilon's <c>HttpRoutes.Static</c>, Kestrel's
/// <c>UseStaticFiles</c> and nginx (<c>sendfile on</c>): requests/s, MB/s, p99, server CPU µs per request.
/// The files are random bytes written to a temporary directory that every server is given.
/// </summary>
internal sealed class HttpStaticScenario : IScenario
{
    private static readonly Metric[] s_metrics =
    [
        new("rate", "requests/s", "#,0", true),
        new("mbps", "MB/s", "#,0", true),
        new("p50", "p50 ms", "0.00", false),
        new("p99", "p99 ms", "0.00", false),
        new("cpu", "server CPU µs/req", "0.0", false),
        new("loadcpu", "wrk CPU %", "0", false),
    ];

    public string Name => "http-static";

    public string Description => "wrk GET of a 16 KiB and a 1 MiB static file at 64 connections: requests/s, MB/s, p99, server CPU per request (epsilon-http, kestrel-http, nginx)";

    public async Task<string> RunAsync(BenchOptions options)
    {
        var peers = ReferenceEquals(options.Peers, PeerNames.All) ? PeerNames.Http : options.Peers;
        var root = Directory.CreateTempSubdirectory("epsilon-bench-static-").FullName;
        var previous = Environment.GetEnvironmentVariable(HttpBenchContent.StaticRootVariable);
        try
        {
            (string Name, int Size)[] files = [("16k.bin", 16 * 1024), ("1m.bin", 1024 * 1024)];
            foreach (var (name, size) in files)
            {
                var bytes = new byte[size];
                new Random(size).NextBytes(bytes);
                await File.WriteAllBytesAsync(Path.Combine(root, name), bytes);
            }

            // The servers are children of this process and inherit the variable.
            Environment.SetEnvironmentVariable(HttpBenchContent.StaticRootVariable, root);
            var counts = options.Connections ?? [64];
            var cases = files.SelectMany(f => counts.Select(n => ($"{f.Name} ({f.Size / 1024} KiB), {n} connections", "/static/" + f.Name, f.Size, n, 1))).ToArray();
            var samples = await HttpMeasurement.RunAsync(Name, options, peers, s_metrics, cases);
            var report = new System.Text.StringBuilder();
            for (var i = 0; i < cases.Length; i++)
            {
                report.AppendLine($"### http-static, {cases[i].Item1}, {(options.Pinned ? "server on CPU 0, wrk on CPU 1" : "unpinned")}");
                report.AppendLine();
                report.AppendLine(samples[i].ToMarkdown(peers, PeerKind.EpsilonHttp));
            }

            return report.ToString();
        }
        finally
        {
            Environment.SetEnvironmentVariable(HttpBenchContent.StaticRootVariable, previous);
            Directory.Delete(root, recursive: true);
        }
    }
}
