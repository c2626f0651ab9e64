using System.Net;
using System.Net.Sockets;
using Epsilon.Actors.Io.EventLoops;
using Xunit;

namespace Epsilon.Actors.Tests.Io.EventLoops;

/// <summary>The datagram half of the <see cref="LoopSocket"/> contract, over real loopback UDP sockets.</summary>
public abstract partial class PollerContractTests
{
    [SkippableTheory]
    [InlineData("127.0.0.1")]
    [InlineData("::1")]
    public void Datagrams_arrive_whole_with_the_senders_address_from_empty_to_the_largest(string address)
    {
        var ip = IPAddress.Parse(address);
        Skip.If(ip.AddressFamily == AddressFamily.InterNetworkV6 && !Socket.OSSupportsIPv6, "this host has no IPv6 loopback");
        using var driver = Start();
        var (a, _, aEnd) = driver.BindDatagram(ip);
        var (b, bToken, bEnd) = driver.BindDatagram(ip);
        var largest = ip.AddressFamily == AddressFamily.InterNetwork ? 65_507 : 65_527;
        var buffer = new byte[64 * 1024];

        foreach (var size in new[] { 0, 1, 1472, largest })
        {
            var payload = new byte[size];
            new Random(size).NextBytes(payload);
            PollerDriver.Must(a.SendTo(payload, bEnd, out var sent), $"SendTo({size})");
            Assert.Equal(size, sent);

            PollerDriver.Must(driver.ReceiveFrom(b, bToken, buffer, out var n, out var from), $"ReceiveFrom({size})");

            Assert.Equal(size, n);
            Assert.True(buffer.AsSpan(0, n).SequenceEqual(payload), $"a {size}-byte datagram changed on the way");
            Assert.Equal(aEnd, from);
        }
    }

    [SkippableFact]
    public void A_datagram_longer_than_the_buffer_is_MessageSize_never_a_silent_cut()
    {
        using var driver = Start();
        var (a, _, _) = driver.BindDatagram(IPAddress.Loopback);
        var (b, bToken, bEnd) = driver.BindDatagram(IPAddress.Loopback);
        PollerDriver.Must(a.SendTo(new byte[100], bEnd, out _), "SendTo");
        PollerDriver.Must(a.SendTo("next"u8, bEnd, out _), "SendTo");

        var small = new byte[10];
        Assert.Equal(SocketError.MessageSize, driver.ReceiveFrom(b, bToken, small, out var n, out _));
        Assert.Equal(10, n);

        // The cut datagram is gone; the next one is intact.
        var buffer = new byte[64];
        PollerDriver.Must(driver.ReceiveFrom(b, bToken, buffer, out n, out _), "ReceiveFrom");
        Assert.Equal("next"u8.ToArray(), buffer.AsSpan(0, n).ToArray());
    }

    [SkippableTheory]
    [InlineData("127.0.0.1", 65_508)]
    [InlineData("::1", 65_528)]
    public void An_oversize_datagram_is_MessageSize_and_the_socket_keeps_working(string address, int size)
    {
        var ip = IPAddress.Parse(address);
        Skip.If(ip.AddressFamily == AddressFamily.InterNetworkV6 && !Socket.OSSupportsIPv6, "this host has no IPv6 loopback");
        using var driver = Start();
        var (a, _, _) = driver.BindDatagram(ip);
        var (b, bToken, bEnd) = driver.BindDatagram(ip);

        Assert.Equal(SocketError.MessageSize, a.SendTo(new byte[size], bEnd, out var sent));
        Assert.Equal(0, sent);

        PollerDriver.Must(a.SendTo("after"u8, bEnd, out _), "SendTo after the refused one");
        var buffer = new byte[64 * 1024];
        PollerDriver.Must(driver.ReceiveFrom(b, bToken, buffer, out var n, out _), "ReceiveFrom");
        Assert.Equal("after"u8.ToArray(), buffer.AsSpan(0, n).ToArray());
    }

