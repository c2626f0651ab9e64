using System.Net;
using System.Net.Sockets;
using System.Security.Cryptography;
using Akka.IO;
using Akka.TestKit;
using Epsilon.Actors.Io.Tcp;
using Epsilon.Actors.Tests.TestKit;
using Xunit;

namespace Epsilon.Actors.Tests.Io.Tcp;

/// <summary>Close, ConfirmedClose, Abort, peer close, handler death, register timeout, Unbind.</summary>
public abstract partial class TcpContractTests
{
    [SkippableFact]
    public void Peer_reset_gives_ErrorClosed()
    {
        RequireBackend();
        var handler = CreateTestProbe();
        var (_, endPoint) = Bind(handler.Ref);
        var client = PlainSocket.Connect(endPoint);
        var connection = AcceptAndRegister(handler);
        handler.Watch(connection);
        client.Reset();
        var closed = handler.ExpectMsg<Akka.IO.Tcp.ErrorClosed>(s_wait);
        Assert.Contains("reset", closed.Cause, StringComparison.OrdinalIgnoreCase);
        handler.ExpectTerminated(connection, s_wait);
    }

    [SkippableFact]
    public void A_stopped_handler_closes_its_connection_and_no_other()
    {
        RequireBackend();
        var handler = CreateTestProbe();
        var (_, endPoint) = Bind(handler.Ref);
        using var first = PlainSocket.Connect(endPoint);
        handler.ExpectMsg<Akka.IO.Tcp.Connected>(s_wait);
        var firstConnection = handler.LastSender;
        var doomed = CreateTestProbe();
        firstConnection.Tell(new Akka.IO.Tcp.Register(doomed.Ref), doomed.Ref);
        using var second = PlainSocket.Connect(endPoint);
        var secondConnection = AcceptAndRegister(handler);

        Watch(firstConnection);
        Sys.Stop(doomed.Ref);
        ExpectTerminated(firstConnection, s_wait);
        AssertReset(first);

        second.Send("still here"u8.ToArray());
        Assert.Equal("still here", System.Text.Encoding.ASCII.GetString(ReceiveBytes(handler, 10)));
        secondConnection.Tell(Akka.IO.Tcp.Write.Create(ByteString.FromString("yes")), handler.Ref);
        Assert.Equal("yes", System.Text.Encoding.ASCII.GetString(second.ReceiveExactly(3)));
    }

    [SkippableFact]
    public void Register_timeout_closes_an_unregistered_connection()
    {
        RequireBackend();
        var (handler, client, connection) = Accepted(register: false);
        using var _ = client;
        Watch(connection);
        ExpectTerminated(connection, TimeSpan.FromSeconds(6));
        AssertReset(client);
    }

    [SkippableFact]
    public void Keep_open_on_peer_closed_allows_writing_after_PeerClosed()
    {
        RequireBackend();
        var (handler, client, connection) = Accepted(keepOpenOnPeerClosed: true);
        using var _ = client;
        client.Send("last words"u8.ToArray());
        client.Shutdown(SocketShutdown.Send);
        Assert.Equal("last words", System.Text.Encoding.ASCII.GetString(ReceiveBytes(handler, 10)));
        handler.ExpectMsg<Akka.IO.Tcp.PeerClosed>(s_wait);

        connection.Tell(Akka.IO.Tcp.Write.Create(ByteString.FromString("reply"), new AckToken(7)), handler.Ref);
        handler.ExpectMsg<AckToken>(s_wait);
        connection.Tell(Akka.IO.Tcp.Close.Instance, handler.Ref);
        handler.ExpectMsg<Akka.IO.Tcp.Closed>(s_wait);
        Assert.Equal("reply", System.Text.Encoding.ASCII.GetString(client.ReceiveToEnd()));
    }

    [SkippableFact]
    public void Peer_close_without_keep_open_flushes_and_closes()
    {
        RequireBackend();
        var (handler, client, connection) = Accepted();
        using var _ = client;
        handler.Watch(connection);
        client.Shutdown(SocketShutdown.Send);
        handler.ExpectMsg<Akka.IO.Tcp.PeerClosed>(s_wait);
        handler.ExpectTerminated(connection, s_wait);
        Assert.Empty(client.ReceiveToEnd());
    }

