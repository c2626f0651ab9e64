using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using System.Security.Authentication;
using System.Text;
using Akka.IO;
using Akka.Streams;
using Akka.Streams.Dsl;
using Epsilon.Actors.Io.Tls;
using Epsilon.Actors.Tests.Io.Tls;
using Epsilon.Actors.Tests.TestKit;
using Xunit;
using Xunit.Abstractions;
using AkkaTestKit = Akka.TestKit.Xunit2.TestKit;
using StreamTcp = Akka.Streams.Dsl.Tcp;

namespace Epsilon.Actors.Tests.Conformance;

/// <summary>
/// The TLS stages against OpenSSL's own command-line peers: <c>openssl s_client</c> against the
/// server stage, and the client stage against <c>openssl s_server</c> (whose status page also says
/// whether the session was resumed).
/// </summary>
[Trait("Category", "Conformance")]
public sealed class EpsilonTlsOpenSslTests : AkkaTestKit
{
    private static readonly TimeSpan s_wait = TimeSpan.FromSeconds(30);
    private readonly IMaterializer _materializer;
    private readonly string _dir = Path.Combine(Path.GetTempPath(), "epsilon-tls-" + Guid.NewGuid().ToString("N"));
    private readonly string _openssl = ExternalTool.Require("openssl", "openssl");

    public EpsilonTlsOpenSslTests(ITestOutputHelper output)
        : base(EpsilonTestConfig.For("auto"), output: output)
    {
        _materializer = Sys.Materializer();
        Directory.CreateDirectory(_dir);
        File.WriteAllText(CaPath, TestCertificates.Shared.Ca.ExportCertificatePem());
    }

    private string CaPath => Path.Combine(_dir, "ca.crt");

    [Theory]
    [InlineData("-tls1_3", "TLSv1.3")]
    [InlineData("-tls1_2", "TLSv1.2")]
    public async Task Openssl_s_client_talks_to_the_server_stage(string version, string expected)
    {
        var options = TestCertificates.Shared.ServerOptions("localhost") with { ApplicationProtocols = ["h2", "http/1.1"] };
        var reply = Flow.Create<ByteString>().Take(1).Select(b => ByteString.FromString("answer:").Concat(b));
        var sessions = new List<Task<TlsSessionInfo>>();
        var binding = await TlsTestTransport.Bind(Sys)
            .To(Sink.ForEach<StreamTcp.IncomingConnection>(c =>
            {
                lock (sessions) sessions.Add(c.HandleWith(EpsilonTls.ServerFlow(options, reply), _materializer));
            }))
            .Run(_materializer).WaitAsync(s_wait);

        var (exit, stdout, stderr) = await RunAsync(_openssl,
            $"s_client -connect 127.0.0.1:{TlsTestTransport.PortOf(binding)} -servername localhost -CAfile {CaPath} -verify_return_error {version} -alpn h2 -ign_eof",
            "hello\n");
        Assert.True(exit == 0, $"s_client exited {exit}: {stderr}\n{stdout}");
        Assert.Contains("answer:hello", stdout, StringComparison.Ordinal);
        Assert.Contains("Verify return code: 0 (ok)", stdout, StringComparison.Ordinal);
        Assert.Contains("ALPN protocol: h2", stdout, StringComparison.Ordinal);
        Assert.Contains(expected, stdout, StringComparison.Ordinal);
        Task<TlsSessionInfo> session;
        lock (sessions) session = Assert.Single(sessions);
        Assert.Equal("h2", (await session.WaitAsync(s_wait)).ApplicationProtocol);
        await binding.Unbind();
    }

