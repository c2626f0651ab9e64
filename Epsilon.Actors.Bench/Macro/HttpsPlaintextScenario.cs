using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Net.Security;
using System.Net.Sockets;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using System.Text.RegularExpressions;
using Epsilon.Actors.Bench.Peers;

namespace Epsilon.Actors.Bench.Macro;

/// <summary>
/// <c>https-plaintext</c>: the TechEmpower plaintext answer (13 bytes) over HTTPS, Epsilon's
/// HTTP/1.1 server with <c>EnableHttps</c> against Kestrel's HTTPS (a minimal API), each in its
/// own process with the same self-signed ECDSA P-256 certificate, loaded with <c>wrk</c> (64
/// keep-alive connections, one thread, no pipelining). The server is pinned to CPU 0 and wrk to
/// CPU 1. Both also run over plain HTTP in the same run, to show what TLS costs each of them.
/// Then connections per second: sequential connect + handshake + one request + close, from this
/// process (SslStream), with full and with resumed (TLS 1.3 ticket) handshakes.
/// </summary>
internal sealed partial class HttpsPlaintextScenario : IScenario
{
    private static readonly Metric[] s_rps =
    [
        new("rate", "requests/s", "#,0", true),
        new("p50", "p50 ms", "0.00", false),
        new("p99", "p99 ms", "0.00", false),
        new("cpu", "server CPU µs/req", "0.0", false),
    ];

    public string Name => "https-plaintext";

    public string Description => "HTTPS plaintext requests/s with wrk (64 conns) and handshakes/s: Epsilon vs Kestrel, same cert";

    [GeneratedRegex(@"Requests/sec:\s+(?<v>[\d.]+)")]
    private static partial Regex RequestsPerSecond();

    [GeneratedRegex(@"^\s+(?<q>50|99)%\s+(?<v>[\d.]+)(?<u>us|ms|s)\s*$", RegexOptions.Multiline)]
    private static partial Regex Percentile();

    public async Task<string> RunAsync(BenchOptions options)
    {
        var wrk = File.Exists("/usr/bin/wrk") ? "/usr/bin/wrk" : throw new InvalidOperationException("wrk is not installed: apt-get install -y wrk");
        var connections = options.Connections is { Count: > 0 } c ? c[0] : 64;
        var dir = Path.Combine(Path.GetTempPath(), "epsilon-bench-https-" + Environment.ProcessId);
        var (certPath, keyPath, thumbprint) = WriteCertificate(dir);
        try
        {
            var results = HttpsPlaintextServer.Names.ToDictionary(n => n, _ => new List<Dictionary<string, double>>());
            var failures = new List<string>();
            var handshakes = new Dictionary<string, List<(double Full, double Resumed)>> { ["epsilon-https"] = [], ["kestrel-https"] = [] };
            for (var round = 1; round <= options.Rounds; round++)
            {
                foreach (var name in HttpsPlaintextServer.Names)
                {
                    Harness.Progress($"https-plaintext: round {round}/{options.Rounds}, {name}");
                    try
                    {
                        await using var server = ChildProcess.Start(["https-server", name, "--port", Harness.I(Harness.FreePort()), "--cert", certPath, "--key", keyPath], options.Pinned ? Harness.ServerCpu : null);
                        var port = int.Parse((await server.WaitForAsync("READY", TimeSpan.FromSeconds(60))).Split(' ')[1], CultureInfo.InvariantCulture);
                        var scheme = name.EndsWith("-http", StringComparison.Ordinal) ? "http" : "https";
                        var url = $"{scheme}://127.0.0.1:{port}/plaintext";
                        await RunWrkAsync(wrk, url, connections, options.WarmupSeconds, options.Pinned);
                        var cpu0 = ProcStats.CpuSeconds(server.Pid);
                        var output = await RunWrkAsync(wrk, url, connections, options.DurationSeconds, options.Pinned);
                        var cpu1 = ProcStats.CpuSeconds(server.Pid);
                        results[name].Add(Parse(output, (cpu1 - cpu0) / Math.Max(1, Math.Round(options.DurationSeconds))));
                        if (scheme == "https")
                        {
                            var full = await HandshakesAsync(port, thumbprint, resume: false, options.DurationSeconds);
                            var resumed = await HandshakesAsync(port, thumbprint, resume: true, options.DurationSeconds);
                            handshakes[name].Add((full, resumed));
                        }
                    }
                    catch (Exception ex)
                    {
                        Harness.Progress($"  {name} failed: {ex.Message}");
                        failures.Add($"{name}: {ex.GetType().Name}: {ex.Message.Split('\n')[0]}");
                    }
                }
            }

            return Report(results, failures, handshakes, connections, options);
        }
        finally
        {
            Directory.Delete(dir, recursive: true);
        }
    }

