using System.Diagnostics;
using System.Net;
using System.Net.Security;
using System.Net.Sockets;
using System.Security.Cryptography.X509Certificates;
using System.Text;
using Akka.Actor;
using Akka.Configuration;
using Epsilon.Actors.Http;
using Epsilon.Actors.Http.Model;
using Epsilon.Actors.Http.Server;
using Epsilon.Actors.Io.Tls;
using Epsilon.Actors.Tests.TestKit;
using Xunit;
using Xunit.Abstractions;

namespace Epsilon.Actors.Tests.Http.Server;

/// <summary>
/// An HTTPS connection's stages (TCP, TLS, HTTP/1.1) run as one island on the event loop that owns
/// the socket, and a TLS handshake's work runs on the thread pool, so a slow handshake never delays
/// the loop's other connections. One event loop, so every connection shares it; real loopback
/// sockets, .NET's <see cref="SslStream"/> as the client.
/// </summary>
[Trait("Category", "Loopback")]
public sealed class ServerBlueprintTests(ITestOutputHelper output) : IAsyncLifetime
{
    private static readonly TestCertificates Certs = TestCertificates.Shared;
    private ActorSystem _system = null!;

    public Task InitializeAsync()
    {
        _system = ActorSystem.Create("blueprint", ConfigurationFactory.ParseString(EpsilonTestConfig.For("auto", extra: "epsilon.io.event-loops = 1")));
        return Task.CompletedTask;
    }

    public async Task DisposeAsync() => await _system.Terminate();

    private async Task<int> BindHttpsAsync(TlsServerOptions options, string handlerDispatcher)
    {
        var binding = await _system.Http().NewServerAt("127.0.0.1", 0)
            .WithSettings(s => s with { HandlerDispatcher = handlerDispatcher })
            .EnableHttps(options)
            .Bind(_ => new ValueTask<HttpResponse>(HttpResponse.Text(Thread.CurrentThread.Name ?? "(unnamed)")))
            .WaitAsync(TimeSpan.FromSeconds(20));
        return ((IPEndPoint)binding.LocalAddress).Port;
    }

    private static async Task<(TcpClient Tcp, SslStream Tls)> ConnectAsync(int port, X509Certificate2? clientCertificate = null)
    {
        var tcp = new TcpClient();
        await tcp.ConnectAsync(IPAddress.Loopback, port);
        var tls = new SslStream(tcp.GetStream(), false, (_, certificate, chain, errors) => true);
        var options = new SslClientAuthenticationOptions { TargetHost = "localhost", ApplicationProtocols = [SslApplicationProtocol.Http11] };
        if (clientCertificate is not null) options.ClientCertificates = [clientCertificate];
        await tls.AuthenticateAsClientAsync(options);
        return (tcp, tls);
    }

    private static async Task<string> GetAsync(SslStream tls)
    {
        await tls.WriteAsync("GET / HTTP/1.1\r\nHost: localhost\r\n\r\n"u8.ToArray());
        var received = new List<byte>();
        var buffer = new byte[4096];
        while (true)
        {
            var n = await tls.ReadAsync(buffer);
            Assert.True(n > 0, "the server closed before answering");
            received.AddRange(buffer.AsSpan(0, n).ToArray());
            var text = Encoding.ASCII.GetString(received.ToArray());
            var end = text.IndexOf("\r\n\r\n", StringComparison.Ordinal);
            if (end < 0) continue;
            var length = int.Parse(text.Split("\r\n").First(l => l.StartsWith("Content-Length:", StringComparison.OrdinalIgnoreCase))[15..].Trim());
            if (received.Count >= end + 4 + length) return text.Substring(end + 4, length);
        }
    }

    [Fact]
    public async Task Tls_and_http_stages_of_a_connection_run_on_its_loop_thread()
    {
        // With handler-dispatcher = loop the handler is called inline by the HTTP stage, which is
        // fed by the TLS stage in the same island: its thread is the loop's.
        var port = await BindHttpsAsync(Certs.ServerOptions("localhost"), "loop");
        var (tcp, tls) = await ConnectAsync(port);
        using (tcp)
        using (tls)
        {
            Assert.StartsWith("epsilon-io-", await GetAsync(tls));
            Assert.StartsWith("epsilon-io-", await GetAsync(tls));
        }
    }

    [Fact]
    public async Task A_slow_tls_handshake_runs_off_the_loop_and_does_not_delay_another_connection_on_it()
    {
        string? handshakeThread = null;
        var inHandshake = new SemaphoreSlim(0);
        var options = Certs.ServerOptions("localhost") with
        {
            ClientCertificateMode = TlsClientCertificateMode.Optional,
            ClientCertificateTrustedRoots = Certs.Roots,
            ClientCertificateValidator = (_, _, _, _) =>
            {
                // Stands for a handshake's CPU (signing, key exchange, chain building): 800 ms of it.
                handshakeThread = Thread.CurrentThread.Name ?? "(unnamed)";
                inHandshake.Release();
                Thread.Sleep(800);
                return true;
            },
        };
        var port = await BindHttpsAsync(options, "loop");
        var (tcp, tls) = await ConnectAsync(port);
        using (tcp)
        using (tls)
        {
            Assert.StartsWith("epsilon-io-", await GetAsync(tls));
            var slow = ConnectAsync(port, Certs.Leaf("client-one"));
            Assert.True(await inHandshake.WaitAsync(TimeSpan.FromSeconds(10)), "the client certificate was not checked");
            var took = Stopwatch.StartNew();
            Assert.StartsWith("epsilon-io-", await GetAsync(tls));
            output.WriteLine($"request on the loop while another connection's handshake is busy: {took.Elapsed.TotalMilliseconds:F2} ms; handshake on {handshakeThread}");
            Assert.True(took.Elapsed < TimeSpan.FromMilliseconds(400), $"took {took.Elapsed.TotalMilliseconds:F0} ms: the handshake held the loop");
            Assert.DoesNotContain("epsilon-io-", handshakeThread);
            var (slowTcp, slowTls) = await slow.WaitAsync(TimeSpan.FromSeconds(10));
            using (slowTcp)
            using (slowTls)
            {
                Assert.StartsWith("epsilon-io-", await GetAsync(slowTls));
            }
        }
    }
}