    [SkippableFact]
    public void Close_flushes_pending_writes_then_reports_Closed_to_handler_and_commander()
    {
        RequireBackend();
        var (handler, client, connection) = Accepted();
        using var _ = client;
        var data = PlainSocket.Pattern(3 * 1024 * 1024);
        connection.Tell(Akka.IO.Tcp.Write.Create(ByteString.FromBytes(data)), handler.Ref);
        var commander = CreateTestProbe();
        connection.Tell(Akka.IO.Tcp.Close.Instance, commander.Ref);
        var received = client.ReceiveToEnd();
        Assert.Equal(data, received);
        handler.ExpectMsg<Akka.IO.Tcp.Closed>(s_wait);
        commander.ExpectMsg<Akka.IO.Tcp.Closed>(s_wait);
    }

    [SkippableFact]
    public void ConfirmedClose_waits_for_the_peer_and_reports_ConfirmedClosed()
    {
        RequireBackend();
        var (handler, client, connection) = Accepted();
        using var _ = client;
        connection.Tell(Akka.IO.Tcp.Write.Create(ByteString.FromString("bye")), handler.Ref);
        connection.Tell(Akka.IO.Tcp.ConfirmedClose.Instance, handler.Ref);
        Assert.Equal("bye", System.Text.Encoding.ASCII.GetString(client.ReceiveToEnd()));
        handler.ExpectNoMsg(TimeSpan.FromMilliseconds(200));

        // Writes after ConfirmedClose are refused.
        connection.Tell(Akka.IO.Tcp.Write.Create(ByteString.FromString("late")), handler.Ref);
        handler.ExpectMsg<Akka.IO.Tcp.CommandFailed>(s_wait);

        // Data the peer still sends is delivered, then its FIN confirms the close.
        client.Send("ok"u8.ToArray());
        Assert.Equal("ok", System.Text.Encoding.ASCII.GetString(ReceiveBytes(handler, 2)));
        client.Shutdown(SocketShutdown.Send);
        handler.ExpectMsg<Akka.IO.Tcp.ConfirmedClosed>(s_wait);
    }

    [SkippableFact]
    public void Abort_resets_the_peer_and_reports_Aborted()
    {
        RequireBackend();
        var (handler, client, connection) = Accepted();
        using var _ = client;
        connection.Tell(Akka.IO.Tcp.Abort.Instance, handler.Ref);
        handler.ExpectMsg<Akka.IO.Tcp.Aborted>(s_wait);
        AssertReset(client);
    }

    [SkippableFact]
    public void Unbind_stops_listening_and_keeps_accepted_connections()
    {
        RequireBackend();
        var handler = CreateTestProbe();
        var (listener, endPoint) = Bind(handler.Ref);
        using var client = PlainSocket.Connect(endPoint);
        var connection = AcceptAndRegister(handler);

        var commander = CreateTestProbe();
        listener.Tell(Akka.IO.Tcp.Unbind.Instance, commander.Ref);
        commander.ExpectMsg<Akka.IO.Tcp.Unbound>(s_wait);
        var refused = Assert.Throws<SocketException>(() => PlainSocket.Connect(endPoint).Dispose());
        Assert.Equal(SocketError.ConnectionRefused, refused.SocketErrorCode);

        client.Send("x"u8.ToArray());
        Assert.Single(ReceiveBytes(handler, 1));
        connection.Tell(Akka.IO.Tcp.Write.Create(ByteString.FromString("y")), handler.Ref);
        Assert.Equal((byte)'y', client.ReceiveExactly(1)[0]);
    }

    [SkippableFact]
    public void Linger_zero_makes_Close_reset_the_peer()
    {
        RequireBackend();
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        var commander = CreateTestProbe();
        Manager.Tell(new Akka.IO.Tcp.Connect(listener.LocalEndpoint, options: [TcpOptions.Linger(TimeSpan.Zero)]), commander.Ref);
        using var peer = listener.AcceptSocket();
        peer.ReceiveTimeout = 10_000;
        commander.ExpectMsg<Akka.IO.Tcp.Connected>(s_wait);
        var connection = commander.LastSender;
        connection.Tell(new Akka.IO.Tcp.Register(commander.Ref), commander.Ref);
        connection.Tell(Akka.IO.Tcp.Close.Instance, commander.Ref);
        commander.ExpectMsg<Akka.IO.Tcp.Closed>(s_wait);
        AssertReset(peer);
    }