    [Fact]
    public async Task Client_stage_talks_to_openssl_s_server_and_resumes_its_session()
    {
        // A host name of its own: .NET keeps one session per host name for all clients of equal
        // options in the process, and tests running beside this one connect to "localhost".
        var (cert, key) = TestCertificates.WritePem(TestCertificates.Shared.Leaf("resume.test"), _dir, "server");
        var port = FreePort();
        using var server = StartServer($"s_server -accept 127.0.0.1:{port} -cert {cert} -key {key} -alpn http/1.1 -naccept 2");
        await WaitForListener(port, server);

        var options = TestCertificates.Shared.ClientOptions("resume.test") with { ApplicationProtocols = ["h2", "http/1.1"] };
        var first = await SayHello(options, port, "first");
        var second = await SayHello(options, port, "second");
        Assert.Equal("http/1.1", first.ApplicationProtocol);
        Assert.Equal(SslProtocols.Tls13, first.Protocol);
        Assert.Equal(SslProtocols.Tls13, second.Protocol);

        // s_server exits after its two connections and prints, for each, what it saw.
        using var cts = new CancellationTokenSource(s_wait);
        await server.Process.WaitForExitAsync(cts.Token);
        var output = ServerOutput;
        Assert.Contains("hello first", output, StringComparison.Ordinal);
        Assert.Contains("hello second", output, StringComparison.Ordinal);
        var reused = output.Split('\n').Count(l => l.StartsWith("Reused session-id", StringComparison.Ordinal));
        Assert.True(reused == 1, "expected the second connection to resume the first one's session:\n" + output);
    }

    [Theory]
    [InlineData("AES128-GCM-SHA256", false)]
    [InlineData("AES256-SHA256", false)]
    [InlineData("ECDHE-RSA-AES128-GCM-SHA256", true)]
    public async Task Server_stage_by_default_accepts_only_forward_secret_suites(string suite, bool accepted)
    {
        // An RSA certificate, so that RSA key exchange (no forward secrecy) would be possible at all.
        var options = new TlsServerOptions(TlsCertificate.FromCertificate(TestCertificates.Shared.LeafRsa("localhost")))
        {
            Settings = TlsSettings.Default with { OcspStapling = false },
        };
        var sessions = new List<Task<TlsSessionInfo>>();
        var binding = await TlsTestTransport.Bind(Sys)
            .To(Sink.ForEach<StreamTcp.IncomingConnection>(c =>
            {
                lock (sessions) sessions.Add(c.HandleWith(EpsilonTls.ServerFlow(options, Flow.Create<ByteString>().Take(1)), _materializer));
            }))
            .Run(_materializer).WaitAsync(s_wait);

        var (exit, stdout, stderr) = await RunAsync(_openssl,
            $"s_client -connect 127.0.0.1:{TlsTestTransport.PortOf(binding)} -servername localhost -CAfile {CaPath} -tls1_2 -cipher {suite} -ign_eof", "x\n");
        if (accepted)
        {
            Assert.True(exit == 0, stderr);
            Assert.Contains("Cipher is " + suite, stdout, StringComparison.Ordinal);
        }
        else
        {
            Assert.True(exit != 0, stdout);
            Task<TlsSessionInfo> session;
            lock (sessions) session = Assert.Single(sessions);
            var error = await Assert.ThrowsAsync<TlsException>(() => session.WaitAsync(s_wait));
            Assert.True(error.Reason == TlsFailureReason.NoSharedCipher, error.Message);
        }

        await binding.Unbind();
    }

    [Fact]
    public async Task Server_stage_refuses_a_TLS_1_2_renegotiation()
    {
        var options = TestCertificates.Shared.ServerOptions("localhost");
        var sessions = new List<Task<TlsSessionInfo>>();
        var echo = Flow.Create<ByteString>();
        var binding = await TlsTestTransport.Bind(Sys)
            .To(Sink.ForEach<StreamTcp.IncomingConnection>(c =>
            {
                lock (sessions) sessions.Add(c.HandleWith(EpsilonTls.ServerFlow(options, echo), _materializer));
            }))
            .Run(_materializer).WaitAsync(s_wait);

        // s_client renegotiates when a line starts with "R" (interactive mode, not -quiet).
        var (_, stdout, stderr) = await RunAsync(_openssl,
            $"s_client -connect 127.0.0.1:{TlsTestTransport.PortOf(binding)} -servername localhost -CAfile {CaPath} -tls1_2", "R\n");
        Assert.Contains("RENEGOTIATING", stdout + stderr, StringComparison.Ordinal);
        // The server refuses by ending the connection at once (OpenSSL's no-renegotiation rule):
        // s_client's renegotiation read meets the end of the stream, not a second handshake.
        Assert.Contains("unexpected eof", stderr, StringComparison.Ordinal);
        await binding.Unbind();
    }

