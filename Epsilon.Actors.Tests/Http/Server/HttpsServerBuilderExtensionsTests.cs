using System.Net;
using System.Net.Http.Headers;
using System.Net.Security;
using System.Net.Sockets;
using System.Security.Authentication;
using System.Text;
using Akka.Streams;
using Epsilon.Actors.Http;
using Epsilon.Actors.Http.Model;
using Epsilon.Actors.Http.Server;
using Epsilon.Actors.Http.Server.Routing;
using Epsilon.Actors.Io.Tls;
using Epsilon.Actors.Tests.TestKit;
using Xunit;
using Xunit.Abstractions;
using AkkaTestKit = Akka.TestKit.Xunit2.TestKit;
using SysHttpClient = System.Net.Http.HttpClient;

namespace Epsilon.Actors.Tests.Http.Server;

/// <summary>
/// HTTPS (<c>EnableHttps</c>) over real loopback sockets, against .NET's own peers:
/// <see cref="SysHttpClient"/> trusting the test CA, and a bare <see cref="SslStream"/> for ALPN
/// and for what a failed handshake does to its connection (and to no other).
/// </summary>
[Trait("Category", "Loopback")]
public sealed class HttpsServerBuilderExtensionsTests : AkkaTestKit, IAsyncLifetime
{
    private static readonly TimeSpan s_wait = TimeSpan.FromSeconds(30);
    private static readonly byte[] s_large = MakeLarge(1 << 20);
    private static readonly Akka.IO.ByteString s_largeBytes = Akka.IO.ByteString.FromBytes(s_large);
    private readonly IMaterializer _materializer;
    private HttpServerBinding? _binding;

    public HttpsServerBuilderExtensionsTests(ITestOutputHelper output)
        : base(EpsilonTestConfig.For("auto"), output: output)
    {
        _materializer = Sys.Materializer();
    }

    public Task InitializeAsync() => Task.CompletedTask;

    public async Task DisposeAsync()
    {
        if (_binding is not null) await _binding.Terminate(TimeSpan.Zero).WaitAsync(s_wait);
    }

    [Fact]
    public async Task HttpClient_trusting_the_CA_gets_GET_a_1_MiB_POST_echoed_and_a_1_MiB_body_over_one_kept_alive_connection()
    {
        var port = await StartAsync(TestCertificates.Shared.ServerOptions("localhost"));
        using var client = Client();

        var hello = await client.GetAsync($"https://localhost:{port}/hello").WaitAsync(s_wait);
        Assert.Equal(HttpStatusCode.OK, hello.StatusCode);
        Assert.Equal(new Version(1, 1), hello.Version);
        Assert.Equal("hello over https", await hello.Content.ReadAsStringAsync());

        var body = MakeLarge(1 << 20, seed: 7);
        var content = new ByteArrayContent(body);
        content.Headers.ContentType = new MediaTypeHeaderValue("application/octet-stream");
        var echoed = await client.PostAsync($"https://localhost:{port}/echo", content).WaitAsync(s_wait);
        Assert.Equal(HttpStatusCode.OK, echoed.StatusCode);
        var echoedBody = await echoed.Content.ReadAsByteArrayAsync();
        Assert.True(body.AsSpan().SequenceEqual(echoedBody), $"the echoed 1 MiB body differs ({echoedBody.Length} bytes back)");

        var large = await client.GetAsync($"https://localhost:{port}/large").WaitAsync(s_wait);
        Assert.Equal(HttpStatusCode.OK, large.StatusCode);
        Assert.Equal(s_large.LongLength, large.Content.Headers.ContentLength);
        var received = await large.Content.ReadAsByteArrayAsync();
        Assert.True(s_large.AsSpan().SequenceEqual(received), "the 1 MiB body differs");

        // Three requests, one TLS connection: keep-alive works through the TLS layer.
        Assert.Equal(1, _binding!.ConnectionsAccepted);
    }

