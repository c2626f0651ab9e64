using Epsilon.Actors.Bench.Load;
using Epsilon.Actors.Bench.Peers;

namespace Epsilon.Actors.Bench.Macro;

/// <summary>
/// One HTTP measurement, shared by <c>http-plaintext</c> and <c>http-static</c>: start the peer
/// (its own pinned process), check that it answers the URL with the expected body, warm it up
/// with wrk, then run wrk for the window while sampling the server's CPU time from /proc.
/// </summary>
internal static class HttpMeasurement
{
    /// <summary>The warm-up: at least 2 s of full load, so tiered JIT reaches its final code on every peer.</summary>
    public static double WarmupSeconds(BenchOptions options) => options.Quick ? 1 : Math.Max(2, options.WarmupSeconds);

    public static async Task<Dictionary<string, double>> MeasureOnceAsync(
        PeerKind peer, BenchOptions options, WrkLoad wrk, string path, int expectedBodyLength, int connections, int pipelineDepth)
    {
        var (pid, port, handle) = await StartAsync(peer, options.Pinned);
        await using (handle)
        {
            var url = $"http://127.0.0.1:{port}{path}";
            using (var client = new HttpClient { Timeout = TimeSpan.FromSeconds(10) })
            {
                using var check = await client.GetAsync(url);
                var body = await check.Content.ReadAsByteArrayAsync();
                if (!check.IsSuccessStatusCode || body.Length != expectedBodyLength)
                    throw new InvalidOperationException($"GET {path} answered {(int)check.StatusCode} with {body.Length} bytes, not 200 with {expectedBodyLength}");
            }

            var loadCpu = options.Pinned ? Harness.LoadCpu : (int?)null;
            await wrk.RunAsync(url, connections, WarmupSeconds(options), pipelineDepth, loadCpu);
            var cpu0 = ProcStats.CpuSeconds(pid);
            var r = await wrk.RunAsync(url, connections, options.DurationSeconds, pipelineDepth, loadCpu);
            var cpu1 = ProcStats.CpuSeconds(pid);
            var requests = r["requests"];
            if (requests <= 0) throw new InvalidOperationException("no request completed in the window");
            if (r["non2xx"] > 0) throw new InvalidOperationException($"{r["non2xx"]} answers were not 2xx");
            if (r["errors"] > requests / 100) throw new InvalidOperationException($"{r["errors"]} socket errors or timeouts for {requests} requests");
            return new Dictionary<string, double>
            {
                ["rate"] = requests / r["seconds"],
                ["mbps"] = r["bytes"] / r["seconds"] / 1e6,
                // wrk's coordinated-omission correction can add samples below its recorded minimum,
                // which its percentile walk never reaches; it then reports 0 (seen with pipelining).
                ["p50"] = r["p50"] > 0 ? r["p50"] / 1000 : double.NaN,
                ["p99"] = r["p99"] > 0 ? r["p99"] / 1000 : double.NaN,
                ["cpu"] = (cpu1 - cpu0) / requests * 1e6,
                ["loadcpu"] = r["loadcpu"] / r["seconds"] * 100,
            };
        }
    }

    private static async Task<(int Pid, int Port, IAsyncDisposable Handle)> StartAsync(PeerKind peer, bool pinned)
    {
        if (peer == PeerKind.Nginx)
        {
            var nginx = await NginxPeer.StartAsync(pinned, HttpBenchContent.StaticRoot());
            return (nginx.Pid, nginx.Port, nginx);
        }

        var (server, port) = await Harness.StartServerAsync(peer, pinned);
        return (server.Pid, port, server);
    }

    /// <summary>Runs every case × round × peer, peers alternating within a round; one <see cref="Samples"/> per case.</summary>
    public static async Task<Samples[]> RunAsync(
        string scenario, BenchOptions options, IReadOnlyList<PeerKind> peers, Metric[] metrics,
        IReadOnlyList<(string Label, string Path, int BodyLength, int Connections, int Depth)> cases)
    {
        var samples = cases.Select(_ => new Samples(metrics)).ToArray();
        using var wrk = new WrkLoad();
        for (var c = 0; c < cases.Count; c++)
        {
            for (var round = 1; round <= options.Rounds; round++)
            {
                foreach (var peer in peers)
                {
                    Harness.Progress($"{scenario} {cases[c].Label}: round {round}/{options.Rounds}, {peer.Name()}");
                    try
                    {
                        samples[c].Add(peer, await MeasureOnceAsync(peer, options, wrk, cases[c].Path, cases[c].BodyLength, cases[c].Connections, cases[c].Depth));
                    }
                    catch (Exception ex)
                    {
                        Harness.Progress($"  {peer.Name()} failed: {ex.Message}");
                        samples[c].Fail(peer, ex.GetType().Name + ": " + ex.Message.Split('\n')[0]);
                    }
                }
            }
        }

        return samples;
    }
}