    [Fact]
    public async Task Server_stage_staples_the_OCSP_response_of_a_local_openssl_responder()
    {
        // An OCSP responder on loopback (openssl ocsp), named in the leaf's authority information;
        // .NET fetches from it (SslStreamCertificateContext.Create with offline: false) and staples.
        var ocspPort = FreePort();
        var leaf = TestCertificates.Shared.LeafWithOcsp("ocsp.test", $"http://127.0.0.1:{ocspPort}");
        var (caCert, caKey) = TestCertificates.WritePem(TestCertificates.Shared.Ca, _dir, "ca-signer");
        var index = Path.Combine(_dir, "index.txt");
        File.WriteAllText(index, $"V\t{leaf.NotAfter.ToUniversalTime():yyMMddHHmmss}Z\t\t{leaf.SerialNumber}\tunknown\t/CN=ocsp.test\n");
        using var responder = StartServer($"ocsp -port {ocspPort} -index {index} -CA {caCert} -rsigner {caCert} -rkey {caKey} -nrequest 20");
        await WaitForListener(ocspPort, responder);

        var options = new TlsServerOptions(TlsCertificate.FromCertificate(leaf, [TestCertificates.Shared.Ca]));
        Assert.True(options.Settings.OcspStapling);
        var binding = await TlsTestTransport.Bind(Sys)
            .To(Sink.ForEach<StreamTcp.IncomingConnection>(c => c.HandleWith(EpsilonTls.ServerFlow(options, Flow.Create<ByteString>().Take(1)), _materializer)))
            .Run(_materializer).WaitAsync(s_wait);

        // .NET fetches in the background: the first handshakes may go out without a staple.
        var deadline = DateTime.UtcNow + s_wait;
        string stdout;
        do
        {
            (_, stdout, _) = await RunAsync(_openssl,
                $"s_client -connect 127.0.0.1:{TlsTestTransport.PortOf(binding)} -servername ocsp.test -CAfile {CaPath} -status -ign_eof", "x\n");
            if (stdout.Contains("OCSP Response Status: successful", StringComparison.Ordinal)) break;
            await Task.Delay(250);
        }
        while (DateTime.UtcNow < deadline);

        Assert.Contains("OCSP Response Status: successful", stdout, StringComparison.Ordinal);
        Assert.Contains("Cert Status: good", stdout, StringComparison.Ordinal);
        await binding.Unbind();
    }

    [Fact]
    public async Task Server_stage_resumes_an_openssl_s_client_session()
    {
        var options = TestCertificates.Shared.ServerOptions("localhost");
        var reply = Flow.Create<ByteString>().Take(1);
        var binding = await TlsTestTransport.Bind(Sys)
            .To(Sink.ForEach<StreamTcp.IncomingConnection>(c => c.HandleWith(EpsilonTls.ServerFlow(options, reply), _materializer)))
            .Run(_materializer).WaitAsync(s_wait);
        var session = Path.Combine(_dir, "session.pem");
        var connect = $"s_client -connect 127.0.0.1:{TlsTestTransport.PortOf(binding)} -servername localhost -CAfile {CaPath} -verify_return_error -ign_eof";

        var (exit1, out1, err1) = await RunAsync(_openssl, connect + $" -sess_out {session}", "one\n");
        Assert.True(exit1 == 0, err1);
        Assert.Contains("New, TLSv1.3", out1, StringComparison.Ordinal);
        var (exit2, out2, err2) = await RunAsync(_openssl, connect + $" -sess_in {session}", "two\n");
        Assert.True(exit2 == 0, err2);
        Assert.Contains("Reused, TLSv1.3", out2, StringComparison.Ordinal);
        Assert.Contains("two", out2, StringComparison.Ordinal);
        await binding.Unbind();
    }

