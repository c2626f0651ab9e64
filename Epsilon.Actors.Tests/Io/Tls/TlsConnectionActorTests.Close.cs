using System.Net;
using System.Net.Security;
using System.Security.Cryptography;
using Akka.Actor;
using Akka.IO;
using Akka.TestKit;
using Epsilon.Actors.Io.Tls;
using Epsilon.Actors.Tests.TestKit;
using Xunit;
using AkkaTcp = Akka.IO.Tcp;

namespace Epsilon.Actors.Tests.Io.Tls;

/// <summary>
/// The adapter's write limit and close mapping (the TCP connection's rules, from
/// <c>TcpWriteQueue</c> and <c>TcpCloseStateMachine</c>), each against an SslStream client.
/// </summary>
public sealed partial class TlsConnectionActorTests
{
    [Fact]
    public async Task Write_past_the_pending_limit_is_refused_and_ResumeWriting_answers_once_drained()
    {
        var (handler, connection, client) = await AcceptedAsync();
        await using var _ = client;
        var big = TlsStageTests.Payload(4 * 1024 * 1024, seed: 3);
        connection.Tell(AkkaTcp.Write.Create(ByteString.FromBytes(big), new Ack(1)), handler.Ref);
        // Told before the first can complete (its completion comes back through the mailbox).
        var over = AkkaTcp.Write.Create(ByteString.FromString("x"), new Ack(2));
        connection.Tell(over, handler.Ref);
        var refused = handler.ExpectMsg<AkkaTcp.CommandFailed>(s_wait);
        Assert.Same(over, refused.Cmd);
        Assert.Contains("queue is full", refused.Cause.Value.Message);

        // useResumeWriting (the default): every later write is refused until ResumeWriting.
        connection.Tell(AkkaTcp.Write.Create(ByteString.FromString("y")), handler.Ref);
        Assert.Contains("suspended", handler.ExpectMsg<AkkaTcp.CommandFailed>(s_wait).Cause.Value.Message);
        connection.Tell(AkkaTcp.ResumeWriting.Instance, handler.Ref);

        var received = new byte[big.Length];
        await client.ReadExactlyAsync(received).AsTask().WaitAsync(s_wait);
        Assert.Equal(SHA256.HashData(big), SHA256.HashData(received));
        Assert.Equal(1, handler.ExpectMsg<Ack>(s_wait).Offset);
        handler.ExpectMsg<AkkaTcp.WritingResumed>(s_wait);

        connection.Tell(AkkaTcp.Write.Create(ByteString.FromString("z"), new Ack(3)), handler.Ref);
        Assert.Equal(3, handler.ExpectMsg<Ack>(s_wait).Offset);
        var one = new byte[1];
        await client.ReadExactlyAsync(one).AsTask().WaitAsync(s_wait);
        Assert.Equal((byte)'z', one[0]);
    }

    [Fact]
    public async Task Close_sends_queued_writes_then_close_notify_and_tells_handler_and_commander_Closed()
    {
        var (handler, connection, client) = await AcceptedAsync();
        await using var _ = client;
        var data = TlsStageTests.Payload(2 * 1024 * 1024, seed: 5);
        connection.Tell(AkkaTcp.Write.Create(ByteString.FromBytes(data)), handler.Ref);
        var commander = CreateTestProbe();
        connection.Tell(AkkaTcp.Close.Instance, commander.Ref);
        connection.Tell(AkkaTcp.Write.Create(ByteString.FromString("late")), handler.Ref);
        handler.ExpectMsg<AkkaTcp.CommandFailed>(s_wait);

        // Everything, then a clean end (close_notify, not a truncation).
        var received = await SslStreamPeer.ReadToEndAsync(client).WaitAsync(s_wait);
        Assert.Equal(SHA256.HashData(data), SHA256.HashData(received));
        handler.ExpectMsg<AkkaTcp.Closed>(s_wait);
        commander.ExpectMsg<AkkaTcp.Closed>(s_wait);
    }