    [SkippableFact]
    public void Register_timeout_fails_writes_queued_before_Register()
    {
        RequireBackend();
        var (handler, client, connection) = Accepted(register: false);
        using var _ = client;
        var write = Akka.IO.Tcp.Write.Create(ByteString.FromString("never registered"), new AckToken(1));
        connection.Tell(write, handler.Ref);
        var failed = handler.ExpectMsg<Akka.IO.Tcp.CommandFailed>(TimeSpan.FromSeconds(6));
        Assert.Same(write, failed.Cmd);
    }

    [SkippableFact]
    public void Close_before_Register_sends_queued_writes_and_reports_Closed()
    {
        RequireBackend();
        var (handler, client, connection) = Accepted(register: false);
        using var _ = client;
        connection.Tell(Akka.IO.Tcp.Write.Create(ByteString.FromString("early")), handler.Ref);
        connection.Tell(Akka.IO.Tcp.Close.Instance, handler.Ref);
        handler.ExpectMsg<Akka.IO.Tcp.Closed>(s_wait);
        Assert.Equal("early", System.Text.Encoding.ASCII.GetString(client.ReceiveToEnd()));
    }

    [SkippableFact]
    public void ConfirmedClose_before_Register_completes_on_the_peer_FIN()
    {
        RequireBackend();
        var (handler, client, connection) = Accepted(register: false);
        using var _ = client;
        connection.Tell(Akka.IO.Tcp.ConfirmedClose.Instance, handler.Ref);
        Assert.Empty(client.ReceiveToEnd());
        client.Shutdown(SocketShutdown.Send);
        handler.FishForMessage(m => m is Akka.IO.Tcp.ConfirmedClosed, s_wait);
    }

    [SkippableFact]
    public void ConfirmedClose_sends_every_queued_byte_even_when_the_peer_half_closes_first()
    {
        RequireBackend();
        var (handler, client, connection) = Accepted(receiveTimeoutMs: 30_000);
        using var _ = client;
        var data = PlainSocket.Pattern(8 * 1024 * 1024);
        connection.Tell(Akka.IO.Tcp.Write.Create(ByteString.FromBytes(data)), handler.Ref);
        connection.Tell(Akka.IO.Tcp.ConfirmedClose.Instance, handler.Ref);
        client.Shutdown(SocketShutdown.Send); // FIN while most of the data is still queued
        Assert.Equal(SHA256.HashData(data), SHA256.HashData(client.ReceiveToEnd()));
        handler.ExpectMsg<Akka.IO.Tcp.ConfirmedClosed>(s_wait);
    }

    [SkippableFact]
    public void Unbind_closes_the_port_before_Unbound_arrives_so_it_can_be_bound_again()
    {
        RequireBackend();
        for (var round = 0; round < 50; round++)
        {
            var (listener, endPoint) = Bind(CreateTestProbe().Ref, options: [TcpOptions.ReuseAddress(false)]);
            listener.Tell(Akka.IO.Tcp.Unbind.Instance, TestActor);
            ExpectMsg<Akka.IO.Tcp.Unbound>(s_wait);
            var refused = Assert.Throws<SocketException>(() => PlainSocket.Connect(endPoint).Dispose());
            Assert.Equal(SocketError.ConnectionRefused, refused.SocketErrorCode);
            var (again, _) = Bind(CreateTestProbe().Ref, port: endPoint.Port);
            again.Tell(Akka.IO.Tcp.Unbind.Instance, TestActor);
            ExpectMsg<Akka.IO.Tcp.Unbound>(s_wait);
        }
    }

