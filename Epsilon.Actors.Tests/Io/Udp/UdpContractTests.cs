using System.Net;
using System.Net.Sockets;
using Akka.Actor;
using Akka.IO;
using Akka.TestKit;
using Epsilon.Actors.Io;
using Epsilon.Actors.Io.Udp;
using Epsilon.Actors.Tests.TestKit;
using Xunit;
using Xunit.Abstractions;
using AkkaTestKit = Akka.TestKit.Xunit2.TestKit;

namespace Epsilon.Actors.Tests.Io.Udp;

/// <summary>
/// Akka.IO's UDP protocol on Epsilon's managers, over real loopback sockets with plain
/// System.Net.Sockets peers. One subclass per backend runs every case.
/// </summary>
[Trait("Category", "Loopback")]
public abstract partial class UdpContractTests : AkkaTestKit
{
    private static readonly TimeSpan s_wait = TimeSpan.FromSeconds(10);

    protected UdpContractTests(string backend, string trigger, ITestOutputHelper output)
        : base(EpsilonTestConfig.For(backend, trigger), output: output)
    {
        Backend = backend;
    }

    protected string Backend { get; }

    private void RequireBackend() => Skip.If(Backend == "epoll" && !OperatingSystem.IsLinux(), "the epoll backend needs Linux");

    private (IActorRef Socket, IPEndPoint EndPoint) Bind(IActorRef handler, IPAddress? address = null, IEnumerable<Inet.SocketOption>? options = null)
    {
        var commander = CreateTestProbe();
        Sys.EpsilonUdp().Tell(new Akka.IO.Udp.Bind(handler, new IPEndPoint(address ?? IPAddress.Loopback, 0), options), commander.Ref);
        var bound = commander.ExpectMsg<Akka.IO.Udp.Bound>(s_wait);
        return (commander.LastSender, (IPEndPoint)bound.LocalAddress);
    }

    private IActorRef Echo() => Sys.ActorOf(Props.Create(() => new UdpEchoActor()));

    // A kernel receive queue deep enough for the echo runs' window on a loaded host; Akka's own
    // option, applied through the socket view.
    private static readonly Inet.SocketOption[] s_deepQueue = [new Inet.SO.ReceiveBufferSize(1 << 20)];

    [SkippableFact]
    public void Ten_thousand_datagrams_at_a_paced_rate_come_back_complete_and_intact()
    {
        RequireBackend();
        var (_, endPoint) = Bind(Echo(), options: s_deepQueue);
        using var peer = new UdpPeer(IPAddress.Loopback);

        var (echoed, checksum, expected) = peer.EchoRun(endPoint, 10_000, window: 64, sizeOf: i => i % 1400);

        Assert.Equal(10_000, echoed);
        Assert.Equal(expected, checksum);
    }

    [SkippableFact]
    public void Ten_thousand_datagrams_through_a_connected_socket_come_back_complete_and_intact()
    {
        RequireBackend();
        using var peer = new UdpPeer(IPAddress.Loopback);
        var echo = Echo();
        var commander = CreateTestProbe();
        Sys.EpsilonUdpConnected().Tell(new UdpConnected.Connect(echo, peer.EndPoint, options: s_deepQueue), commander.Ref);
        commander.ExpectMsg<UdpConnected.Connected>(s_wait);
        var connection = commander.LastSender;

        // The peer learns the connected socket's port from a first datagram.
        connection.Tell(UdpConnected.Send.Create(ByteString.FromString("hello")), commander.Ref);
        var (hello, from) = peer.Receive();
        Assert.Equal("hello"u8.ToArray(), hello);

        var (echoed, checksum, expected) = peer.EchoRun(from, 10_000, window: 64, sizeOf: i => (i * 7) % 1400);

        Assert.Equal(10_000, echoed);
        Assert.Equal(expected, checksum);
    }

    [SkippableFact]
    public void IPv6_datagrams_come_back_complete_and_intact()
    {
        RequireBackend();
        Skip.IfNot(Socket.OSSupportsIPv6, "this host has no IPv6 loopback");
        var (_, endPoint) = Bind(Echo(), IPAddress.IPv6Loopback, s_deepQueue);
        using var peer = new UdpPeer(IPAddress.IPv6Loopback);

        var (echoed, checksum, expected) = peer.EchoRun(endPoint, 1_000, window: 16, sizeOf: i => i * 13 % 9000);

        Assert.Equal(1_000, echoed);
        Assert.Equal(expected, checksum);
        Assert.Equal(AddressFamily.InterNetworkV6, endPoint.AddressFamily);
    }

    [SkippableFact]
    public void An_empty_datagram_is_delivered_and_sent()
    {
        RequireBackend();
        var handler = CreateTestProbe();
        var (socket, endPoint) = Bind(handler.Ref);
        using var peer = new UdpPeer(IPAddress.Loopback);

        peer.SendTo([], endPoint);
        var received = handler.ExpectMsg<Akka.IO.Udp.Received>(s_wait);
        Assert.Equal(0, received.Data.Count);
        Assert.Equal(peer.EndPoint, received.Sender);

        socket.Tell(new Akka.IO.Udp.Send(ByteString.Empty, peer.EndPoint, new SentAck(0)), handler.Ref);
        handler.ExpectMsg<SentAck>(s_wait);
        Assert.Empty(peer.Receive().Data);
    }

