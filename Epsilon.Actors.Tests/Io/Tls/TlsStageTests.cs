using System.Net;
using System.Net.Security;
using System.Security.Authentication;
using System.Security.Cryptography;
using Akka;
using Akka.IO;
using Akka.Streams;
using Akka.Streams.Dsl;
using Epsilon.Actors.Io.Tls;
using Epsilon.Actors.Tests.TestKit;
using Xunit;
using Xunit.Abstractions;
using AkkaTestKit = Akka.TestKit.Xunit2.TestKit;
using StreamTcp = Akka.Streams.Dsl.Tcp;

namespace Epsilon.Actors.Tests.Io.Tls;

/// <summary>
/// The TLS BidiFlow over real loopback sockets: stage against stage, and each side against .NET's
/// own <see cref="SslStream"/> as the independent peer.
/// </summary>
[Trait("Category", "Loopback")]
public sealed partial class TlsStageTests : AkkaTestKit
{
    private static readonly TimeSpan s_wait = TimeSpan.FromSeconds(30);
    private readonly IMaterializer _materializer;

    public TlsStageTests(ITestOutputHelper output)
        : base(EpsilonTestConfig.For("auto"), output: output)
    {
        _materializer = Sys.Materializer();
    }

    private static TestCertificates Certs => TestCertificates.Shared;

    [Fact]
    public async Task Client_and_server_stages_round_trip_and_close_cleanly()
    {
        var sessions = new List<Task<TlsSessionInfo>>();
        var binding = await ServeAsync(Certs.ServerOptions("localhost"), Flow.Create<ByteString>(), sessions);

        var (session, reply) = RunClient(Certs.ClientOptions("localhost"), binding, Payload(100_000, seed: 1).Chunk(7000));
        var info = await session.WaitAsync(s_wait);
        Assert.True(info.Protocol is SslProtocols.Tls13, $"expected TLS 1.3, got {info}");
        Assert.False(info.IsServer);
        Assert.Equal("CN=localhost", info.PeerCertificate?.Subject);
        Assert.Equal(Payload(100_000, seed: 1), (await reply.WaitAsync(s_wait)).ToArray());

        var serverInfo = await OnlySession(sessions);
        Assert.True(serverInfo.IsServer);
        Assert.Equal("localhost", serverInfo.ServerName);
        await binding.Unbind();
    }

    [Fact]
    public async Task Reversed_server_joined_with_a_handler_is_the_connection_flow()
    {
        var options = Certs.ServerOptions("localhost");
        var binding = await TlsTestTransport.Bind(Sys)
            .To(Sink.ForEach<StreamTcp.IncomingConnection>(c =>
                c.HandleWith(EpsilonTls.Server(options).Reversed().Join(Flow.Create<ByteString>().Select(b => ByteString.FromString("re:").Concat(b))), _materializer)))
            .Run(_materializer)
            .WaitAsync(s_wait);

        var (_, reply) = RunClient(Certs.ClientOptions("localhost"), binding, [[1, 2]]);
        Assert.Equal(new byte[] { (byte)'r', (byte)'e', (byte)':', 1, 2 }, (await reply.WaitAsync(s_wait)).ToArray());
        await binding.Unbind();
    }

    [Fact]
    public async Task Client_stage_talks_to_an_SslStream_server()
    {
        await using var peer = SslStreamPeer.Serve(
            new SslServerAuthenticationOptions { ServerCertificate = Certs.Leaf("localhost"), ApplicationProtocols = [SslApplicationProtocol.Http11] },
            SslStreamPeer.Echo);
        var options = Certs.ClientOptions("localhost") with { ApplicationProtocols = ["h2", "http/1.1"] };

        var (session, reply) = RunClient(options, peer.EndPoint, Payload(300_000, seed: 2).Chunk(16_000));
        Assert.Equal("http/1.1", (await session.WaitAsync(s_wait)).ApplicationProtocol);
        Assert.Equal(Payload(300_000, seed: 2), (await reply.WaitAsync(s_wait)).ToArray());
        Assert.Empty(peer.Failures);
    }