    [SkippableFact]
    public void Every_close_commander_hears_the_one_final_event_and_a_later_ConfirmedClose_does_not_weaken_Close()
    {
        RequireBackend();
        var (handler, client, connection) = Accepted(receiveTimeoutMs: 30_000);
        using var _ = client;
        var data = PlainSocket.Pattern(8 * 1024 * 1024);
        connection.Tell(Akka.IO.Tcp.Write.Create(ByteString.FromBytes(data)), handler.Ref);
        var first = CreateTestProbe();
        var second = CreateTestProbe();
        connection.Tell(Akka.IO.Tcp.Close.Instance, first.Ref);
        connection.Tell(Akka.IO.Tcp.ConfirmedClose.Instance, second.Ref);

        // Writes after Close are refused while the queue drains.
        connection.Tell(Akka.IO.Tcp.Write.Create(ByteString.FromString("late")), handler.Ref);
        handler.ExpectMsg<Akka.IO.Tcp.CommandFailed>(s_wait);

        Assert.Equal(SHA256.HashData(data), SHA256.HashData(client.ReceiveToEnd()));
        handler.ExpectMsg<Akka.IO.Tcp.Closed>(s_wait);
        first.ExpectMsg<Akka.IO.Tcp.Closed>(s_wait);
        second.ExpectMsg<Akka.IO.Tcp.Closed>(s_wait);
        handler.ExpectNoMsg(TimeSpan.FromMilliseconds(100));
    }

    [SkippableFact]
    public void Abort_during_a_Close_drain_fails_the_queued_write_resets_and_tells_both_commanders_Aborted()
    {
        RequireBackend();
        var (handler, client, connection) = Accepted(receiveTimeoutMs: 30_000);
        using var _ = client;
        var write = Akka.IO.Tcp.Write.Create(ByteString.FromBytes(PlainSocket.Pattern(32 * 1024 * 1024)), new AckToken(1));
        connection.Tell(write, handler.Ref);
        var closer = CreateTestProbe();
        var aborter = CreateTestProbe();
        connection.Tell(Akka.IO.Tcp.Close.Instance, closer.Ref);
        connection.Tell(Akka.IO.Tcp.Abort.Instance, aborter.Ref);

        Assert.Same(write, handler.ExpectMsg<Akka.IO.Tcp.CommandFailed>(s_wait).Cmd);
        handler.ExpectMsg<Akka.IO.Tcp.Aborted>(s_wait);
        closer.ExpectMsg<Akka.IO.Tcp.Aborted>(s_wait);
        aborter.ExpectMsg<Akka.IO.Tcp.Aborted>(s_wait);
        AssertResetAfterData(client);
    }

    [SkippableFact]
    public void Peer_reset_during_ConfirmedClose_tells_handler_and_commander_ErrorClosed()
    {
        RequireBackend();
        var (handler, client, connection) = Accepted();
        var commander = CreateTestProbe();
        connection.Tell(Akka.IO.Tcp.ConfirmedClose.Instance, commander.Ref);
        Assert.Empty(client.ReceiveToEnd()); // our FIN
        handler.Watch(connection);
        client.Reset();
        handler.ExpectMsg<Akka.IO.Tcp.ErrorClosed>(s_wait);
        commander.ExpectMsg<Akka.IO.Tcp.ErrorClosed>(s_wait);
        handler.ExpectTerminated(connection, s_wait);
    }

    [SkippableFact]
    public void Close_while_waiting_for_the_peer_FIN_of_a_ConfirmedClose_closes_at_once()
    {
        RequireBackend();
        var (handler, client, connection) = Accepted();
        using var _ = client;
        connection.Tell(Akka.IO.Tcp.ConfirmedClose.Instance, handler.Ref);
        Assert.Empty(client.ReceiveToEnd());
        handler.ExpectNoMsg(TimeSpan.FromMilliseconds(100));
        var closer = CreateTestProbe();
        connection.Tell(Akka.IO.Tcp.Close.Instance, closer.Ref);
        handler.ExpectMsg<Akka.IO.Tcp.Closed>(s_wait);
        closer.ExpectMsg<Akka.IO.Tcp.Closed>(s_wait);
    }

    // The peer may read some of what was sent before the reset arrives; then it must see the reset.
    private static void AssertResetAfterData(Socket socket)
    {
        var buffer = new byte[65536];
        var ex = Assert.Throws<SocketException>(() =>
        {
            while (socket.Receive(buffer) > 0)
            {
                // Data sent before the reset.
            }
        });
        Assert.Equal(SocketError.ConnectionReset, ex.SocketErrorCode);
    }
}
