using Epsilon.Actors.Bench.Peers;

namespace Epsilon.Actors.Bench.Macro;

/// <summary>
/// <c>connections</c>: 10,000 concurrent idle connections from 16 source addresses, then one echo on
/// each: time to connect all, server memory growth per idle connection, time to echo on all.
/// </summary>
internal sealed class ConnectionsScenario : IScenario
{
    private static readonly Metric[] s_metrics =
    [
        new("connected", "connections", "#,0", true),
        new("connect", "connect all s", "0.00", false),
        new("rss", "server RSS KB/conn", "0.00", false),
        new("echo", "echo on all s", "0.00", false),
    ];

    public string Name => "connections";

    public string Description => "10,000 idle connections, then one echo on each: memory per connection, time to accept";

    public async Task<string> RunAsync(BenchOptions options)
    {
        var count = options.Connections?.FirstOrDefault() ?? (options.Quick ? 2000 : 10_000);
        var samples = new Samples(s_metrics);
        var rounds = Math.Min(options.Rounds, 2);
        for (var round = 1; round <= rounds; round++)
        {
            foreach (var peer in options.Peers)
            {
                Harness.Progress($"connections {count}: round {round}/{rounds}, {peer.Name()}");
                try
                {
                    var (server, port) = await Harness.StartServerAsync(peer, options.Pinned);
                    await using (server)
                    {
                        await using var load = Harness.StartLoad(["connections", "--port", Harness.I(port), "--connections", Harness.I(count)], options.Pinned);
                        var wait = TimeSpan.FromSeconds(180);
                        await Task.Delay(500); // let the freshly started server settle before the baseline
                        await load.WaitForAsync("CONNECTING", wait);
                        var before = ProcStats.RssBytes(server.Pid);
                        await load.WaitForAsync("IDLE", wait);
                        await Task.Delay(2000); // accepted connections finish registering
                        var after = ProcStats.RssBytes(server.Pid);
                        await load.SendLineAsync("GO");
                        var r = Harness.ParseResult(await load.WaitForAsync("RESULT", wait));
                        samples.Add(peer, new Dictionary<string, double>
                        {
                            ["connected"] = r["connections"],
                            ["connect"] = r["connect"],
                            ["rss"] = (after - before) / count / 1024,
                            ["echo"] = r["echo"],
                        });
                    }
                }
                catch (Exception ex)
                {
                    Harness.Progress($"  {peer.Name()} failed: {ex.Message}");
                    samples.Fail(peer, ex.GetType().Name + ": " + ex.Message.Split('\n')[0]);
                }
            }
        }

        return $"### connections: {count:#,0} idle connections, then one echo each\n\n" + samples.ToMarkdown(options.Peers, PeerKind.EpsilonEpoll);
    }
}
