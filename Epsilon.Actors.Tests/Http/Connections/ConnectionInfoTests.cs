using System.Net;
using System.Net.Security;
using System.Net.Sockets;
using System.Security.Cryptography.X509Certificates;
using Akka.IO;
using Akka.Streams;
using Akka.Streams.Dsl;
using Epsilon.Actors.Http;
using Epsilon.Actors.Http.Connections;
using Epsilon.Actors.Http.Model;
using Epsilon.Actors.Http.Server;
using Epsilon.Actors.Http.Server.Routing;
using Epsilon.Actors.Io.Tls;
using Epsilon.Actors.Tests.TestKit;
using Xunit;
using HttpMethod = Epsilon.Actors.Http.Model.HttpMethod;
using SysHttpClient = System.Net.Http.HttpClient;

namespace Epsilon.Actors.Tests.Http.Connections;

/// <summary><c>request.Connection</c>: addresses and the TLS session, seen by routes and middleware over real HTTP and HTTPS connections.</summary>
public sealed class ConnectionInfoTests
{
    private static readonly TimeSpan s_wait = TimeSpan.FromSeconds(30);

    private static string Describe(ConnectionInfo c) =>
        $"remote={c.RemoteEndPoint?.ToString() ?? "unknown"} local={c.LocalEndPoint?.ToString() ?? "unknown"} tls={c.IsTls}"
        + (c.Tls is { } t ? $" version={t.Protocol} cipher={t.CipherSuite} sni={t.ServerName} alpn={t.ApplicationProtocol} peer={t.PeerCertificate?.Subject ?? "none"}" : "");

    private static HttpRoutes Routes() => new HttpRoutes().Get("/info", request => HttpResponse.Text(Describe(request.Connection)));

    /// <summary>Middleware sees the connection too: it names the peer in a response header.</summary>
    private sealed class PeerHeaderMiddleware : IHttpMiddleware
    {
        public HttpHandler Wrap(HttpHandler next) => async request =>
            (await next(request)).AddHeader("X-Peer", request.Connection.RemoteEndPoint?.ToString() ?? "unknown");
    }

    [Fact]
    [Trait("Category", "Unit")]
    public void A_request_built_by_hand_knows_no_connection_unless_given_one()
    {
        Assert.Same(ConnectionInfo.Unknown, new HttpRequest(HttpMethod.Get, "/").Connection);
        Assert.False(ConnectionInfo.Unknown.IsTls);
        var peer = new IPEndPoint(IPAddress.Loopback, 5000);
        var request = new HttpRequest(HttpMethod.Get, "/", remoteEndPoint: peer);
        Assert.Equal(peer, request.Connection.RemoteEndPoint);
        Assert.Equal(peer, request.RemoteEndPoint);
        var info = new ConnectionInfo(peer, new IPEndPoint(IPAddress.Loopback, 80), null);
        var moved = new HttpRequest(HttpMethod.Get, "/", connection: info).WithRemoteEndPoint(new IPEndPoint(IPAddress.Loopback, 6000));
        Assert.Equal(new IPEndPoint(IPAddress.Loopback, 80), moved.Connection.LocalEndPoint);
        Assert.Equal(6000, ((IPEndPoint)moved.RemoteEndPoint!).Port);
        Assert.Equal("127.0.0.1:5000 -> 127.0.0.1:80, cleartext", info.ToString());
    }

    [Fact]
    [Trait("Category", "Loopback")]
    public async Task Routes_and_middleware_see_both_addresses_of_a_cleartext_connection()
    {
        await using var server = await LoopbackHttpServer.StartAsync(HttpHandlers.Wrap(Routes(), new PeerHeaderMiddleware()));
        using var socket = new RawHttpConnection(server.Port);
        socket.Send("GET /info HTTP/1.1\r\nHost: x\r\n\r\n");
        var response = socket.ReadResponse();
        var client = socket.Socket.LocalEndPoint!.ToString();
        Assert.Equal($"remote={client} local=127.0.0.1:{server.Port} tls=False", response.BodyText);
        Assert.Equal(client, response.Header("x-peer"));
    }

