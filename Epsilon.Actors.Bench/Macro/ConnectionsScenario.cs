using Epsilon.Actors.Bench.Peers;

namespace Epsilon.Actors.Bench.Macro;

/// <summary>
/// <c>connections</c>: a storm of 10,000 simultaneous connects from 4 source addresses
/// (127.0.0.2–5, every connect issued at once): time until all are established, server memory per
/// idle connection 3 s later, then one exchange on each (a 64-byte echo, or for the HTTP peers one
/// keep-alive <c>GET /plaintext</c>), its time, and the memory per connection 3 s after the answers.
/// </summary>
internal sealed class ConnectionsScenario : IScenario
{
    private const int Sources = 4;
    private static readonly TimeSpan s_settle = TimeSpan.FromSeconds(3);

    private static readonly Metric[] s_metrics =
    [
        new("connected", "connections", "#,0", true),
        new("connect", "all established s", "0.00", false),
        new("cpu", "server CPU µs/conn", "0.0", false),
        new("rss", "idle RSS KB/conn", "0.00", false),
        new("heap", "idle heap KB/conn", "0.00", false),
        new("exchange", "one exchange on all s", "0.00", false),
        new("rss-after", "RSS KB/conn after it", "0.00", false),
    ];

    public string Name => "connections";

    public string Description => "10,000 simultaneous connects (echo and HTTP peers): time to all established, memory per idle connection";

    public async Task<string> RunAsync(BenchOptions options)
    {
        var count = options.Connections?.FirstOrDefault() ?? (options.Quick ? 2000 : 10_000);
        var peers = ReferenceEquals(options.Peers, PeerNames.All) ? [.. PeerNames.All, PeerKind.EpsilonHttp, PeerKind.KestrelHttp] : options.Peers;
        var samples = new Samples(s_metrics);
        // One storm per peer and round; `all` runs one round (nine peers, each with its warm-up) to
        // stay within its time budget, --rounds 2 or more gives two.
        var rounds = options.Rounds >= 2 && !ReferenceEquals(options.Peers, PeerNames.All) ? 2 : 1;
        for (var round = 1; round <= rounds; round++)
        {
            foreach (var peer in peers)
            {
                Harness.Progress($"connections {count}: round {round}/{rounds}, {peer.Name()}");
                try
                {
                    samples.Add(peer, await MeasureAsync(peer, count, options.Quick ? 0 : 2, options.Pinned));
                }
                catch (Exception ex)
                {
                    Harness.Progress($"  {peer.Name()} failed: {ex.Message}");
                    samples.Fail(peer, ex.GetType().Name + ": " + ex.Message.Split('\n')[0]);
                }
            }
        }

        var echo = peers.Where(p => !IsHttp(p)).ToArray();
        var http = peers.Where(IsHttp).ToArray();
        var report = new System.Text.StringBuilder();
        report.AppendLine($"### connections: {count:#,0} simultaneous connects from {Sources} source addresses, then one exchange on each");
        report.AppendLine();
        report.AppendLine("All connects are issued at once from one thread (no bound on handshakes in flight); \"all established\" is the load generator's time from " +
                          "the first connect to the last completed one, so SYNs dropped at a full backlog show as 1–3 s retransmits. Server CPU per connection is the server's user + system time from the first connect until the idle reading, i.e. accepting and setting up each connection. RSS is read 3 s after the last " +
                          "connect (and 3 s after the last answer) against a baseline before the load generator starts; the heap column is the live managed heap after " +
                          "a full collection. Kestrel's backlog is set to 4096, Epsilon's `min-backlog`. Workstation GC for every server. " +
                          "Each server first takes two warm-up storms of 1,000 connections with their exchange, 1 s apart and closed 2 s before the baseline, so its per-connection code is " +
                          "JIT-compiled to tier 1 as a running server's is (not with `--quick`, which measures a cold server).");
        report.AppendLine();
        if (echo.Length > 0)
        {
            report.AppendLine("Echo servers (the exchange is a 64-byte echo):");
            report.AppendLine();
            report.AppendLine(samples.ToMarkdown(echo, echo.Contains(PeerKind.EpsilonEpoll) ? PeerKind.EpsilonEpoll : echo[0]));
        }

        if (http.Length > 0)
        {
            report.AppendLine("HTTP servers (the exchange is one keep-alive `GET /plaintext`):");
            report.AppendLine();
            report.AppendLine(samples.ToMarkdown(http, http.Contains(PeerKind.EpsilonHttp) ? PeerKind.EpsilonHttp : http[0]));
        }

        return report.ToString();
    }

    private static bool IsHttp(PeerKind peer) => peer is PeerKind.EpsilonHttp or PeerKind.KestrelHttp;

    private static async Task<Dictionary<string, double>> MeasureAsync(PeerKind peer, int count, int warmups, bool pinned)
    {
        var (server, port) = await Harness.StartServerAsync(peer, pinned);
        await using (server)
        {
            var wait = TimeSpan.FromSeconds(180);
            await using var load = Harness.StartLoad(["connections", "--port", Harness.I(port), "--connections", Harness.I(count),
                "--sources", Harness.I(Sources), "--storm", "yes", "--protocol", IsHttp(peer) ? "http" : "echo", "--warmups", Harness.I(warmups)], pinned);
            if (warmups > 0) await load.WaitForAsync("WARM", wait);

            // Baseline: a settled server with no connection (the warm-up's are closed).
            await Task.Delay(warmups > 0 ? 2000 : 500);
            var heapBefore = await HeapAsync(server);
            var before = ProcStats.RssBytes(server.Pid);
            var cpu0 = ProcStats.CpuSeconds(server.Pid);
            if (warmups > 0) await load.SendLineAsync("GO");
            await load.WaitForAsync("IDLE", wait);
            await Task.Delay(s_settle);
            var idle = ProcStats.RssBytes(server.Pid);
            var cpu1 = ProcStats.CpuSeconds(server.Pid);
            var heapIdle = await HeapAsync(server);
            await load.SendLineAsync("GO");
            await load.WaitForAsync("ANSWERED", wait);
            await Task.Delay(s_settle);
            var answered = ProcStats.RssBytes(server.Pid);
            await load.SendLineAsync("DONE");
            var r = Harness.ParseResult(await load.WaitForAsync("RESULT", wait));
            return new Dictionary<string, double>
            {
                ["connected"] = r["connections"],
                ["connect"] = r["connect"],
                ["cpu"] = (cpu1 - cpu0) / count * 1e6,
                ["rss"] = (idle - before) / count / 1024,
                ["heap"] = (heapIdle - heapBefore) / count / 1024,
                ["exchange"] = r["exchange"],
                ["rss-after"] = (answered - before) / count / 1024,
            };
        }
    }

    private static async Task<double> HeapAsync(ChildProcess server)
    {
        await server.SendLineAsync("HEAP");
        var parts = (await server.WaitForAsync("HEAP", TimeSpan.FromSeconds(30))).Split(' ');
        if (parts[2] != "-1") Harness.Progress($"  server holds {parts[2]} registered sockets");
        return double.Parse(parts[1], System.Globalization.CultureInfo.InvariantCulture);
    }
}
