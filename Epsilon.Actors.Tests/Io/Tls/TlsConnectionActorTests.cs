using System.Net;
using System.Net.Security;
using Akka.Actor;
using Akka.IO;
using Akka.TestKit;
using Epsilon.Actors.Io.Tls;
using Epsilon.Actors.Tests.TestKit;
using Xunit;
using Xunit.Abstractions;
using AkkaTcp = Akka.IO.Tcp;
using AkkaTestKit = Akka.TestKit.Xunit2.TestKit;

namespace Epsilon.Actors.Tests.Io.Tls;

/// <summary>
/// The actor adapter over Epsilon's TCP manager (<c>system.EpsilonTcp()</c>), with .NET's
/// <see cref="SslStream"/> over real loopback sockets as the peer. The close and write-limit
/// cases are in the partial file beside this one (the limit is 1 MiB here to reach it quickly).
/// </summary>
[Trait("Category", "Loopback")]
public sealed partial class TlsConnectionActorTests(ITestOutputHelper output)
    : AkkaTestKit(EpsilonTestConfig.For("auto", extra: "epsilon.io.tcp.max-pending-write-bytes = 1 MiB"), output: output)
{
    private static readonly TimeSpan s_wait = TimeSpan.FromSeconds(20);

    private static TestCertificates Certs => TestCertificates.Shared;

    [Fact]
    public async Task Client_adapter_round_trips_with_an_SslStream_server()
    {
        await using var peer = SslStreamPeer.Serve(
            new SslServerAuthenticationOptions { ServerCertificate = Certs.Leaf("localhost"), ApplicationProtocols = [SslApplicationProtocol.Http11] },
            SslStreamPeer.Echo);
        var handler = CreateTestProbe();
        var options = Certs.ClientOptions("localhost") with { ApplicationProtocols = ["http/1.1"] };
        Sys.ActorOf(EpsilonTls.ConnectProps(handler.Ref, new AkkaTcp.Connect(peer.EndPoint), options));

        var session = handler.ExpectMsg<TlsSessionInfo>(s_wait);
        Assert.Equal("http/1.1", session.ApplicationProtocol);
        handler.ExpectMsg<AkkaTcp.Connected>(s_wait);
        var connection = handler.LastSender;
        connection.Tell(new AkkaTcp.Register(handler.Ref), handler.Ref);

        var payload = TlsStageTests.Payload(200_000, seed: 11);
        for (var i = 0; i < payload.Length; i += 50_000)
        {
            connection.Tell(AkkaTcp.Write.Create(ByteString.FromBytes(payload.AsSpan(i, 50_000).ToArray()), new Ack(i)), handler.Ref);
        }

        var received = new MemoryStream();
        var acks = 0;
        while (received.Length < payload.Length || acks < 4)
        {
            var message = handler.ReceiveOne(s_wait);
            switch (message)
            {
                case AkkaTcp.Received r:
                    received.Write(r.Data.ToArray());
                    break;
                case Ack:
                    acks++;
                    break;
                default:
                    Assert.Fail($"unexpected {message}");
                    break;
            }
        }

        Assert.Equal(payload, received.ToArray());
        connection.Tell(AkkaTcp.Close.Instance, handler.Ref);

        // Our close_notify ends the echo, which answers with its own: PeerClosed, then Closed.
        handler.FishForMessage(m => m is AkkaTcp.Closed, s_wait);
        Assert.Empty(peer.Failures);
    }

    [Fact]
    public async Task Listener_adapter_serves_an_SslStream_client()
    {
        var commander = CreateTestProbe();
        var handler = CreateTestProbe();
        Sys.ActorOf(EpsilonTls.BindProps(commander.Ref, new AkkaTcp.Bind(handler.Ref, new IPEndPoint(IPAddress.Loopback, 0)),
            Certs.ServerOptions("localhost") with { ApplicationProtocols = ["h2"] }));
        var bound = commander.ExpectMsg<AkkaTcp.Bound>(s_wait);

        var clientTask = SslStreamPeer.ConnectAsync(bound.LocalAddress, new SslClientAuthenticationOptions
        {
            TargetHost = "localhost",
            ApplicationProtocols = [SslApplicationProtocol.Http2],
            CertificateChainPolicy = Certs.ChainPolicy(),
        });
        var session = handler.ExpectMsg<TlsSessionInfo>(s_wait);
        Assert.Equal("h2", session.ApplicationProtocol);
        Assert.True(session.IsServer);
        handler.ExpectMsg<AkkaTcp.Connected>(s_wait);
        var connection = handler.LastSender;
        connection.Tell(new AkkaTcp.Register(handler.Ref), handler.Ref);
        await using var client = await clientTask.WaitAsync(s_wait);

        await client.WriteAsync("ping"u8.ToArray());
        Assert.Equal("ping", handler.ExpectMsg<AkkaTcp.Received>(s_wait).Data.ToString());
        connection.Tell(AkkaTcp.Write.Create(ByteString.FromString("pong")), handler.Ref);
        var buffer = new byte[4];
        await client.ReadExactlyAsync(buffer).AsTask().WaitAsync(s_wait);
        Assert.Equal("pong"u8.ToArray(), buffer);

        await client.ShutdownAsync();
        handler.ExpectMsg<AkkaTcp.PeerClosed>(s_wait);
    }

    [Fact]
    public async Task Failed_handshake_answers_CommandFailed_naming_the_cause()
    {
        await using var peer = SslStreamPeer.Serve(new SslServerAuthenticationOptions { ServerCertificate = Certs.Leaf("elsewhere.test") }, SslStreamPeer.Echo);
        var commander = CreateTestProbe();
        var connect = new AkkaTcp.Connect(peer.EndPoint);
        var adapter = Sys.ActorOf(EpsilonTls.ConnectProps(commander.Ref, connect, Certs.ClientOptions("localhost")));
        Watch(adapter);

        var failed = commander.ExpectMsg<AkkaTcp.CommandFailed>(s_wait);
        Assert.Same(connect, failed.Cmd);
        var cause = Assert.IsType<TlsException>(failed.Cause.Value);
        Assert.Equal(TlsFailureReason.CertificateNameMismatch, cause.Reason);
        ExpectTerminated(adapter, s_wait);
    }

    [Fact]
    public async Task Plaintext_on_the_listener_closes_that_connection_and_the_next_one_is_served()
    {
        var commander = CreateTestProbe();
        var handler = CreateTestProbe();
        Sys.ActorOf(EpsilonTls.BindProps(commander.Ref, new AkkaTcp.Bind(handler.Ref, new IPEndPoint(IPAddress.Loopback, 0)), Certs.ServerOptions("localhost")));
        var bound = commander.ExpectMsg<AkkaTcp.Bound>(s_wait);

        using (var plain = PlainSocket.Connect(bound.LocalAddress))
        {
            plain.Send("GET / HTTP/1.1\r\n\r\n"u8.ToArray());
            plain.ReceiveTimeout = 10_000;
            try
            {
                while (plain.Receive(new byte[1024]) > 0)
                {
                    // Drain until the adapter closes the connection.
                }
            }
            catch (System.Net.Sockets.SocketException)
            {
                // A reset closes it too.
            }
        }

        handler.ExpectNoMsg(TimeSpan.FromMilliseconds(200));
        await using var client = await SslStreamPeer.ConnectAsync(bound.LocalAddress,
            new SslClientAuthenticationOptions { TargetHost = "localhost", CertificateChainPolicy = Certs.ChainPolicy() }).WaitAsync(s_wait);
        handler.ExpectMsg<TlsSessionInfo>(s_wait);
        handler.ExpectMsg<AkkaTcp.Connected>(s_wait);
    }

    [Fact]
    public void Connect_to_a_closed_port_answers_CommandFailed()
    {
        var port = PortNobodyListensOn();
        var commander = CreateTestProbe();
        var connect = new AkkaTcp.Connect(new IPEndPoint(IPAddress.Loopback, port));
        Sys.ActorOf(EpsilonTls.ConnectProps(commander.Ref, connect, Certs.ClientOptions("localhost")));
        var failed = commander.ExpectMsg<AkkaTcp.CommandFailed>(s_wait);
        Assert.Same(connect, failed.Cmd);
    }

    private static int PortNobodyListensOn()
    {
        using var socket = new System.Net.Sockets.Socket(System.Net.Sockets.AddressFamily.InterNetwork, System.Net.Sockets.SocketType.Stream, System.Net.Sockets.ProtocolType.Tcp);
        socket.Bind(new IPEndPoint(IPAddress.Loopback, 0));
        return ((IPEndPoint)socket.LocalEndPoint!).Port;
    }

    private sealed class Ack(int offset) : AkkaTcp.Event
    {
        public int Offset { get; } = offset;
    }
}
