using Epsilon.Actors.Bench.Load;
using Epsilon.Actors.Bench.Peers;

namespace Epsilon.Actors.Bench.Macro;

/// <summary>
/// The HTTP measurements, shared by <c>http-plaintext</c> and <c>http-static</c>. Per round and
/// peer: start the peer (its own pinned process), check that it answers every case's URL with
/// the expected body, warm it up under full wrk load (<see cref="WarmupSeconds"/>), then per case
/// one more second of load and the measured window, sampling the server's CPU time from /proc.
/// </summary>
internal static class HttpMeasurement
{
    /// <summary>
    /// The warm-up: 8 s of full load by default (<c>--warmup</c> raises it). A server pinned to one
    /// busy CPU compiles its tier-1 code slowly: Epsilon (JIT-compiled, unlike the ReadyToRun
    /// shared framework Kestrel runs from) was still at 0.5× its final rate after 4 s of load.
    /// </summary>
    public static double WarmupSeconds(BenchOptions options) => options.Quick ? 2 : Math.Max(8, options.WarmupSeconds);

    /// <summary>Runs round × peer × case, peers alternating within a round; one <see cref="Samples"/> per case.</summary>
    public static async Task<Samples[]> RunAsync(
        string scenario, BenchOptions options, IReadOnlyList<PeerKind> peers, Metric[] metrics,
        IReadOnlyList<(string Label, string Path, int BodyLength, int Connections, int Depth)> cases)
    {
        var samples = cases.Select(_ => new Samples(metrics)).ToArray();
        using var wrk = new WrkLoad();
        var loadCpu = options.Pinned ? Harness.LoadCpu : (int?)null;
        for (var round = 1; round <= options.Rounds; round++)
        {
            foreach (var peer in peers)
            {
                Harness.Progress($"{scenario}: round {round}/{options.Rounds}, {peer.Name()}");
                int pid, port;
                IAsyncDisposable handle;
                try
                {
                    (pid, port, handle) = await StartAsync(peer, options.Pinned);
                }
                catch (Exception ex)
                {
                    Harness.Progress($"  {peer.Name()} failed to start: {ex.Message}");
                    foreach (var s in samples) s.Fail(peer, ex.GetType().Name + ": " + ex.Message.Split('\n')[0]);
                    continue;
                }

                await using (handle)
                {
                    var url = $"http://127.0.0.1:{port}";
                    try
                    {
                        foreach (var c in cases.DistinctBy(c => c.Path)) await CheckAsync(url + c.Path, c.BodyLength);
                        await wrk.RunAsync(url + cases[0].Path, cases[0].Connections, WarmupSeconds(options), 1, loadCpu);
                    }
                    catch (Exception ex)
                    {
                        Harness.Progress($"  {peer.Name()} failed: {ex.Message}");
                        foreach (var s in samples) s.Fail(peer, ex.GetType().Name + ": " + ex.Message.Split('\n')[0]);
                        continue;
                    }

                    for (var i = 0; i < cases.Count; i++)
                    {
                        try
                        {
                            samples[i].Add(peer, await MeasureOnceAsync(wrk, pid, url + cases[i].Path, cases[i].Connections, cases[i].Depth, options.DurationSeconds, loadCpu));
                        }
                        catch (Exception ex)
                        {
                            Harness.Progress($"  {peer.Name()} {cases[i].Label} failed: {ex.Message}");
                            samples[i].Fail(peer, ex.GetType().Name + ": " + ex.Message.Split('\n')[0]);
                        }
                    }
                }
            }
        }

        return samples;
    }

    private static async Task CheckAsync(string url, int expectedBodyLength)
    {
        using var client = new HttpClient { Timeout = TimeSpan.FromSeconds(10) };
        using var check = await client.GetAsync(url);
        var body = await check.Content.ReadAsByteArrayAsync();
        if (!check.IsSuccessStatusCode || body.Length != expectedBodyLength)
            throw new InvalidOperationException($"GET {url} answered {(int)check.StatusCode} with {body.Length} bytes, not 200 with {expectedBodyLength}");
    }

    private static async Task<Dictionary<string, double>> MeasureOnceAsync(WrkLoad wrk, int pid, string url, int connections, int depth, double seconds, int? loadCpu)
    {
        await wrk.RunAsync(url, connections, 1, depth, loadCpu); // this case's connections and depth, once
        var cpu0 = ProcStats.CpuSeconds(pid);
        var r = await wrk.RunAsync(url, connections, seconds, depth, loadCpu);
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
}