    [SkippableFact]
    public void A_connected_datagram_socket_sends_to_its_peer_with_no_address()
    {
        using var driver = Start();
        var (a, aToken, aEnd) = driver.BindDatagram(IPAddress.Loopback);
        var (b, bToken, bEnd) = driver.BindDatagram(IPAddress.Loopback);
        PollerDriver.Must(a.Connect(bEnd), "Connect");
        Assert.Equal(bEnd, a.RemoteEndPoint);

        PollerDriver.Must(a.SendTo("to the peer"u8, null, out _), "SendTo(null)");
        var buffer = new byte[64 * 1024];
        PollerDriver.Must(driver.ReceiveFrom(b, bToken, buffer, out var n, out var from), "ReceiveFrom");
        Assert.Equal("to the peer"u8.ToArray(), buffer.AsSpan(0, n).ToArray());
        Assert.Equal(aEnd, from);

        PollerDriver.Must(b.SendTo("back"u8, aEnd, out _), "SendTo");
        PollerDriver.Must(driver.ReceiveFrom(a, aToken, buffer, out n, out from), "ReceiveFrom on the connected socket");
        Assert.Equal("back"u8.ToArray(), buffer.AsSpan(0, n).ToArray());
        Assert.Equal(bEnd, from);
    }

    [SkippableFact]
    public void An_IPv4_datagram_reaches_a_dual_stack_socket_and_is_answered_as_IPv4()
    {
        Skip.IfNot(Socket.OSSupportsIPv6, "this host has no IPv6, so no dual-stack socket");
        using var driver = Start();
        var dual = driver.Track(driver.Backend.Open(AddressFamily.InterNetworkV6, SocketType.Dgram, ProtocolType.Udp));
        PollerDriver.Must(dual.Bind(new IPEndPoint(IPAddress.IPv6Any, 0)), "Bind");
        var dualToken = driver.Register(dual);
        var port = Assert.IsType<IPEndPoint>(dual.LocalEndPoint).Port;
        var (v4, v4Token, v4End) = driver.BindDatagram(IPAddress.Loopback);

        PollerDriver.Must(v4.SendTo("ping"u8, new IPEndPoint(IPAddress.Loopback, port), out _), "SendTo");
        var buffer = new byte[64 * 1024];
        PollerDriver.Must(driver.ReceiveFrom(dual, dualToken, buffer, out _, out var from), "ReceiveFrom");
        Assert.Equal(v4End, from);

        PollerDriver.Must(dual.SendTo("pong"u8, from, out _), "SendTo an IPv4 endpoint from the dual-stack socket");
        PollerDriver.Must(driver.ReceiveFrom(v4, v4Token, buffer, out var n, out _), "ReceiveFrom");
        Assert.Equal("pong"u8.ToArray(), buffer.AsSpan(0, n).ToArray());
    }

    [SkippableFact]
    public void A_joined_multicast_group_receives_a_datagram_sent_on_the_loopback_interface()
    {
        using var driver = Start();
        var group = IPAddress.Parse("239.255.77.11");
        var member = driver.Track(driver.Backend.Open(AddressFamily.InterNetwork, SocketType.Dgram, ProtocolType.Udp));
        PollerDriver.Must(member.SetOption(SocketOptionLevel.Socket, LoopSocket.ReusePortOption, 1), "SetOption(ReusePort)");
        PollerDriver.Must(member.Bind(new IPEndPoint(IPAddress.Any, 0)), "Bind");
        var memberToken = driver.Register(member);
        var port = Assert.IsType<IPEndPoint>(member.LocalEndPoint).Port;
        var joined = member.JoinMulticastGroup(group, IPAddress.Loopback, 0);
        Skip.If(joined != SocketError.Success, $"the kernel refused to join {group} on the loopback interface ({joined}); multicast on lo is not available here");

        var (sender, _, _) = driver.BindDatagram(IPAddress.Loopback);
        PollerDriver.Must(sender.SetOption(SocketOptionLevel.IP, SocketOptionName.MulticastInterface, LoopbackInterfaceValue()), "SetOption(MulticastInterface)");
        PollerDriver.Must(sender.SetOption(SocketOptionLevel.IP, SocketOptionName.MulticastLoopback, 1), "SetOption(MulticastLoopback)");
        PollerDriver.Must(sender.SetOption(SocketOptionLevel.IP, SocketOptionName.MulticastTimeToLive, 1), "SetOption(MulticastTimeToLive)");
        var sent = sender.SendTo("to the group"u8, new IPEndPoint(group, port), out _);
        Skip.If(sent is SocketError.NetworkUnreachable or SocketError.HostUnreachable, $"no route for multicast through the loopback interface ({sent})");
        PollerDriver.Must(sent, "SendTo the group");

        var buffer = new byte[64 * 1024];
        PollerDriver.Must(driver.ReceiveFrom(member, memberToken, buffer, out var n, out _), "ReceiveFrom");
        Assert.Equal("to the group"u8.ToArray(), buffer.AsSpan(0, n).ToArray());
    }

