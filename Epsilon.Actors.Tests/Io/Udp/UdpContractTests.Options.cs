using System.Net;
using Akka.IO;
using Epsilon.Actors.Io;
using Epsilon.Actors.Io.Udp;
using Epsilon.Actors.Tests.TestKit;
using Xunit;

namespace Epsilon.Actors.Tests.Io.Udp;

/// <summary>Socket options on UDP sockets: Epsilon's <see cref="UdpOptions"/> and Akka's own.</summary>
public abstract partial class UdpContractTests
{
    [SkippableFact]
    public void Two_ReusePort_members_of_a_multicast_group_on_loopback_both_receive_a_datagram_sent_to_it()
    {
        RequireBackend();
        var group = IPAddress.Parse("239.255.77.12");
        var first = CreateTestProbe();
        var commander = CreateTestProbe();
        Inet.SocketOption[] member = [UdpOptions.ReusePort(true), UdpOptions.JoinGroup(group, IPAddress.Loopback)];
        Sys.EpsilonUdp().Tell(new Akka.IO.Udp.Bind(first.Ref, new IPEndPoint(IPAddress.Any, 0), member), commander.Ref);
        var reply = commander.ExpectMsg<object>(s_wait);
        Skip.If(reply is Akka.IO.Udp.CommandFailed, $"the kernel refused to join {group} on the loopback interface; multicast on lo is not available on this host");
        var port = ((IPEndPoint)((Akka.IO.Udp.Bound)reply).LocalAddress).Port;

        // SO_REUSEPORT lets a second socket bind the very same port; multicast reaches each member.
        var second = CreateTestProbe();
        Sys.EpsilonUdp().Tell(new Akka.IO.Udp.Bind(second.Ref, new IPEndPoint(IPAddress.Any, port), member), commander.Ref);
        commander.ExpectMsg<Akka.IO.Udp.Bound>(s_wait);

        var (sender, _) = Bind(CreateTestProbe().Ref, IPAddress.Loopback,
            [UdpOptions.MulticastInterface(IPAddress.Loopback), UdpOptions.MulticastLoopback(true), UdpOptions.MulticastTimeToLive(1)]);
        sender.Tell(new Akka.IO.Udp.Send(ByteString.FromString("to the group"), new IPEndPoint(group, port), new SentAck(6)), commander.Ref);
        commander.ExpectMsg<SentAck>(s_wait);

        Assert.Equal("to the group", first.ExpectMsg<Akka.IO.Udp.Received>(s_wait).Data.ToString());
        Assert.Equal("to the group", second.ExpectMsg<Akka.IO.Udp.Received>(s_wait).Data.ToString());
    }

    [SkippableFact]
    public void A_second_Bind_to_a_port_in_use_succeeds_only_with_ReusePort_on_both()
    {
        RequireBackend();
        var commander = CreateTestProbe();
        var (_, endPoint) = Bind(CreateTestProbe().Ref, options: [UdpOptions.ReusePort(true)]);

        var plain = new Akka.IO.Udp.Bind(commander.Ref, endPoint);
        Sys.EpsilonUdp().Tell(plain, commander.Ref);
        commander.ExpectMsg<Akka.IO.Udp.CommandFailed>(s_wait);

        Sys.EpsilonUdp().Tell(new Akka.IO.Udp.Bind(commander.Ref, endPoint, [UdpOptions.ReusePort(true)]), commander.Ref);
        Assert.Equal(endPoint, commander.ExpectMsg<Akka.IO.Udp.Bound>(s_wait).LocalAddress);
    }

    [SkippableFact]
    public void Akka_buffer_size_broadcast_and_reuse_options_are_accepted_and_the_socket_works()
    {
        RequireBackend();
        var handler = CreateTestProbe();
        var (socket, endPoint) = Bind(handler.Ref, options:
            [new Inet.SO.ReceiveBufferSize(256 * 1024), new Inet.SO.SendBufferSize(128 * 1024), new Akka.IO.Udp.SO.Broadcast(true), new Inet.SO.ReuseAddress(true)]);
        using var peer = new UdpPeer(IPAddress.Loopback);

        peer.SendTo("options"u8, endPoint);
        Assert.Equal("options", handler.ExpectMsg<Akka.IO.Udp.Received>(s_wait).Data.ToString());
        socket.Tell(new Akka.IO.Udp.Send(ByteString.FromString("back"), peer.EndPoint, new SentAck(8)), handler.Ref);
        handler.ExpectMsg<SentAck>(s_wait);
    }

    [Fact]
    public void JoinGroup_refuses_an_address_that_is_not_multicast()
    {
        Assert.Throws<ArgumentException>(() => UdpOptions.JoinGroup(IPAddress.Loopback));
        Assert.Throws<ArgumentOutOfRangeException>(() => UdpOptions.MulticastTimeToLive(256));
    }
}
