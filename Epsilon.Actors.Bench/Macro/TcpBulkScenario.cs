using Epsilon.Actors.Bench.Peers;

namespace Epsilon.Actors.Bench.Macro;

/// <summary><c>tcp-bulk</c>: one connection, 1 GiB each way through the echo: GB/s and server CPU per GiB.</summary>
internal sealed class TcpBulkScenario : IScenario
{
    private static readonly Metric[] s_metrics =
    [
        new("gbps", "GB/s each way", "0.00", true),
        new("cpu", "server CPU s/GiB", "0.00", false),
    ];

    public string Name => "tcp-bulk";

    public string Description => "one connection, 1 GiB each way through the echo: GB/s";

    public async Task<string> RunAsync(BenchOptions options)
    {
        var bytes = options.Quick ? 128L << 20 : 1L << 30;
        var samples = new Samples(s_metrics);
        for (var round = 1; round <= options.Rounds; round++)
        {
            foreach (var peer in options.Peers)
            {
                Harness.Progress($"tcp-bulk: round {round}/{options.Rounds}, {peer.Name()}");
                try
                {
                    var (r, serverCpu) = await Harness.MeasureWindowAsync(peer, ["bulk", "--bytes", Harness.I(bytes)], options.Pinned, TimeSpan.FromSeconds(180));
                    samples.Add(peer, new Dictionary<string, double>
                    {
                        ["gbps"] = r["bytes"] / r["seconds"] / 1e9,
                        ["cpu"] = serverCpu / (r["bytes"] / (1L << 30)),
                    });
                }
                catch (Exception ex)
                {
                    Harness.Progress($"  {peer.Name()} failed: {ex.Message}");
                    samples.Fail(peer, ex.GetType().Name + ": " + ex.Message.Split('\n')[0]);
                }
            }
        }

        return $"### tcp-bulk, one connection, {bytes >> 20} MiB each way\n\n" + samples.ToMarkdown(options.Peers, PeerKind.EpsilonEpoll);
    }
}