    private static string Report(Dictionary<string, List<Dictionary<string, double>>> results, List<string> failures, Dictionary<string, List<(double Full, double Resumed)>> handshakes, int connections, BenchOptions options)
    {
        string Cell(string name, Metric m)
        {
            var values = results[name].Where(r => r.ContainsKey(m.Key)).Select(r => r[m.Key]).OrderBy(v => v).ToArray();
            if (values.Length == 0) return "–";
            var text = Median(values).ToString(m.Format, CultureInfo.InvariantCulture);
            return values.Length > 1 ? $"{text} ({values[0].ToString(m.Format, CultureInfo.InvariantCulture)}–{values[^1].ToString(m.Format, CultureInfo.InvariantCulture)})" : text;
        }

        var sb = new System.Text.StringBuilder();
        sb.AppendLine($"### https-plaintext, wrk -t1 -c{connections}, 13-byte text/plain, {(options.Pinned ? "server on CPU 0, wrk on CPU 1" : "unpinned")}");
        sb.AppendLine();
        sb.AppendLine("| server | " + string.Join(" | ", s_rps.Select(m => m.Title)) + " |");
        sb.AppendLine("|---|" + string.Concat(s_rps.Select(_ => "---:|")));
        foreach (var name in HttpsPlaintextServer.Names)
            sb.AppendLine($"| {name} | " + string.Join(" | ", s_rps.Select(m => Cell(name, m))) + " |");
        sb.AppendLine();
        foreach (var (subject, peer) in new[] { ("epsilon-https", "kestrel-https"), ("epsilon-http", "kestrel-http") })
        {
            if (results[subject].Count == 0 || results[peer].Count == 0) continue;
            var ratio = Median(results[subject].Select(r => r["rate"])) / Median(results[peer].Select(r => r["rate"]));
            sb.AppendLine($"{subject} ÷ {peer}, requests/s: {ratio.ToString("0.00", CultureInfo.InvariantCulture)}×  ");
        }

        foreach (var failure in failures) sb.AppendLine($"failed: {failure}  ");
        sb.AppendLine();
        sb.AppendLine("`epsilon-https`/`kestrel-https` are HTTPS (TLS 1.3, ECDSA P-256, one certificate file for both); the `-http` rows are the same servers without TLS.");
        sb.AppendLine();
        sb.AppendLine("| server | connections/s, full handshake | connections/s, resumed |");
        sb.AppendLine("|---|---:|---:|");
        foreach (var (name, rows) in handshakes)
        {
            if (rows.Count == 0) continue;
            sb.AppendLine($"| {name} | {Median(rows.Select(r => r.Full)).ToString("#,0", CultureInfo.InvariantCulture)} | {Median(rows.Select(r => r.Resumed)).ToString("#,0", CultureInfo.InvariantCulture)} |");
        }

        sb.AppendLine();
        sb.AppendLine("Sequential, from the orchestrator (unpinned): connect, TLS handshake (SslStream client, ALPN http/1.1), `GET /plaintext` with `Connection: close`, " +
                      "read the response, close. Resumed: one client options object with `AllowTlsResume`, so .NET offers its last TLS 1.3 ticket.");
        return sb.ToString();
    }

    private static double Median(IEnumerable<double> values)
    {
        var sorted = values.OrderBy(v => v).ToArray();
        return sorted.Length % 2 == 1 ? sorted[sorted.Length / 2] : (sorted[sorted.Length / 2 - 1] + sorted[sorted.Length / 2]) / 2;
    }

    private static Dictionary<string, double> Parse(string wrkOutput, double cpuSecondsPerSecond)
    {
        var rate = RequestsPerSecond().Match(wrkOutput);
        if (!rate.Success) throw new InvalidOperationException("wrk printed no Requests/sec: " + wrkOutput);
        var rps = double.Parse(rate.Groups["v"].Value, CultureInfo.InvariantCulture);
        if (wrkOutput.Contains("Non-2xx", StringComparison.Ordinal) || wrkOutput.Contains("Socket errors", StringComparison.Ordinal))
            Harness.Progress("  wrk reported errors: " + string.Join(" ", wrkOutput.Split('\n').Where(l => l.Contains("Non-2xx") || l.Contains("Socket errors"))));
        var values = new Dictionary<string, double> { ["rate"] = rps, ["cpu"] = cpuSecondsPerSecond / rps * 1e6 };
        foreach (Match m in Percentile().Matches(wrkOutput))
        {
            var v = double.Parse(m.Groups["v"].Value, CultureInfo.InvariantCulture);
            v = m.Groups["u"].Value switch { "us" => v / 1000, "s" => v * 1000, _ => v };
            values[m.Groups["q"].Value == "50" ? "p50" : "p99"] = v;
        }

        return values;
    }

    private static async Task<string> RunWrkAsync(string wrk, string url, int connections, double seconds, bool pinned)
    {
        var duration = Math.Max(1, (int)Math.Round(seconds));
        var info = new ProcessStartInfo { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        if (pinned && File.Exists("/usr/bin/taskset"))
        {
            info.FileName = "/usr/bin/taskset";
            foreach (var a in new[] { "-c", Harness.I(Harness.LoadCpu), wrk }) info.ArgumentList.Add(a);
        }
        else
        {
            info.FileName = wrk;
        }

        foreach (var a in new[] { "-t1", $"-c{connections}", $"-d{duration}s", "--latency", url }) info.ArgumentList.Add(a);
        using var process = Process.Start(info) ?? throw new InvalidOperationException("could not start wrk");
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        using var cts = new CancellationTokenSource(TimeSpan.FromSeconds(duration + 60));
        await process.WaitForExitAsync(cts.Token);
        if (process.ExitCode != 0) throw new InvalidOperationException($"wrk exited {process.ExitCode}: {await stderr}");
        return await stdout;
    }

    /// <summary>Connections per second, one at a time: connect, handshake, one request, read to the end.</summary>
    internal static async Task<double> HandshakesAsync(int port, string thumbprint, bool resume, double seconds)
    {
        var options = new SslClientAuthenticationOptions
        {
            TargetHost = "localhost",
            AllowTlsResume = resume,
            ApplicationProtocols = [SslApplicationProtocol.Http11],
            RemoteCertificateValidationCallback = (_, cert, _, _) => cert is not null && cert.GetCertHashString() == thumbprint,
        };
        var request = "GET /plaintext HTTP/1.1\r\nHost: localhost\r\nConnection: close\r\n\r\n"u8.ToArray();
        var buffer = new byte[4096];
        var clock = Stopwatch.StartNew();
        var count = 0;
        while (clock.Elapsed.TotalSeconds < seconds)
        {
            using var socket = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp) { NoDelay = true };
            await socket.ConnectAsync(IPAddress.Loopback, port);
            await using var ssl = new SslStream(new NetworkStream(socket, ownsSocket: false));
            await ssl.AuthenticateAsClientAsync(options);
            await ssl.WriteAsync(request);
            // Read the response (headers and the 13-byte body), not to EOF: a .NET client that reads
            // Epsilon's close_notify does not offer that session's ticket again (Kestrel sends none).
            var total = 0;
            while (!buffer.AsSpan(0, total).EndsWith("Hello, World!"u8))
            {
                var n = await ssl.ReadAsync(buffer.AsMemory(total));
                if (n == 0) throw new IOException($"the response ended after {total} bytes");
                total += n;
            }
            count++;
        }

        return count / clock.Elapsed.TotalSeconds;
    }

    internal static (string Cert, string Key, string Thumbprint) WriteCertificate(string dir)
    {
        Directory.CreateDirectory(dir);
        using var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var request = new CertificateRequest("CN=localhost", key, HashAlgorithmName.SHA256);
        var san = new SubjectAlternativeNameBuilder();
        san.AddDnsName("localhost");
        san.AddIpAddress(IPAddress.Loopback);
        request.CertificateExtensions.Add(san.Build());
        using var cert = request.CreateSelfSigned(DateTimeOffset.UtcNow.AddDays(-1), DateTimeOffset.UtcNow.AddDays(7));
        var certPath = Path.Combine(dir, "bench.crt");
        var keyPath = Path.Combine(dir, "bench.key");
        File.WriteAllText(certPath, cert.ExportCertificatePem());
        File.WriteAllText(keyPath, key.ExportPkcs8PrivateKeyPem());
        return (certPath, keyPath, cert.GetCertHashString());
    }
}
