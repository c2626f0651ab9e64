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
        new("heap", "managed heap KB/conn", "0.00", false),
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
                        // Baseline before the load generator exists: a settled, connection-free server.
                        await Task.Delay(500);
                        var heapBefore = await HeapAsync(server);
                        var before = ProcStats.RssBytes(server.Pid);
                        await using var load = Harness.StartLoad(["connections", "--port", Harness.I(port), "--connections", Harness.I(count)], options.Pinned);
                        var wait = TimeSpan.FromSeconds(180);
                        await load.WaitForAsync("IDLE", wait);
                        await Task.Delay(2000); // accepted connections finish registering
                        var heapAfter = await HeapAsync(server);
                        var after = ProcStats.RssBytes(server.Pid);
                        await load.SendLineAsync("GO");
                        var r = Harness.ParseResult(await load.WaitForAsync("RESULT", wait));
                        samples.Add(peer, new Dictionary<string, double>
                        {
                            ["connected"] = r["connections"],
                            ["connect"] = r["connect"],
                            ["rss"] = (after - before) / count / 1024,
                            ["heap"] = (heapAfter - heapBefore) / count / 1024,
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

        return $"### connections: {count:#,0} idle connections, then one echo each\n\n" +
            "RSS growth includes native socket buffers and memory the GC had already committed; the managed heap column is the live heap after a full collection.\n\n" +
            samples.ToMarkdown(options.Peers, PeerKind.EpsilonEpoll);
    }

    private static async Task<double> HeapAsync(ChildProcess server)
    {
        await server.SendLineAsync("HEAP");
        var parts = (await server.WaitForAsync("HEAP", TimeSpan.FromSeconds(30))).Split(' ');
        if (parts[2] != "-1") Harness.Progress($"  server holds {parts[2]} registered sockets");
        return double.Parse(parts[1], System.Globalization.CultureInfo.InvariantCulture);
    }
}
