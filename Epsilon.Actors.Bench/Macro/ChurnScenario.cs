using System.Globalization;
using Epsilon.Actors.Bench.Load;
using Epsilon.Actors.Bench.Peers;

namespace Epsilon.Actors.Bench.Macro;

/// <summary>
/// <c>http-churn</c> and <c>https-churn</c>: a new connection per request, as
/// <c>wrk -t1 -c32 -H 'Connection: close'</c> (pinned like the other HTTP scenarios): connections
/// (= requests) per second, p50/p99, server CPU µs per connection, Epsilon against Kestrel in the
/// same run. Over HTTPS the servers are <c>https-server epsilon-https|kestrel-https</c> with one
/// self-signed ECDSA P-256 certificate; wrk's OpenSSL client keeps its <c>SSL</c> object across
/// reconnects (<c>SSL_clear</c>), so it may offer its last session; the run then also measures
/// sequential connections per second from .NET's <c>SslStream</c> with full and with resumed
/// (TLS 1.3 ticket) handshakes, explicitly.
/// </summary>
internal sealed class ChurnScenario(bool tls) : IScenario
{
    private const int Connections = 32;

    private static readonly Metric[] s_metrics =
    [
        new("rate", "connections/s", "#,0", true),
        new("p50", "p50 ms", "0.00", false),
        new("p99", "p99 ms", "0.00", false),
        new("cpu", "server CPU µs/conn", "0.0", false),
        new("loadcpu", "wrk CPU %", "0", false),
    ];

    private static readonly Metric[] s_handshakes =
    [
        new("full", "full handshakes: conn/s", "#,0", true),
        new("resumed", "resumed: conn/s", "#,0", true),
    ];

    public string Name => tls ? "https-churn" : "http-churn";

    public string Description => $"a new {(tls ? "HTTPS " : "")}connection per request (wrk -t1 -c32 -H 'Connection: close'): connections/s, server CPU per connection (epsilon vs kestrel)";

    public async Task<string> RunAsync(BenchOptions options)
    {
        var connections = options.Connections is { Count: > 0 } c ? c[0] : Connections;
        var peers = ReferenceEquals(options.Peers, PeerNames.All) ? [PeerKind.EpsilonHttp, PeerKind.KestrelHttp] : options.Peers.Where(p => p is PeerKind.EpsilonHttp or PeerKind.KestrelHttp).ToArray();
        var samples = new Samples(s_metrics);
        var handshakes = new Samples(s_handshakes);
        var dir = Path.Combine(Path.GetTempPath(), "epsilon-bench-churn-" + Environment.ProcessId);
        var (cert, key, thumbprint) = tls ? HttpsPlaintextScenario.WriteCertificate(dir) : ("", "", "");
        using var wrk = new WrkLoad();
        var loadCpu = options.Pinned ? Harness.LoadCpu : (int?)null;
        string[] close = ["Connection: close"];
        try
        {
            var rounds = Math.Min(options.Rounds, 2);
            for (var round = 1; round <= rounds; round++)
            {
                foreach (var peer in peers)
                {
                    Harness.Progress($"{Name}: round {round}/{rounds}, {peer.Name()}");
                    try
                    {
                        await using var server = await StartAsync(peer, cert, key, options.Pinned);
                        var port = server.Port;
                        var url = $"{(tls ? "https" : "http")}://127.0.0.1:{port}/plaintext";
                        // Warm-up as the other HTTP scenarios: JIT tiering on a busy pinned CPU is slow.
                        await wrk.RunAsync(url, connections, HttpMeasurement.WarmupSeconds(options), 1, loadCpu, close);
                        var cpu0 = ProcStats.CpuSeconds(server.Process.Pid);
                        var r = await wrk.RunAsync(url, connections, options.DurationSeconds, 1, loadCpu, close);
                        var cpu1 = ProcStats.CpuSeconds(server.Process.Pid);
                        var requests = r["requests"];
                        if (requests <= 0) throw new InvalidOperationException("no request completed in the window");
                        if (r["non2xx"] > 0) throw new InvalidOperationException($"{r["non2xx"]} answers were not 2xx");
                        if (r["errors"] > requests / 100) throw new InvalidOperationException($"{r["errors"]} socket errors or timeouts for {requests} requests");
                        samples.Add(peer, new Dictionary<string, double>
                        {
                            ["rate"] = requests / r["seconds"],
                            ["p50"] = r["p50"] > 0 ? r["p50"] / 1000 : double.NaN,
                            ["p99"] = r["p99"] > 0 ? r["p99"] / 1000 : double.NaN,
                            ["cpu"] = (cpu1 - cpu0) / requests * 1e6,
                            ["loadcpu"] = r["loadcpu"] / r["seconds"] * 100,
                        });
                        if (tls)
                        {
                            handshakes.Add(peer, new Dictionary<string, double>
                            {
                                ["full"] = await HttpsPlaintextScenario.HandshakesAsync(port, thumbprint, resume: false, options.DurationSeconds),
                                ["resumed"] = await HttpsPlaintextScenario.HandshakesAsync(port, thumbprint, resume: true, options.DurationSeconds),
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
        }
        finally
        {
            if (tls && Directory.Exists(dir)) Directory.Delete(dir, recursive: true);
        }

        var report = new System.Text.StringBuilder();
        report.AppendLine($"### {Name}: wrk -t1 -c{connections} -H 'Connection: close'{(tls ? " over HTTPS (TLS 1.3, ECDSA P-256)" : "")}, GET /plaintext, {(options.Pinned ? "server on CPU 0, wrk on CPU 1" : "unpinned")}");
        report.AppendLine();
        if (tls) report.AppendLine("The `epsilon-http` and `kestrel-http` rows are those servers with HTTPS enabled (`https-server epsilon-https|kestrel-https`).").AppendLine();
        report.AppendLine(samples.ToMarkdown(peers, PeerKind.EpsilonHttp));
        if (tls)
        {
            report.AppendLine("Sequential connections/s from the orchestrator (unpinned, .NET SslStream client, one at a time: connect, handshake, one request, close), full and resumed (TLS 1.3 ticket):");
            report.AppendLine();
            report.AppendLine(handshakes.ToMarkdown(peers, PeerKind.EpsilonHttp));
        }

        return report.ToString();
    }

    private sealed record Server(ChildProcess Process, int Port) : IAsyncDisposable
    {
        public ValueTask DisposeAsync() => Process.DisposeAsync();
    }

    private async Task<Server> StartAsync(PeerKind peer, string cert, string key, bool pinned)
    {
        if (!tls)
        {
            var (process, port) = await Harness.StartServerAsync(peer, pinned);
            return new Server(process, port);
        }

        var name = peer == PeerKind.EpsilonHttp ? "epsilon-https" : "kestrel-https";
        var server = ChildProcess.Start(["https-server", name, "--port", Harness.I(Harness.FreePort()), "--cert", cert, "--key", key], pinned ? Harness.ServerCpu : null);
        try
        {
            var ready = await server.WaitForAsync("READY", TimeSpan.FromSeconds(60));
            return new Server(server, int.Parse(ready.Split(' ')[1], CultureInfo.InvariantCulture));
        }
        catch
        {
            await server.DisposeAsync();
            throw;
        }
    }
}
