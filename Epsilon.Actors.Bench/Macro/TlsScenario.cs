using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Net.Security;
using System.Net.Sockets;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using Akka.Actor;
using Akka.IO;
using Akka.Streams;
using Akka.Streams.Dsl;
using Epsilon.Actors.Io.Tls;
using Epsilon.Actors.Io.Streams;
using StreamTcp = Akka.Streams.Dsl.Tcp;

namespace Epsilon.Actors.Bench.Macro;

/// <summary>
/// <c>tls</c>: full and resumed handshakes per second and their latency, and bulk throughput on
/// one connection, for Epsilon's TLS server stage against a plain <see cref="SslStream"/> server
/// over a raw socket, in the same run. The client is .NET's SslStream over a raw socket for both,
/// so the difference is the server. Both sides run in this one process (TLS cost is CPU on both
/// ends; pinning would measure the scheduler more than TLS).
/// </summary>
internal sealed class TlsScenario : IScenario
{
    public string Name => "tls";

    public string Description => "TLS handshakes/s (full, resumed) and bulk MB/s: Epsilon stage vs SslStream";

    public async Task<string> RunAsync(BenchOptions options)
    {
        using var certificate = MakeCertificate();
        var bulkBytes = options.Quick ? 32L << 20 : 256L << 20;
        var results = new Dictionary<string, List<(double Full, double FullMs, double Resumed, double ResumedMs, double Bulk)>>
        {
            ["epsilon-stage"] = [],
            ["sslstream"] = [],
        };

        using var system = ActorSystem.Create("tls-bench", "akka.loglevel = WARNING\nakka.stdout-loglevel = WARNING");
        var materializer = system.Materializer();
        var serverOptions = new TlsServerOptions(TlsCertificate.FromCertificate(certificate)) { Settings = TlsSettings.Default with { OcspStapling = false } };
        var binding = await system.EpsilonTcpStream().Bind("127.0.0.1", 0)
            .To(Sink.ForEach<StreamTcp.IncomingConnection>(c => c.HandleWith(EpsilonTls.ServerFlow(serverOptions, Flow.Create<ByteString>()), materializer)))
            .Run(materializer);
        var epsilonEndPoint = new IPEndPoint(IPAddress.Loopback, ((IPEndPoint)binding.LocalAddress).Port);

        // The transport alone (Epsilon streams TCP, identity echo, no TLS): the ceiling the stage runs under.
        var plainBinding = await system.EpsilonTcpStream().Bind("127.0.0.1", 0)
            .To(Sink.ForEach<StreamTcp.IncomingConnection>(c => c.HandleWith(Flow.Create<ByteString>(), materializer)))
            .Run(materializer);
        var transportEndPoint = new IPEndPoint(IPAddress.Loopback, ((IPEndPoint)plainBinding.LocalAddress).Port);
        var transportBulk = new List<double>();
        await using var plain = PlainTlsEchoServer.Start(certificate);

        for (var round = 1; round <= options.Rounds; round++)
        {
            foreach (var (name, endPoint) in new[] { ("epsilon-stage", (EndPoint)epsilonEndPoint), ("sslstream", plain.EndPoint) })
            {
                Harness.Progress($"tls: round {round}/{options.Rounds}, {name}");
                var full = await Handshakes(endPoint, certificate, resume: false, options);
                var resumed = await Handshakes(endPoint, certificate, resume: true, options);
                var bulk = await Bulk(endPoint, certificate, bulkBytes);
                results[name].Add((full.PerSecond, full.MedianMs, resumed.PerSecond, resumed.MedianMs, bulk));
            }

            transportBulk.Add(await Bulk(transportEndPoint, null, bulkBytes));
        }

        await binding.Unbind();
        await plainBinding.Unbind();
        var bridges = new List<(double Engine, double Pipes)>();
        for (var round = 1; round <= options.Rounds; round++)
        {
            Harness.Progress($"tls: round {round}/{options.Rounds}, in-memory bridge: engine vs pipes");
            bridges.Add(await TlsBridgeComparison.RunAsync(certificate, bulkBytes));
        }

        return Report(results, bulkBytes)
            + $"\nIn memory, one way, {bulkBytes >> 20} MiB: SslStream ⇄ SslStream through Epsilon's transport stream (as the shells drive it): "
            + string.Join(", ", bridges.Select(b => b.Engine.ToString("0", CultureInfo.InvariantCulture)))
            + " MB/s; through a pair of System.IO.Pipelines pipes as streams: "
            + string.Join(", ", bridges.Select(b => b.Pipes.ToString("0", CultureInfo.InvariantCulture)))
            + " MB/s.\n" + $"\nThe transport under the stage (Epsilon streams TCP, identity echo, no TLS, same client without TLS): {string.Join(", ", transportBulk.Select(v => v.ToString("0", CultureInfo.InvariantCulture)))} MB/s; the stage cannot go faster than it.\n";
    }