    [Fact]
    public async Task SslStream_offering_h2_and_http11_negotiates_http11_and_is_answered()
    {
        var port = await StartAsync(TestCertificates.Shared.ServerOptions("localhost"));
        await using var tls = await ConnectAsync(port, [SslApplicationProtocol.Http2, SslApplicationProtocol.Http11]);
        Assert.Equal(SslApplicationProtocol.Http11, tls.NegotiatedApplicationProtocol);

        await tls.WriteAsync("GET /hello HTTP/1.1\r\nHost: localhost\r\nConnection: close\r\n\r\n"u8.ToArray());
        var response = await ReadToEndAsync(tls);
        Assert.StartsWith("HTTP/1.1 200 OK\r\n", response, StringComparison.Ordinal);
        Assert.EndsWith("\r\n\r\nhello over https", response, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Client_offering_only_h2_is_refused_in_the_handshake()
    {
        var port = await StartAsync(TestCertificates.Shared.ServerOptions("localhost"));
        var failure = await Assert.ThrowsAnyAsync<Exception>(async () =>
        {
            await using var tls = await ConnectAsync(port, [SslApplicationProtocol.Http2]);
        });
        Assert.True(failure is AuthenticationException or IOException, $"unexpected {failure}");

        // The listener is fine afterwards.
        using var client = Client();
        Assert.Equal("hello over https", await client.GetStringAsync($"https://localhost:{port}/hello").WaitAsync(s_wait));
    }

    [Fact]
    public async Task Plaintext_HTTP_to_the_HTTPS_port_closes_that_connection_without_an_HTTP_answer_and_spares_others()
    {
        var port = await StartAsync(TestCertificates.Shared.ServerOptions("localhost"));
        using var client = Client();
        Assert.Equal("hello over https", await client.GetStringAsync($"https://localhost:{port}/hello").WaitAsync(s_wait));

        using var plain = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
        await plain.ConnectAsync(IPAddress.Loopback, port).WaitAsync(s_wait);
        await plain.SendAsync("GET /hello HTTP/1.1\r\nHost: localhost\r\n\r\n"u8.ToArray());
        var received = new List<byte>();
        var buffer = new byte[1024];
        using var cts = new CancellationTokenSource(s_wait);
        while (true)
        {
            int n;
            try
            {
                n = await plain.ReceiveAsync(buffer, SocketFlags.None, cts.Token);
            }
            catch (SocketException e) when (e.SocketErrorCode == SocketError.ConnectionReset)
            {
                break;
            }

            if (n == 0) break;
            received.AddRange(buffer.AsSpan(0, n).ToArray());
        }

        // Whatever came back is TLS (an alert record starts with content type 21), never HTTP.
        Assert.False(Encoding.ASCII.GetString(received.ToArray()).Contains("HTTP/", StringComparison.Ordinal), "the server answered plaintext with HTTP");
        if (received.Count > 0) Assert.Equal(21, received[0]);

        // The kept-alive HTTPS connection still works, and so does a new one.
        Assert.Equal("hello over https", await client.GetStringAsync($"https://localhost:{port}/hello").WaitAsync(s_wait));
        using var fresh = Client();
        Assert.Equal("hello over https", await fresh.GetStringAsync($"https://localhost:{port}/hello").WaitAsync(s_wait));
    }

    [Fact]
    public async Task Sixteen_concurrent_HTTPS_connections_are_each_answered_correctly()
    {
        var port = await StartAsync(TestCertificates.Shared.ServerOptions("localhost"));
        var clients = Enumerable.Range(0, 16).Select(_ => Client()).ToArray();
        try
        {
            var runs = clients.Select(async (client, i) =>
            {
                for (var request = 0; request < 4; request++)
                {
                    var payload = $"client {i} request {request}";
                    var response = await client.PostAsync($"https://localhost:{port}/echo", new StringContent(payload)).WaitAsync(s_wait);
                    Assert.Equal(payload, await response.Content.ReadAsStringAsync());
                }
            });
            await Task.WhenAll(runs).WaitAsync(s_wait);
            Assert.Equal(16, _binding!.ConnectionsAccepted);
        }
        finally
        {
            foreach (var client in clients) client.Dispose();
        }
    }

    [Fact]
    public async Task A_client_that_never_finishes_its_handshake_is_closed_at_the_handshake_timeout_and_others_are_served()
    {
        var options = TestCertificates.Shared.ServerOptions("localhost");
        options = options with { Settings = options.Settings with { HandshakeTimeout = TimeSpan.FromMilliseconds(500) } };
        var port = await StartAsync(options);

        using var silent = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
        await silent.ConnectAsync(IPAddress.Loopback, port).WaitAsync(s_wait);
        using var client = Client();
        Assert.Equal("hello over https", await client.GetStringAsync($"https://localhost:{port}/hello").WaitAsync(s_wait));

        // The silent connection ends (EOF or reset) without a byte of HTTP.
        var buffer = new byte[256];
        using var cts = new CancellationTokenSource(s_wait);
        var received = 0;
        try
        {
            int n;
            while ((n = await silent.ReceiveAsync(buffer, SocketFlags.None, cts.Token)) > 0) received += n;
        }
        catch (SocketException e) when (e.SocketErrorCode == SocketError.ConnectionReset)
        {
        }

        Assert.False(cts.IsCancellationRequested, "the silent connection was not closed");
        Assert.Equal(0, received);
    }

    [Fact]
    public async Task Required_client_certificates_pass_through_EnableHttps_a_client_with_one_is_served_one_without_is_refused()
    {
        // A host name of its own: .NET shares TLS contexts (and tickets) between equal certificates in a process.
        var options = TestCertificates.Shared.ServerOptions("mtls.test") with
        {
            ClientCertificateMode = TlsClientCertificateMode.Required,
            ClientCertificateTrustedRoots = TestCertificates.Shared.Roots,
        };
        var port = await StartAsync(options);

        using var withCertificate = Client([TestCertificates.Shared.Leaf("client.test")]);
        Assert.Equal("hello over https", await withCertificate.GetStringAsync($"https://mtls.test:{port}/hello").WaitAsync(s_wait));

        using var without = Client();
        await Assert.ThrowsAsync<HttpRequestException>(() => without.GetStringAsync($"https://mtls.test:{port}/hello").WaitAsync(s_wait));
        Assert.Equal("hello over https", await withCertificate.GetStringAsync($"https://mtls.test:{port}/hello").WaitAsync(s_wait));
    }

    [Fact]
    public async Task PEM_file_overload_serves_the_certificate_from_disk()
    {
        var dir = Path.Combine(Path.GetTempPath(), "epsilon-https-" + Guid.NewGuid().ToString("N"));
        try
        {
            var (cert, key) = TestCertificates.WritePem(TestCertificates.Shared.Leaf("localhost"), dir, "server");
            var port = await StartAsync(builder => builder.EnableHttps(cert, key));
            await using var tls = await ConnectAsync(port, [SslApplicationProtocol.Http11]);
            Assert.Equal(TestCertificates.Shared.Leaf("localhost").Thumbprint, tls.RemoteCertificate is { } c ? new System.Security.Cryptography.X509Certificates.X509Certificate2(c).Thumbprint : null);
            await tls.WriteAsync("GET /hello HTTP/1.1\r\nHost: localhost\r\nConnection: close\r\n\r\n"u8.ToArray());
            Assert.EndsWith("hello over https", await ReadToEndAsync(tls), StringComparison.Ordinal);
        }
        finally
        {
            Directory.Delete(dir, recursive: true);
        }
    }

    [Fact]
    public async Task Certificate_overloads_follow_the_systems_TLS_policy_from_HOCON()
    {
        var config = Akka.Configuration.ConfigurationFactory.ParseString("epsilon.io.tls.min-version = \"1.3\"")
            .WithFallback(EpsilonTestConfig.For("auto"));
        using var system = Akka.Actor.ActorSystem.Create("tls13-policy", config);
        var binding = await system.Http().NewServerAt("127.0.0.1", 0)
            .EnableHttps(TestCertificates.Shared.Leaf("localhost"))
            .Bind(_ => new ValueTask<HttpResponse>(HttpResponse.Text("hello over https")))
            .WaitAsync(s_wait);
        try
        {
            var port = ((IPEndPoint)binding.LocalAddress).Port;
            await using (var tls13 = await ConnectAsync(port, [SslApplicationProtocol.Http11]))
                Assert.Equal(System.Security.Authentication.SslProtocols.Tls13, tls13.SslProtocol);

            using var socket = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
            await socket.ConnectAsync(IPAddress.Loopback, port).WaitAsync(s_wait);
            await using var tls12 = new SslStream(new NetworkStream(socket, ownsSocket: false));
            await Assert.ThrowsAnyAsync<Exception>(() => tls12.AuthenticateAsClientAsync(new SslClientAuthenticationOptions
            {
                TargetHost = "localhost",
                EnabledSslProtocols = System.Security.Authentication.SslProtocols.Tls12,
                CertificateChainPolicy = TestCertificates.Shared.ChainPolicy(),
            }).WaitAsync(s_wait));
        }
        finally
        {
            await binding.Terminate(TimeSpan.Zero).WaitAsync(s_wait);
        }
    }

    [Fact]
    public void ALPN_lists_naming_a_protocol_the_server_cannot_speak_are_refused()
    {
        var builder = Sys.Http().NewServerAt("127.0.0.1", 0);
        var options = TestCertificates.Shared.ServerOptions("localhost") with { ApplicationProtocols = ["h2", "http/1.1"] };
        var error = Assert.Throws<ArgumentException>(() => builder.EnableHttps(options));
        Assert.Contains("'h2'", error.Message, StringComparison.Ordinal);
        Assert.Equal(["http/1.1", "http/1.0"], HttpsServerBuilderExtensions.SupportedApplicationProtocols);
    }

    private Task<int> StartAsync(TlsServerOptions options) => StartAsync(builder => builder.EnableHttps(options));

    private async Task<int> StartAsync(Func<HttpServerBuilder, HttpServerBuilder> https)
    {
        var routes = new HttpRoutes()
            .Get("/hello", _ => HttpResponse.Text("hello over https"))
            .Get("/large", _ => HttpResponse.Bytes(s_largeBytes))
            .Post("/echo", async request =>
            {
                var body = await request.Entity.ToStrictAsync(4 << 20, s_wait, _materializer);
                return HttpResponse.Bytes(body.Data, body.ContentType);
            });
        _binding = await https(Sys.Http().NewServerAt("127.0.0.1", 0)).Bind(routes).WaitAsync(s_wait);
        return ((IPEndPoint)_binding.LocalAddress).Port;
    }

    private static SysHttpClient Client(System.Security.Cryptography.X509Certificates.X509Certificate2[]? clientCertificates = null) => new(new SocketsHttpHandler
    {
        SslOptions = new SslClientAuthenticationOptions
        {
            CertificateChainPolicy = TestCertificates.Shared.ChainPolicy(),
            ClientCertificates = clientCertificates is null ? null : [.. clientCertificates],
        },
        ConnectCallback = async (context, token) =>
        {
            // Every host name to 127.0.0.1, where the server listens (not ::1).
            var socket = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp) { NoDelay = true };
            await socket.ConnectAsync(IPAddress.Loopback, context.DnsEndPoint.Port, token);
            return new NetworkStream(socket, ownsSocket: true);
        },
    })
    {
        Timeout = s_wait,
        DefaultRequestVersion = new Version(1, 1),
        DefaultVersionPolicy = HttpVersionPolicy.RequestVersionExact,
    };

    private static async Task<SslStream> ConnectAsync(int port, List<SslApplicationProtocol> alpn)
    {
        var socket = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
        await socket.ConnectAsync(IPAddress.Loopback, port).WaitAsync(s_wait);
        var tls = new SslStream(new NetworkStream(socket, ownsSocket: true));
        try
        {
            await tls.AuthenticateAsClientAsync(new SslClientAuthenticationOptions
            {
                TargetHost = "localhost",
                ApplicationProtocols = alpn,
                CertificateChainPolicy = TestCertificates.Shared.ChainPolicy(),
            }).WaitAsync(s_wait);
            return tls;
        }
        catch
        {
            await tls.DisposeAsync();
            throw;
        }
    }

    private static async Task<string> ReadToEndAsync(Stream stream)
    {
        using var memory = new MemoryStream();
        await stream.CopyToAsync(memory).WaitAsync(s_wait);
        return Encoding.UTF8.GetString(memory.ToArray());
    }

    private static byte[] MakeLarge(int size, int seed = 6)
    {
        var data = new byte[size];
        new Random(seed).NextBytes(data);
        return data;
    }
}