    [SkippableFact]
    public void The_largest_IPv4_datagram_of_65507_bytes_is_delivered_and_sent_whole()
    {
        RequireBackend();
        var handler = CreateTestProbe();
        var (socket, endPoint) = Bind(handler.Ref);
        using var peer = new UdpPeer(IPAddress.Loopback);
        var largest = UdpPeer.Numbered(7, 65_507);

        peer.SendTo(largest, endPoint);
        var received = handler.ExpectMsg<Akka.IO.Udp.Received>(s_wait);
        Assert.Equal(largest, received.Data.ToArray());

        socket.Tell(new Akka.IO.Udp.Send(received.Data, peer.EndPoint, new SentAck(1)), handler.Ref);
        handler.ExpectMsg<SentAck>(s_wait);
        Assert.Equal(largest, peer.Receive().Data);
    }

    [SkippableTheory]
    [InlineData(65_508)]
    [InlineData(70_000)]
    public void An_oversize_send_is_CommandFailed_and_the_socket_keeps_working(int size)
    {
        RequireBackend();
        var handler = CreateTestProbe();
        var (socket, endPoint) = Bind(handler.Ref);
        using var peer = new UdpPeer(IPAddress.Loopback);

        var tooBig = new Akka.IO.Udp.Send(ByteString.FromBytes(new byte[size]), peer.EndPoint, new SentAck(2));
        socket.Tell(tooBig, handler.Ref);
        Assert.Same(tooBig, handler.ExpectMsg<Akka.IO.Udp.CommandFailed>(s_wait).Cmd);

        socket.Tell(new Akka.IO.Udp.Send(ByteString.FromString("still fine"), peer.EndPoint, new SentAck(3)), handler.Ref);
        handler.ExpectMsg<SentAck>(s_wait);
        Assert.Equal("still fine"u8.ToArray(), peer.Receive().Data);
        peer.SendTo("and reading"u8, endPoint);
        Assert.Equal("and reading", handler.ExpectMsg<Akka.IO.Udp.Received>(s_wait).Data.ToString());
    }

    [SkippableFact]
    public void Acks_go_to_the_sender_of_each_Send_and_NoAck_gets_none()
    {
        RequireBackend();
        var handler = CreateTestProbe();
        var (socket, _) = Bind(handler.Ref);
        var writer = CreateTestProbe();
        using var peer = new UdpPeer(IPAddress.Loopback);

        socket.Tell(Akka.IO.Udp.Send.Create(ByteString.FromString("one"), peer.EndPoint), writer.Ref);
        socket.Tell(new Akka.IO.Udp.Send(ByteString.FromString("two"), peer.EndPoint, new SentAck(2)), writer.Ref);

        Assert.Equal(2, writer.ExpectMsg<SentAck>(s_wait).Id);
        Assert.Equal(socket, writer.LastSender);
        Assert.Equal("one"u8.ToArray(), peer.Receive().Data);
        Assert.Equal("two"u8.ToArray(), peer.Receive().Data);
        writer.ExpectNoMsg(TimeSpan.FromMilliseconds(200));
    }

    [SkippableFact]
    public void Unbind_answers_Unbound_and_frees_the_port()
    {
        RequireBackend();
        var handler = CreateTestProbe();
        var (socket, endPoint) = Bind(handler.Ref);

        socket.Tell(Akka.IO.Udp.Unbind.Instance, handler.Ref);
        handler.ExpectMsg<Akka.IO.Udp.Unbound>(s_wait);
        Assert.Equal(socket, handler.LastSender);

        using var again = new Socket(AddressFamily.InterNetwork, SocketType.Dgram, ProtocolType.Udp);
        again.Bind(endPoint);
    }

    [SkippableFact]
    public void SuspendReading_stops_delivery_and_ResumeReading_delivers_what_waited_in_order()
    {
        RequireBackend();
        var handler = CreateTestProbe();
        var (socket, endPoint) = Bind(handler.Ref);
        using var peer = new UdpPeer(IPAddress.Loopback);

        socket.Tell(Akka.IO.Udp.SuspendReading.Instance, handler.Ref);

        // The ack of a Send queued behind SuspendReading proves it was handled.
        socket.Tell(new Akka.IO.Udp.Send(ByteString.FromString("sync"), peer.EndPoint, new SentAck(9)), handler.Ref);
        handler.ExpectMsg<SentAck>(s_wait);
        for (var i = 0; i < 3; i++) peer.SendTo(UdpPeer.Numbered(i, 100), endPoint);
        handler.ExpectNoMsg(TimeSpan.FromMilliseconds(500));

        socket.Tell(Akka.IO.Udp.ResumeReading.Instance, handler.Ref);
        for (var i = 0; i < 3; i++) Assert.Equal(i, UdpPeer.Check(handler.ExpectMsg<Akka.IO.Udp.Received>(s_wait).Data.ToArray()));
    }

