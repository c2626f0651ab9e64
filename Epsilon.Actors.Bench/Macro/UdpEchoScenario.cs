using Epsilon.Actors.Bench.Peers;

namespace Epsilon.Actors.Bench.Macro;

/// <summary>
/// <c>udp-echo</c>: N connected UDP sockets, each keeping a window of 64-byte datagrams in flight
/// to an echo server: datagrams/s, server CPU µs per datagram, loss, and the load generator's CPU.
/// The Akka.IO peers run the same documented echo actor over Akka's <c>Udp()</c> and Epsilon's.
/// </summary>
internal sealed class UdpEchoScenario : IScenario
{
    private const int Window = 8;

    private static readonly Metric[] s_metrics =
    [
        new("rate", "datagrams/s", "#,0", true),
        new("cpu", "server CPU µs/datagram", "0.00", false),
        new("loss", "loss %", "0.000", false),
        new("loadcpu", "load gen CPU %", "0", false),
    ];

    public string Name => "udp-echo";

    public string Description => "windowed 64-byte UDP echo from 16 sockets: datagrams/s, server CPU per datagram, loss";

    public async Task<string> RunAsync(BenchOptions options)
    {
        // --peers applies when it names UDP peers; otherwise every UDP peer runs.
        var peers = options.Peers.Where(PeerNames.Udp.Contains).ToArray();
        if (peers.Length == 0) peers = PeerNames.Udp;
        var report = new System.Text.StringBuilder();
        foreach (var sockets in options.Connections ?? [16])
        {
            var samples = new Samples(s_metrics);
            for (var round = 1; round <= options.Rounds; round++)
            {
                foreach (var peer in peers)
                {
                    Harness.Progress($"udp-echo {sockets} sockets: round {round}/{options.Rounds}, {peer.Name()}");
                    try
                    {
                        samples.Add(peer, await MeasureOnceAsync(peer, sockets, options));
                    }
                    catch (Exception ex)
                    {
                        Harness.Progress($"  {peer.Name()} failed: {ex.Message}");
                        samples.Fail(peer, ex.GetType().Name + ": " + ex.Message.Split('\n')[0]);
                    }
                }
            }

            report.AppendLine($"### udp-echo, {sockets} sockets × {Window} datagrams in flight, 64 bytes, {(options.Pinned ? "server on CPU 0, load generator on CPU 1" : "unpinned")}");
            report.AppendLine();
            report.AppendLine(samples.ToMarkdown(peers, PeerKind.EpsilonUdp));
        }

        return report.ToString();
    }

    private static async Task<Dictionary<string, double>> MeasureOnceAsync(PeerKind peer, int sockets, BenchOptions options)
    {
        var (r, serverCpu) = await Harness.MeasureWindowAsync(peer,
            ["udp", "--sockets", Harness.I(sockets), "--window", Harness.I(Window), "--size", "64",
             "--warmup", Harness.I(options.WarmupSeconds), "--duration", Harness.I(options.DurationSeconds)],
            options.Pinned, TimeSpan.FromSeconds(60 + options.WarmupSeconds + options.DurationSeconds));
        var messages = r["messages"];
        if (messages <= 0) throw new InvalidOperationException("no datagram came back in the window");
        return new Dictionary<string, double>
        {
            ["rate"] = messages / r["seconds"],
            ["cpu"] = serverCpu / messages * 1e6,
            ["loss"] = r["sent"] > 0 ? r["lost"] / r["sent"] * 100 : 0,
            ["loadcpu"] = r["loadcpu"] / r["seconds"] * 100,
        };
    }
}