    [Fact]
    public async Task Client_stage_requiring_TLS_1_3_fails_against_a_TLS_1_2_only_s_server()
    {
        var (cert, key) = TestCertificates.WritePem(TestCertificates.Shared.Leaf("localhost"), _dir, "server12");
        var port = FreePort();
        using var server = StartServer($"s_server -accept 127.0.0.1:{port} -cert {cert} -key {key} -tls1_2 -naccept 1 -quiet");
        await WaitForListener(port, server);

        var options = TestCertificates.Shared.ClientOptions("localhost") with { Settings = TlsSettings.Default with { MinVersion = SslProtocols.Tls13 } };
        var (session, _) = Source.Single(ByteString.FromString("x"))
            .ViaMaterialized(EpsilonTls.Client(options).Join(TlsTestTransport.Connect(Sys, new IPEndPoint(IPAddress.Loopback, port))), Keep.Right)
            .ToMaterialized(Sink.Ignore<ByteString>(), Keep.Both)
            .Run(_materializer);
        var error = await Assert.ThrowsAsync<TlsException>(() => session.WaitAsync(s_wait));
        Assert.True(error.Reason == TlsFailureReason.ProtocolVersion, error.Message);
    }

    protected override void Dispose(bool disposing)
    {
        try
        {
            Directory.Delete(_dir, recursive: true);
        }
        catch (IOException)
        {
            // A temporary folder left behind is harmless.
        }

        base.Dispose(disposing);
    }

    private async Task<TlsSessionInfo> SayHello(TlsClientOptions options, int port, string name)
    {
        // Reading until s_server's close_notify also takes in its session tickets (sent after a
        // TLS 1.3 handshake), which the next connection uses to resume.
        var (session, done) = Source.Single(ByteString.FromString($"hello {name}\n"))
            .ViaMaterialized(EpsilonTls.Client(options).Join(TlsTestTransport.Connect(Sys, new IPEndPoint(IPAddress.Loopback, port))), Keep.Right)
            .ToMaterialized(Sink.Ignore<ByteString>(), Keep.Both)
            .Run(_materializer);
        await done.WaitAsync(s_wait);
        return await session.WaitAsync(s_wait);
    }

    private string ServerOutput
    {
        get
        {
            lock (_serverOutput) return _serverOutput.ToString();
        }
    }

    private OwnedProcess StartServer(string arguments)
    {
        var process = Process.Start(new ProcessStartInfo(_openssl, arguments)
        {
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        }) ?? throw new InvalidOperationException("could not start openssl");
        process.OutputDataReceived += (_, e) => Record(e.Data);
        process.ErrorDataReceived += (_, e) => Record(e.Data);
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        return new OwnedProcess(process);
    }

    /// <summary>A peer process that ends (by its own id) when the test does, whatever happened.</summary>
    private sealed class OwnedProcess(Process process) : IDisposable
    {
        public Process Process => process;

        public void Dispose()
        {
            try
            {
                if (!process.HasExited) process.Kill(entireProcessTree: true);
            }
            catch (InvalidOperationException)
            {
                // It exited meanwhile.
            }

            process.Dispose();
        }
    }

    private readonly StringBuilder _serverOutput = new();

    private void Record(string? line)
    {
        if (line is null) return;
        lock (_serverOutput) _serverOutput.AppendLine(line);
    }

    private static async Task WaitForListener(int port, OwnedProcess owned)
    {
        var deadline = DateTime.UtcNow + s_wait;
        while (true)
        {
            var server = owned.Process;
            if (server.HasExited) throw new InvalidOperationException($"openssl exited with {server.ExitCode}");
            using var probe = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
            try
            {
                // A bare connect counts as one of -naccept's connections, so only test the port is bound.
                probe.Bind(new IPEndPoint(IPAddress.Loopback, port));
            }
            catch (SocketException)
            {
                return;
            }

            if (DateTime.UtcNow > deadline) throw new TimeoutException("openssl s_server did not listen");
            await Task.Delay(50);
        }
    }

    private static int FreePort()
    {
        using var socket = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
        socket.Bind(new IPEndPoint(IPAddress.Loopback, 0));
        return ((IPEndPoint)socket.LocalEndPoint!).Port;
    }

    private static Task<(int ExitCode, string Output, string Error)> RunAsync(string file, string arguments, string stdin) =>
        ExternalTool.RunCapturingAsync(file, arguments, stdin, s_wait);
}