    [Fact]
    public async Task Server_stage_serves_an_SslStream_client()
    {
        var sessions = new List<Task<TlsSessionInfo>>();
        var options = Certs.ServerOptions("localhost") with { ApplicationProtocols = ["h2", "http/1.1"] };
        var binding = await ServeAsync(options, Flow.Create<ByteString>(), sessions);

        await using var ssl = await SslStreamPeer.ConnectAsync(EndPointOf(binding), new SslClientAuthenticationOptions
        {
            TargetHost = "localhost",
            ApplicationProtocols = [SslApplicationProtocol.Http2, SslApplicationProtocol.Http11],
            CertificateChainPolicy = Certs.ChainPolicy(),
        });
        Assert.Equal(SslApplicationProtocol.Http2, ssl.NegotiatedApplicationProtocol);
        var payload = Payload(200_000, seed: 3);
        await ssl.WriteAsync(payload);
        await ssl.ShutdownAsync();
        Assert.Equal(payload, await SslStreamPeer.ReadToEndAsync(ssl).WaitAsync(s_wait));

        var info = await OnlySession(sessions);
        Assert.Equal("h2", info.ApplicationProtocol);
        await binding.Unbind();
    }

    // ---- helpers ----

    internal static byte[] Payload(int size, int seed)
    {
        var bytes = new byte[size];
        new Random(seed).NextBytes(bytes);
        return bytes;
    }

    private async Task<StreamTcp.ServerBinding> ServeAsync<TMat>(TlsServerOptions options, Flow<ByteString, ByteString, TMat> handler,
        List<Task<TlsSessionInfo>>? sessions = null)
    {
        return await TlsTestTransport.Bind(Sys)
            .To(Sink.ForEach<StreamTcp.IncomingConnection>(connection =>
            {
                var session = connection.HandleWith(EpsilonTls.ServerFlow(options, handler), _materializer);
                if (sessions is not null)
                {
                    lock (sessions) sessions.Add(session);
                }
            }))
            .Run(_materializer)
            .WaitAsync(s_wait);
    }

    private (Task<TlsSessionInfo> Session, Task<ByteString> Reply) RunClient(TlsClientOptions options, StreamTcp.ServerBinding binding,
        IEnumerable<byte[]> chunks) => RunClient(options, EndPointOf(binding), chunks);

    private (Task<TlsSessionInfo> Session, Task<ByteString> Reply) RunClient(TlsClientOptions options, EndPoint endPoint, IEnumerable<byte[]> chunks) =>
        Source.From(chunks.Select(ByteString.FromBytes))
            .ViaMaterialized(EpsilonTls.Client(options).Join(TlsTestTransport.Connect(Sys, endPoint)), Keep.Right)
            .ToMaterialized(Sink.Aggregate<ByteString, ByteString>(ByteString.Empty, (all, next) => all.Concat(next)), Keep.Both)
            .Run(_materializer);

    /// <summary>The session of the one connection the server accepted (waiting for the accept).</summary>
    private static async Task<TlsSessionInfo> OnlySession(List<Task<TlsSessionInfo>> sessions)
    {
        var deadline = DateTime.UtcNow + s_wait;
        while (true)
        {
            Task<TlsSessionInfo>? first;
            lock (sessions) first = sessions.Count > 0 ? Assert.Single(sessions) : null;
            if (first is not null) return await first.WaitAsync(s_wait);

            if (DateTime.UtcNow > deadline) throw new TimeoutException("the server accepted no connection");
            await Task.Delay(20);
        }
    }

    private static IPEndPoint EndPointOf(StreamTcp.ServerBinding binding) => new(IPAddress.Loopback, TlsTestTransport.PortOf(binding));
}