    [SkippableFact]
    public void A_connected_socket_honours_SuspendReading_and_ResumeReading()
    {
        RequireBackend();
        using var peer = new UdpPeer(IPAddress.Loopback);
        var handler = CreateTestProbe();
        Sys.EpsilonUdpConnected().Tell(new UdpConnected.Connect(handler.Ref, peer.EndPoint), handler.Ref);
        handler.ExpectMsg<UdpConnected.Connected>(s_wait);
        var connection = handler.LastSender;
        connection.Tell(UdpConnected.SuspendReading.Instance, handler.Ref);
        connection.Tell(new UdpConnected.Send(ByteString.FromString("sync"), new SentAck(10)), handler.Ref);
        handler.ExpectMsg<SentAck>(s_wait);
        var (_, from) = peer.Receive();

        for (var i = 0; i < 3; i++) peer.SendTo(UdpPeer.Numbered(i, 50), from);
        handler.ExpectNoMsg(TimeSpan.FromMilliseconds(500));
        connection.Tell(UdpConnected.ResumeReading.Instance, handler.Ref);

        for (var i = 0; i < 3; i++) Assert.Equal(i, UdpPeer.Check(handler.ExpectMsg<UdpConnected.Received>(s_wait).Data.ToArray()));
    }

    [SkippableFact]
    public void A_stopped_handler_closes_the_socket()
    {
        RequireBackend();
        var handler = CreateTestProbe();
        var (socket, endPoint) = Bind(handler.Ref);
        Watch(socket);

        Sys.Stop(handler.Ref);

        ExpectTerminated(socket, s_wait);
        using var again = new Socket(AddressFamily.InterNetwork, SocketType.Dgram, ProtocolType.Udp);
        again.Bind(endPoint);
    }

    [SkippableFact]
    public void Bind_to_a_port_in_use_is_CommandFailed()
    {
        RequireBackend();
        using var taken = new UdpPeer(IPAddress.Loopback);
        var commander = CreateTestProbe();
        var bind = new Akka.IO.Udp.Bind(commander.Ref, taken.EndPoint);

        Sys.EpsilonUdp().Tell(bind, commander.Ref);

        Assert.Same(bind, commander.ExpectMsg<Akka.IO.Udp.CommandFailed>(s_wait).Cmd);
    }

    [SkippableFact]
    public void SimpleSender_answers_SimpleSenderReady_and_sends_with_acks()
    {
        RequireBackend();
        using var peer = new UdpPeer(IPAddress.Loopback);
        var user = CreateTestProbe();
        Sys.EpsilonUdp().Tell(Akka.IO.Udp.SimpleSender.Instance, user.Ref);
        user.ExpectMsg<Akka.IO.Udp.SimpleSenderReady>(s_wait);
        var sender = user.LastSender;

        sender.Tell(new Akka.IO.Udp.Send(ByteString.FromString("simple"), peer.EndPoint, new SentAck(4)), user.Ref);
        sender.Tell(Akka.IO.Udp.Send.Create(ByteString.Empty, peer.EndPoint), user.Ref);

        user.ExpectMsg<SentAck>(s_wait);
        Assert.Equal("simple"u8.ToArray(), peer.Receive().Data);
        Assert.Empty(peer.Receive().Data);
    }

    [SkippableFact]
    public void A_Send_to_a_host_name_is_resolved_and_delivered()
    {
        RequireBackend();
        var handler = CreateTestProbe();
        var (socket, _) = Bind(handler.Ref);
        using var peer = new UdpPeer(IPAddress.Loopback);

        socket.Tell(new Akka.IO.Udp.Send(ByteString.FromString("by name"), new DnsEndPoint("localhost", peer.EndPoint.Port), new SentAck(5)), handler.Ref);

        handler.ExpectMsg<SentAck>(s_wait);
        Assert.Equal("by name"u8.ToArray(), peer.Receive().Data);
    }

    [SkippableFact]
    public void A_connected_socket_survives_refused_datagrams_and_Disconnect_answers_Disconnected()
    {
        RequireBackend();
        var port = PlainSocket.FreePort();
        var handler = CreateTestProbe();
        Sys.EpsilonUdpConnected().Tell(new UdpConnected.Connect(handler.Ref, new IPEndPoint(IPAddress.Loopback, port)), handler.Ref);
        handler.ExpectMsg<UdpConnected.Connected>(s_wait);
        var connection = handler.LastSender;

        // Nobody listens: the kernel reports ICMP port unreachable on the connected socket, to a
        // later send (that datagram gets CommandFailed) or to a read (ignored).
        Watch(connection);
        for (var i = 0; i < 3; i++) connection.Tell(UdpConnected.Send.Create(ByteString.FromString("x")), handler.Ref);
        ExpectNoMsg(TimeSpan.FromMilliseconds(300));

        connection.Tell(UdpConnected.Disconnect.Instance, handler.Ref);
        handler.FishForMessage(m => m is UdpConnected.Disconnected, s_wait);
    }

    private sealed class SentAck(int id) : Akka.IO.Udp.Event
    {
        public int Id { get; } = id;
    }
}
