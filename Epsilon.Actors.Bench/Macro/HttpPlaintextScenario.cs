using Epsilon.Actors.Bench.Peers;

namespace Epsilon.Actors.Bench.Macro;

/// <summary>
/// <c>http-plaintext</c>: wrk (one thread, pinned to the load CPU) against <c>GET /plaintext</c>
/// (a 13-byte <c>Hello, World!</c>) at 64 and 256 connections, and at 256 connections with 16
/// requests pipelined per write: requests/s, p50/p99 latency, server CPU µs per request, and wrk's
/// own CPU. Peers: epsilon-http, kestrel-http (minimal API), nginx (<c>return 200</c>, one process).
/// </summary>
internal sealed class HttpPlaintextScenario : IScenario
{
    private static readonly Metric[] s_metrics =
    [
        new("rate", "requests/s", "#,0", true),
        new("p50", "p50 ms", "0.00", false),
        new("p99", "p99 ms", "0.00", false),
        new("cpu", "server CPU µs/req", "0.00", false),
        new("loadcpu", "wrk CPU %", "0", false),
    ];

    public string Name => "http-plaintext";

    public string Description => "wrk GET /plaintext (13 bytes) at 64, 256 and 256×16 pipelined: requests/s, p99, server CPU per request (epsilon-http, kestrel-http, nginx)";

    public async Task<string> RunAsync(BenchOptions options)
    {
        var peers = ReferenceEquals(options.Peers, PeerNames.All) ? PeerNames.Http : options.Peers;
        var counts = options.Connections ?? [64, 256];
        var cases = counts.Select(n => ($"{n} connections", "/plaintext", HttpBenchContent.PlaintextBody.Length, n, 1))
            .Append(($"{counts[^1]} connections, 16 pipelined", "/plaintext", HttpBenchContent.PlaintextBody.Length, counts[^1], 16))
            .ToArray();
        var samples = await HttpMeasurement.RunAsync(Name, options, peers, s_metrics, cases);
        var report = new System.Text.StringBuilder();
        for (var i = 0; i < cases.Length; i++)
        {
            report.AppendLine($"### http-plaintext, {cases[i].Item1}, {(options.Pinned ? "server on CPU 0, wrk on CPU 1" : "unpinned")}");
            report.AppendLine();
            report.AppendLine(samples[i].ToMarkdown(peers, PeerKind.EpsilonHttp));
        }

        return report.ToString();
    }
}