    [Fact]
    [Trait("Category", "Loopback")]
    public async Task Over_HTTPS_requests_carry_the_TLS_session_with_SNI_ALPN_and_the_client_certificate()
    {
        var options = TestCertificates.Shared.ServerOptions("conninfo.test") with
        {
            ClientCertificateMode = TlsClientCertificateMode.Required,
            ClientCertificateTrustedRoots = TestCertificates.Shared.Roots,
        };
        await using var server = await LoopbackHttpServer.StartAsync((builder, _) => builder.EnableHttps(options).Bind(Routes()));
        using var client = new SysHttpClient(new SocketsHttpHandler
        {
            SslOptions = new SslClientAuthenticationOptions
            {
                CertificateChainPolicy = TestCertificates.Shared.ChainPolicy(),
                ClientCertificates = [TestCertificates.Shared.Leaf("client.test")],
            },
            ConnectCallback = async (context, token) =>
            {
                var socket = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp) { NoDelay = true };
                await socket.ConnectAsync(IPAddress.Loopback, context.DnsEndPoint.Port, token);
                return new NetworkStream(socket, ownsSocket: true);
            },
        }) { Timeout = s_wait };

        // SocketsHttpHandler offers no ALPN for HTTP/1.1 (SslStream tests of the switch cover ALPN).
        var text = await client.GetStringAsync($"https://conninfo.test:{server.Port}/info").WaitAsync(s_wait);
        Assert.True(text.StartsWith("remote=127.0.0.1:", StringComparison.Ordinal), text);
        Assert.True(text.Contains($" local=127.0.0.1:{server.Port} tls=True version=Tls1", StringComparison.Ordinal), text);
        Assert.True(text.Contains(" sni=conninfo.test alpn= peer=CN=client.test", StringComparison.Ordinal), text);
        Assert.True(text.Contains(" cipher=TLS_", StringComparison.Ordinal), text);
    }

    [Fact]
    [Trait("Category", "Loopback")]
    public async Task A_connection_flow_knows_no_addresses_but_knows_its_TLS_session()
    {
        await using var server = await LoopbackHttpServer.StartAsync(Routes());
        var materializer = server.Materializer;
        var builder = server.System.Http().NewServerAt("127.0.0.1", 0);
        var request = ByteString.FromString("GET /info HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n");

        var plain = await Source.Single(request).Via(builder.ConnectionFlow(Routes()))
            .RunAggregate(ByteString.Empty, (all, bytes) => all.Concat(bytes), materializer).WaitAsync(s_wait);
        Assert.EndsWith("remote=unknown local=unknown tls=False", plain.ToString(System.Text.Encoding.UTF8), StringComparison.Ordinal);

        // Two materializations of one HTTPS connection flow: each its own TLS session.
        var https = builder.EnableHttps(TestCertificates.Shared.ServerOptions("localhost")).ConnectionFlow(Routes());
        for (var i = 0; i < 2; i++)
        {
            var tls = EpsilonTls.Client(TestCertificates.Shared.ClientOptions("localhost")).Join(https);
            var answer = (await Source.Single(request).Concat(Source.Never<ByteString>()).Via(tls)
                .Scan(ByteString.Empty, (all, bytes) => all.Concat(bytes))
                .TakeWhile(all => !all.ToString(System.Text.Encoding.UTF8).Contains("peer="), inclusive: true)
                .RunWith(Sink.Last<ByteString>(), materializer).WaitAsync(s_wait)).ToString(System.Text.Encoding.UTF8);
            Assert.Contains("remote=unknown local=unknown tls=True", answer, StringComparison.Ordinal);
            Assert.Contains("sni=localhost alpn= peer=none", answer, StringComparison.Ordinal);
        }
    }
}
