using System.Net;
using System.Net.Security;
using System.Net.Sockets;
using System.Text;
using Akka.IO;
using Akka.Streams.Dsl;
using Epsilon.Actors.Http.Connections;
using Epsilon.Actors.Http.Model;
using Epsilon.Actors.Http.Server;
using Epsilon.Actors.Tests.TestKit;
using Xunit;

namespace Epsilon.Actors.Tests.Http.Connections;

/// <summary>
/// The protocol switch with a test protocol standing in for HTTP/2, over real loopback sockets:
/// chosen by its preface on cleartext (split at every offset), by ALPN over TLS (SslStream
/// offering the test id), and by an <c>Upgrade</c> token without a handler; HTTP/1.1 serves
/// everything else on the same port.
/// </summary>
[Trait("Category", "Loopback")]
public sealed class ProtocolSwitchStageTests
{
    private static readonly TimeSpan s_wait = TimeSpan.FromSeconds(30);
    private static readonly byte[] s_preface = "PRI * HTTP/2.0\r\n\r\nSM\r\n\r\n"u8.ToArray();

    /// <summary>Greets with what it knows of the connection, then echoes every byte.</summary>
    private static ServerProtocol TestProtocol() => new("x-test", connection =>
        Flow.Create<ByteString>().Prepend(Source.Single(ByteString.FromString(Greeting(connection.Info.IsTls, connection.Info.Tls?.ApplicationProtocol)))))
    {
        ApplicationProtocol = "x-test",
        UpgradeToken = "x-test",
        Preface = s_preface,
    };

    private static string Greeting(bool tls, string? alpn) => $"x-test tls={tls} alpn={alpn ?? "-"}\n";

    private static readonly HttpHandler s_http = request =>
        new ValueTask<HttpResponse>(HttpResponse.Text($"http/1.1 {request.Method.Name} {request.Target} tls={request.Connection.IsTls} alpn={request.Connection.Tls?.ApplicationProtocol ?? "-"}"));

    private static Task<LoopbackHttpServer> Start(Func<HttpServerBuilder, HttpServerBuilder>? configure = null, TimeSpan? prefaceTimeout = null) =>
        LoopbackHttpServer.StartAsync(
            (builder, _) => (configure?.Invoke(builder) ?? builder).WithProtocol(TestProtocol()).Bind(s_http),
            settings => settings with { PrefaceTimeout = prefaceTimeout ?? TimeSpan.FromSeconds(10) });

    [Fact]
    public async Task Chooses_the_test_protocol_by_its_preface_split_at_every_offset()
    {
        await using var server = await Start();
        var expected = Encoding.ASCII.GetBytes(Greeting(false, null)).Concat(s_preface).Concat("ping"u8.ToArray()).ToArray();
        for (var split = 0; split <= s_preface.Length; split++)
        {
            using var connection = new RawHttpConnection(server.Port);
            connection.Send(s_preface.AsSpan(0, split));
            await Task.Delay(15);
            connection.Send([.. s_preface[split..], .. "ping"u8.ToArray()]);
            Assert.Equal(Encoding.ASCII.GetString(expected), Encoding.ASCII.GetString(connection.ReadBytes(expected.Length)));
        }
    }

    [Fact]
    public async Task Serves_HTTP_1_1_on_the_same_port_including_requests_that_begin_like_the_preface()
    {
        await using var server = await Start();
        using var connection = new RawHttpConnection(server.Port);
        connection.Send("GET /a HTTP/1.1\r\nHost: x\r\n\r\n");
        Assert.Equal("http/1.1 GET /a tls=False alpn=-", connection.ReadResponse().BodyText);
        connection.Send("GET /b HTTP/1.1\r\nHost: x\r\n\r\n");
        Assert.Equal("http/1.1 GET /b tls=False alpn=-", connection.ReadResponse().BodyText);

        using var pri = new RawHttpConnection(server.Port);
        pri.Send("PRI /p HTTP/1.1\r\nHost: x\r\n\r\n");
        Assert.Equal("http/1.1 PRI /p tls=False alpn=-", pri.ReadResponse().BodyText);

        using var client = server.CreateClient();
        Assert.Equal("http/1.1 GET /c tls=False alpn=-", await client.GetStringAsync("/c").WaitAsync(s_wait));
    }

    [Fact]
    public async Task Hands_an_incomplete_preface_to_HTTP_1_1_at_the_preface_timeout()
    {
        await using var server = await Start(prefaceTimeout: TimeSpan.FromMilliseconds(300));
        using var connection = new RawHttpConnection(server.Port);
        connection.Send(s_preface.AsSpan(0, s_preface.Length - 2));
        // HTTP/1.1 reads "PRI * HTTP/2.0" and its empty header section: 505, then close.
        Assert.Equal(505, connection.ReadResponse().Status);
        Assert.True(connection.IsClosedByServer());
    }