    [Fact]
    public async Task ConfirmedClose_delivers_what_the_peer_still_sends_and_completes_on_its_close_notify()
    {
        var (handler, connection, client) = await AcceptedAsync();
        await using var _ = client;
        connection.Tell(AkkaTcp.Write.Create(ByteString.FromString("bye")), handler.Ref);
        connection.Tell(AkkaTcp.ConfirmedClose.Instance, handler.Ref);
        var bye = new byte[3];
        await client.ReadExactlyAsync(bye).AsTask().WaitAsync(s_wait);
        Assert.Equal("bye"u8.ToArray(), bye);

        await client.WriteAsync("ok"u8.ToArray());
        Assert.Equal("ok", handler.ExpectMsg<AkkaTcp.Received>(s_wait).Data.ToString());
        Assert.Equal(0, await client.ReadAsync(new byte[16]).AsTask().WaitAsync(s_wait)); // our close_notify
        handler.ExpectNoMsg(TimeSpan.FromMilliseconds(200));
        await client.ShutdownAsync();
        handler.ExpectMsg<AkkaTcp.ConfirmedClosed>(s_wait);
    }

    [Fact]
    public async Task Abort_resets_the_peer_and_tells_handler_and_commander_Aborted()
    {
        var (handler, connection, client) = await AcceptedAsync();
        await using var _ = client;
        var commander = CreateTestProbe();
        connection.Tell(AkkaTcp.Abort.Instance, commander.Ref);
        handler.ExpectMsg<AkkaTcp.Aborted>(s_wait);
        commander.ExpectMsg<AkkaTcp.Aborted>(s_wait);
        await Assert.ThrowsAnyAsync<IOException>(() => client.ReadAsync(new byte[16]).AsTask().WaitAsync(s_wait));
    }

    [Fact]
    public async Task Peer_close_notify_without_keep_open_gives_one_PeerClosed_and_answers_with_close_notify()
    {
        var (handler, connection, client) = await AcceptedAsync();
        await using var _ = client;
        handler.Watch(connection);
        await client.ShutdownAsync();
        handler.ExpectMsg<AkkaTcp.PeerClosed>(s_wait);
        handler.ExpectTerminated(connection, s_wait);
        Assert.Equal(0, await client.ReadAsync(new byte[16]).AsTask().WaitAsync(s_wait));
        handler.ExpectNoMsg(TimeSpan.FromMilliseconds(100));
    }

    [Fact]
    public async Task Keep_open_on_peer_closed_allows_writing_after_the_peer_close_notify()
    {
        var (handler, connection, client) = await AcceptedAsync(keepOpenOnPeerClosed: true);
        await using var _ = client;
        await client.ShutdownAsync();
        handler.ExpectMsg<AkkaTcp.PeerClosed>(s_wait);

        connection.Tell(AkkaTcp.Write.Create(ByteString.FromString("reply"), new Ack(7)), handler.Ref);
        Assert.Equal(7, handler.ExpectMsg<Ack>(s_wait).Offset);
        connection.Tell(AkkaTcp.Close.Instance, handler.Ref);
        handler.ExpectMsg<AkkaTcp.Closed>(s_wait);
        Assert.Equal("reply"u8.ToArray(), await SslStreamPeer.ReadToEndAsync(client).WaitAsync(s_wait));
    }

    [Fact]
    public async Task A_stopped_handler_resets_the_connection()
    {
        var (handler, connection, client) = await AcceptedAsync();
        await using var _ = client;
        Watch(connection);
        Sys.Stop(handler.Ref);
        ExpectTerminated(connection, s_wait);
        await Assert.ThrowsAnyAsync<IOException>(() => client.ReadAsync(new byte[16]).AsTask().WaitAsync(s_wait));
    }

    /// <summary>A server adapter registered to a new probe, with its SslStream client.</summary>
    private async Task<(TestProbe Handler, IActorRef Connection, SslStream Client)> AcceptedAsync(bool keepOpenOnPeerClosed = false)
    {
        var commander = CreateTestProbe();
        var handler = CreateTestProbe();
        Sys.ActorOf(EpsilonTls.BindProps(commander.Ref, new AkkaTcp.Bind(handler.Ref, new IPEndPoint(IPAddress.Loopback, 0)), Certs.ServerOptions("localhost")));
        var bound = commander.ExpectMsg<AkkaTcp.Bound>(s_wait);
        var clientTask = SslStreamPeer.ConnectAsync(bound.LocalAddress,
            new SslClientAuthenticationOptions { TargetHost = "localhost", CertificateChainPolicy = Certs.ChainPolicy() });
        handler.ExpectMsg<TlsSessionInfo>(s_wait);
        handler.ExpectMsg<AkkaTcp.Connected>(s_wait);
        var connection = handler.LastSender;
        connection.Tell(new AkkaTcp.Register(handler.Ref, keepOpenOnPeerClosed), handler.Ref);
        return (handler, connection, await clientTask.WaitAsync(s_wait));
    }
}
