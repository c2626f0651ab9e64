using Epsilon.Actors.Bench.Peers;

namespace Epsilon.Actors.Bench.Macro;

/// <summary>
/// <c>tcp-echo</c>: closed loop, 64-byte messages, at 1, 64 and 1,000 connections: messages/s,
/// p50/p99 round trip, server CPU µs per message, and the load generator's own CPU use.
/// </summary>
internal sealed class TcpEchoScenario : IScenario
{
    private static readonly Metric[] s_metrics =
    [
        new("rate", "msgs/s", "#,0", true),
        new("p50", "p50 µs", "0.0", false),
        new("p99", "p99 µs", "0.0", false),
        new("cpu", "server CPU µs/msg", "0.00", false),
        new("loadcpu", "load gen CPU %", "0", false),
    ];

    public string Name => "tcp-echo";

    public string Description => "closed-loop 64-byte echo at 1, 64 and 1,000 connections: msgs/s, p50/p99, server CPU per message";

    public async Task<string> RunAsync(BenchOptions options)
    {
        var counts = options.Connections ?? (options.Quick ? [1, 64] : [1, 64, 1000]);
        var report = new System.Text.StringBuilder();
        foreach (var connections in counts)
        {
            var samples = await MeasureAsync(options, connections);
            report.AppendLine($"### tcp-echo, {connections} connection{(connections == 1 ? "" : "s")}, {(options.Pinned ? "server on CPU 0, load generator on CPU 1" : "unpinned")}");
            report.AppendLine();
            report.AppendLine(samples.ToMarkdown(options.Peers, PeerKind.EpsilonEpoll));
        }

        if (options.Pinned && options.Connections is null)
        {
            // One unpinned run too: the scheduler free to place server and load generator anywhere.
            var unpinned = options with { Pinned = false };
            var samples = await MeasureAsync(unpinned, 64);
            report.AppendLine("### tcp-echo, 64 connections, unpinned");
            report.AppendLine();
            report.AppendLine(samples.ToMarkdown(options.Peers, PeerKind.EpsilonEpoll));
        }

        return report.ToString();
    }

    public static async Task<Samples> MeasureAsync(BenchOptions options, int connections)
    {
        var samples = new Samples(s_metrics);
        for (var round = 1; round <= options.Rounds; round++)
        {
            foreach (var peer in options.Peers)
            {
                Harness.Progress($"tcp-echo {connections} conns{(options.Pinned ? "" : " unpinned")}: round {round}/{options.Rounds}, {peer.Name()}");
                try
                {
                    samples.Add(peer, await MeasureOnceAsync(peer, connections, options));
                }
                catch (Exception ex)
                {
                    Harness.Progress($"  {peer.Name()} failed: {ex.Message}");
                    samples.Fail(peer, ex.GetType().Name + ": " + ex.Message.Split('\n')[0]);
                }
            }
        }

        return samples;
    }

    private static async Task<Dictionary<string, double>> MeasureOnceAsync(PeerKind peer, int connections, BenchOptions options)
    {
        var (r, serverCpu) = await Harness.MeasureWindowAsync(peer,
            ["echo", "--connections", Harness.I(connections), "--size", "64",
             "--warmup", Harness.I(options.WarmupSeconds), "--duration", Harness.I(options.DurationSeconds)],
            options.Pinned, TimeSpan.FromSeconds(120 + options.WarmupSeconds + options.DurationSeconds));
        var messages = r["messages"];
        if (messages <= 0) throw new InvalidOperationException("no message completed in the window");
        return new Dictionary<string, double>
        {
            ["rate"] = messages / r["seconds"],
            ["p50"] = r["p50"],
            ["p99"] = r["p99"],
            ["cpu"] = serverCpu / messages * 1e6,
            ["loadcpu"] = r["loadcpu"] / r["seconds"] * 100,
        };
    }
}