    [SkippableFact]
    public void A_joined_IPv6_multicast_group_receives_a_datagram_sent_on_the_loopback_interface()
    {
        Skip.IfNot(Socket.OSSupportsIPv6, "this host has no IPv6");
        using var driver = Start();
        var group = IPAddress.Parse("ff02::77:11");
        var loopback = System.Net.NetworkInformation.NetworkInterface.IPv6LoopbackInterfaceIndex;
        var member = driver.Track(driver.Backend.Open(AddressFamily.InterNetworkV6, SocketType.Dgram, ProtocolType.Udp));
        PollerDriver.Must(member.Bind(new IPEndPoint(IPAddress.IPv6Any, 0)), "Bind");
        var memberToken = driver.Register(member);
        var port = Assert.IsType<IPEndPoint>(member.LocalEndPoint).Port;
        var joined = member.JoinMulticastGroup(group, null, loopback);
        Skip.If(joined != SocketError.Success, $"the kernel refused to join {group} on the IPv6 loopback interface #{loopback} ({joined}); IPv6 multicast on lo is not available here");

        var (sender, _, _) = driver.BindDatagram(IPAddress.IPv6Loopback);
        PollerDriver.Must(sender.SetOption(SocketOptionLevel.IPv6, SocketOptionName.MulticastInterface, loopback), "SetOption(MulticastInterface)");
        PollerDriver.Must(sender.SetOption(SocketOptionLevel.IPv6, SocketOptionName.MulticastLoopback, 1), "SetOption(MulticastLoopback)");
        var sent = sender.SendTo("to the v6 group"u8, new IPEndPoint(group, port), out _);
        Skip.If(sent is SocketError.NetworkUnreachable or SocketError.HostUnreachable or SocketError.AddressNotAvailable,
            $"no route for IPv6 multicast through the loopback interface ({sent})");
        PollerDriver.Must(sent, "SendTo the group");

        var buffer = new byte[64 * 1024];
        PollerDriver.Must(driver.ReceiveFrom(member, memberToken, buffer, out var n, out _), "ReceiveFrom");
        Assert.Equal("to the v6 group"u8.ToArray(), buffer.AsSpan(0, n).ToArray());
    }

    // IP_MULTICAST_IF takes the interface's IPv4 address as an int in network byte order.
    private static int LoopbackInterfaceValue() => BitConverter.ToInt32(IPAddress.Loopback.GetAddressBytes());

    [SkippableFact]
    public void Datagram_operations_after_Dispose_return_OperationAborted()
    {
        using var driver = Start();
        var socket = driver.Backend.Open(AddressFamily.InterNetwork, SocketType.Dgram, ProtocolType.Udp);
        socket.Dispose();

        Assert.Equal(SocketError.OperationAborted, socket.SendTo("x"u8, new IPEndPoint(IPAddress.Loopback, 9), out _));
        Assert.Equal(SocketError.OperationAborted, socket.ReceiveFrom(new byte[8], out _, out var from));
        Assert.Null(from);
        Assert.Equal(SocketError.OperationAborted, socket.JoinMulticastGroup(IPAddress.Parse("239.255.77.11"), null, 0));
    }
}