    [Fact]
    public async Task Chooses_the_test_protocol_by_ALPN_over_TLS_and_HTTP_1_1_for_http_1_1()
    {
        await using var server = await Start(builder => builder.EnableHttps(TestCertificates.Shared.ServerOptions("localhost")));

        await using (var tls = await ConnectAsync(server.Port, [new SslApplicationProtocol("x-test")]))
        {
            Assert.Equal("x-test", tls.NegotiatedApplicationProtocol.ToString());
            var greeting = Greeting(true, "x-test");
            Assert.Equal(greeting, await ReadAsync(tls, greeting.Length));
            await tls.WriteAsync("ping"u8.ToArray());
            Assert.Equal("ping", await ReadAsync(tls, 4));
        }

        await using (var tls = await ConnectAsync(server.Port, [SslApplicationProtocol.Http11]))
        {
            await tls.WriteAsync("GET /tls HTTP/1.1\r\nHost: localhost\r\nConnection: close\r\n\r\n"u8.ToArray());
            Assert.EndsWith("http/1.1 GET /tls tls=True alpn=http/1.1", await ReadToEndAsync(tls), StringComparison.Ordinal);
        }
    }

    [Fact]
    public async Task Switches_to_the_protocol_claiming_the_Upgrade_token_without_a_handler_bytes_after_the_head_first()
    {
        await using var server = await Start();
        using var connection = new RawHttpConnection(server.Port);
        connection.Send("GET /switch HTTP/1.1\r\nHost: x\r\nUpgrade: foo/2, x-test\r\nConnection: keep-alive, Upgrade\r\n\r\nearly");
        var response = connection.ReadResponse();
        Assert.Equal(101, response.Status);
        Assert.Equal("x-test", response.Header("upgrade"));
        Assert.Equal("Upgrade", response.Header("connection"));
        var greeting = Greeting(false, null);
        Assert.Equal(greeting + "early", Encoding.ASCII.GetString(connection.ReadBytes(greeting.Length + 5)));
        connection.Send("late");
        Assert.Equal("late", Encoding.ASCII.GetString(connection.ReadBytes(4)));
        connection.ShutdownSend();
        Assert.True(connection.IsClosedByServer());

        // Without Connection: upgrade the token means nothing: an ordinary request.
        using var plain = new RawHttpConnection(server.Port);
        plain.Send("GET /plain HTTP/1.1\r\nHost: x\r\nUpgrade: x-test\r\n\r\n");
        Assert.Equal("http/1.1 GET /plain tls=False alpn=-", plain.ReadResponse().BodyText);
    }

    [Fact]
    public async Task A_termination_reaches_the_protocol_chosen_and_idle_HTTP_1_1_behind_the_switch()
    {
        var server = await Start();
        try
        {
            using var idle = new RawHttpConnection(server.Port);
            idle.Send("GET /first HTTP/1.1\r\nHost: x\r\n\r\n");
            Assert.Equal(200, idle.ReadResponse().Status);
            using var switched = new RawHttpConnection(server.Port);
            switched.Send(s_preface);
            // The greeting, then the preface echoed (the switch hands it over with the connection).
            var greeting = Greeting(false, null);
            Assert.Equal(greeting, Encoding.ASCII.GetString(switched.ReadBytes(greeting.Length)));
            Assert.Equal(s_preface, switched.ReadBytes(s_preface.Length));
            Assert.Equal(2, server.Binding.ConnectionCount);

            await server.Binding.Terminate(TimeSpan.FromMilliseconds(500)).WaitAsync(s_wait);
            Assert.True(idle.IsClosedByServer());
            Assert.True(switched.IsClosedByServer());
            Assert.Equal(0, server.Binding.ConnectionCount);
        }
        finally
        {
            await server.DisposeAsync();
        }
    }

    private static async Task<SslStream> ConnectAsync(int port, List<SslApplicationProtocol> alpn)
    {
        var socket = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp) { NoDelay = true };
        await socket.ConnectAsync(IPAddress.Loopback, port).WaitAsync(s_wait);
        var tls = new SslStream(new NetworkStream(socket, ownsSocket: true));
        await tls.AuthenticateAsClientAsync(new SslClientAuthenticationOptions
        {
            TargetHost = "localhost",
            ApplicationProtocols = alpn,
            CertificateChainPolicy = TestCertificates.Shared.ChainPolicy(),
        }).WaitAsync(s_wait);
        return tls;
    }

    private static async Task<string> ReadAsync(Stream stream, int count)
    {
        var buffer = new byte[count];
        await stream.ReadExactlyAsync(buffer).AsTask().WaitAsync(s_wait);
        return Encoding.ASCII.GetString(buffer);
    }

    private static async Task<string> ReadToEndAsync(Stream stream)
    {
        using var memory = new MemoryStream();
        await stream.CopyToAsync(memory).WaitAsync(s_wait);
        return Encoding.UTF8.GetString(memory.ToArray());
    }
}