    private static string Report(Dictionary<string, List<(double Full, double FullMs, double Resumed, double ResumedMs, double Bulk)>> results, long bulkBytes)
    {
        static string Cell(IEnumerable<double> values, string format)
        {
            var sorted = values.OrderBy(v => v).ToArray();
            var median = sorted.Length % 2 == 1 ? sorted[sorted.Length / 2] : (sorted[sorted.Length / 2 - 1] + sorted[sorted.Length / 2]) / 2;
            var text = median.ToString(format, CultureInfo.InvariantCulture);
            return sorted.Length > 1 ? $"{text} ({sorted[0].ToString(format, CultureInfo.InvariantCulture)}–{sorted[^1].ToString(format, CultureInfo.InvariantCulture)})" : text;
        }

        var sb = new System.Text.StringBuilder();
        sb.AppendLine("### tls: handshakes and bulk throughput (server under test; client: SslStream on a raw socket; one process)");
        sb.AppendLine();
        sb.AppendLine($"| server | full handshakes/s | full p50 ms | resumed handshakes/s | resumed p50 ms | bulk echo MB/s ({bulkBytes >> 20} MiB each way) |");
        sb.AppendLine("|---|---:|---:|---:|---:|---:|");
        foreach (var (name, rows) in results)
        {
            sb.AppendLine($"| {name} | {Cell(rows.Select(r => r.Full), "0")} | {Cell(rows.Select(r => r.FullMs), "0.00")} | {Cell(rows.Select(r => r.Resumed), "0")} | {Cell(rows.Select(r => r.ResumedMs), "0.00")} | {Cell(rows.Select(r => r.Bulk), "0")} |");
        }

        sb.AppendLine();
        sb.AppendLine("Handshakes are sequential (one at a time): connect, handshake, one byte echoed (which also delivers TLS 1.3 tickets), close. " +
                      "Full: the client disables resumption (`AllowTlsResume = false`); resumed: one client options object reused, so .NET offers the last ticket.");
        return sb.ToString();
    }

    private static async Task<(double PerSecond, double MedianMs)> Handshakes(EndPoint endPoint, X509Certificate2 certificate, bool resume, BenchOptions options)
    {
        var clientOptions = ClientOptions(certificate, resume);
        var latencies = new List<double>();
        var clock = Stopwatch.StartNew();
        var warmup = TimeSpan.FromSeconds(options.WarmupSeconds);
        var end = warmup + TimeSpan.FromSeconds(options.DurationSeconds);
        var measuredFrom = TimeSpan.Zero;
        var count = 0;
        while (clock.Elapsed < end)
        {
            var started = clock.Elapsed;
            using var socket = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp) { NoDelay = true };
            await socket.ConnectAsync(endPoint);
            await using var ssl = new SslStream(new NetworkStream(socket, ownsSocket: false));
            await ssl.AuthenticateAsClientAsync(clientOptions);
            var handshake = clock.Elapsed - started;
            await ssl.WriteAsync(new byte[] { 1 });
            var one = new byte[1];
            await ssl.ReadExactlyAsync(one);
            if (started >= warmup)
            {
                if (count == 0) measuredFrom = started;
                latencies.Add(handshake.TotalMilliseconds);
                count++;
            }
        }

        latencies.Sort();
        var seconds = (clock.Elapsed - measuredFrom).TotalSeconds;
        return (count / seconds, latencies.Count == 0 ? double.NaN : latencies[latencies.Count / 2]);
    }

    private static async Task<double> Bulk(EndPoint endPoint, X509Certificate2? certificate, long bytes)
    {
        using var socket = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp) { NoDelay = true };
        await socket.ConnectAsync(endPoint);
        Stream ssl = new NetworkStream(socket, ownsSocket: false);
        if (certificate is not null)
        {
            var tls = new SslStream(ssl);
            await tls.AuthenticateAsClientAsync(ClientOptions(certificate, resume: false));
            ssl = tls;
        }

        await using var _ = ssl;
        var chunk = new byte[64 * 1024];
        RandomNumberGenerator.Fill(chunk);
        var clock = Stopwatch.StartNew();
        var writer = Task.Run(async () =>
        {
            for (long sent = 0; sent < bytes; sent += chunk.Length) await ssl.WriteAsync(chunk);
        });
        var buffer = new byte[64 * 1024];
        long received = 0;
        while (received < bytes)
        {
            var n = await ssl.ReadAsync(buffer);
            if (n == 0) throw new IOException($"echo ended after {received} of {bytes} bytes");
            received += n;
        }

        await writer;
        return bytes / clock.Elapsed.TotalSeconds / 1e6;
    }

    private static SslClientAuthenticationOptions ClientOptions(X509Certificate2 certificate, bool resume) => new()
    {
        TargetHost = "localhost",
        AllowTlsResume = resume,
        RemoteCertificateValidationCallback = (_, cert, _, _) => cert is not null && cert.GetCertHashString() == certificate.GetCertHashString(),
    };

    private static X509Certificate2 MakeCertificate()
    {
        using var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var request = new CertificateRequest("CN=localhost", key, HashAlgorithmName.SHA256);
        var san = new SubjectAlternativeNameBuilder();
        san.AddDnsName("localhost");
        request.CertificateExtensions.Add(san.Build());
        using var cert = request.CreateSelfSigned(DateTimeOffset.UtcNow.AddDays(-1), DateTimeOffset.UtcNow.AddDays(7));
        return X509CertificateLoader.LoadPkcs12(cert.Export(X509ContentType.Pkcs12), null);
    }
}
