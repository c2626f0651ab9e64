using System.Net;
using System.Net.Sockets;
using Akka.IO;
using Epsilon.Actors.Io.EventLoops;

namespace Epsilon.Actors.Io.Udp;

/// <summary>
/// UDP socket options for <c>Udp.Bind</c>, <c>Udp.SimpleSender</c> and <c>UdpConnected.Connect</c>
/// that Akka.IO 1.5 lacks (multicast, SO_REUSEPORT), as <see cref="Inet.SocketOption"/>s: Epsilon's
/// managers apply them with one native call on every backend, and Akka's own managers apply them
/// too. Akka's <c>Inet.SO.ReceiveBufferSize</c>, <c>SendBufferSize</c>, <c>ReuseAddress</c> and
/// <c>Udp.SO.Broadcast</c> work unchanged with Epsilon's managers.
/// </summary>
/// <example>
/// <code>
/// udp.Tell(new Udp.Bind(Self, new IPEndPoint(IPAddress.Any, 5000), new[]
/// {
///     UdpOptions.ReusePort(true),
///     UdpOptions.JoinGroup(IPAddress.Parse("239.1.2.3")),
/// }));
/// </code>
/// </example>
public static class UdpOptions
{
    /// <summary>SO_REUSEPORT (Linux, macOS, BSD): several sockets may bind one address and port; on Linux the kernel spreads unicast datagrams between them and delivers multicast to each.</summary>
    public static Inet.SocketOption ReusePort(bool on) => new IntOption(SocketOptionLevel.Socket, LoopSocket.ReusePortOption, on ? 1 : 0, $"ReusePort({on})");

    /// <summary>SO_REUSEADDR alone (never SO_REUSEPORT, unlike .NET's own ReuseAddress on Unix).</summary>
    public static Inet.SocketOption ReuseAddress(bool on) => new IntOption(SocketOptionLevel.Socket, SocketOptionName.ReuseAddress, on ? 1 : 0, $"ReuseAddress({on})");

    /// <summary>SO_BROADCAST: allow sending to broadcast addresses (the same as Akka's <c>Udp.SO.Broadcast</c>).</summary>
    public static Inet.SocketOption Broadcast(bool on) => new IntOption(SocketOptionLevel.Socket, SocketOptionName.Broadcast, on ? 1 : 0, $"Broadcast({on})");

    /// <summary>SO_RCVBUF in bytes: how many queued datagrams the kernel holds before it drops new ones.</summary>
    /// <exception cref="ArgumentOutOfRangeException">when <paramref name="bytes"/> is not positive.</exception>
    public static Inet.SocketOption ReceiveBufferSize(int bytes) =>
        new IntOption(SocketOptionLevel.Socket, SocketOptionName.ReceiveBuffer, Positive(bytes), $"ReceiveBufferSize({bytes})");

    /// <summary>SO_SNDBUF in bytes.</summary>
    /// <exception cref="ArgumentOutOfRangeException">when <paramref name="bytes"/> is not positive.</exception>
    public static Inet.SocketOption SendBufferSize(int bytes) =>
        new IntOption(SocketOptionLevel.Socket, SocketOptionName.SendBuffer, Positive(bytes), $"SendBufferSize({bytes})");

    /// <summary>
    /// Joins the multicast <paramref name="group"/> (IPv4 or IPv6) after bind. For an IPv4 group,
    /// <paramref name="interfaceAddress"/> picks the interface by address (null: chosen by route).
    /// </summary>
    /// <exception cref="ArgumentException">when <paramref name="group"/> is not a multicast address.</exception>
    public static Inet.SocketOption JoinGroup(IPAddress group, IPAddress? interfaceAddress = null) =>
        new JoinOption(Multicast(group), interfaceAddress, 0);

    /// <summary>Joins the multicast <paramref name="group"/> (IPv4 or IPv6) on the interface with index <paramref name="interfaceIndex"/> (0: chosen by route).</summary>
    /// <exception cref="ArgumentException">when <paramref name="group"/> is not a multicast address.</exception>
    public static Inet.SocketOption JoinGroup(IPAddress group, int interfaceIndex) =>
        new JoinOption(Multicast(group), null, interfaceIndex);

    /// <summary>IP_MULTICAST_LOOP / IPV6_MULTICAST_LOOP: whether our own multicast reaches members on this host. The kernel's default is on.</summary>
    public static Inet.SocketOption MulticastLoopback(bool on) => new FamilyOption(SocketOptionName.MulticastLoopback, on ? 1 : 0, $"MulticastLoopback({on})");

    /// <summary>IP_MULTICAST_TTL / IPV6_MULTICAST_HOPS: how many routers outgoing multicast may cross (0–255). The kernel's default is 1.</summary>
    /// <exception cref="ArgumentOutOfRangeException">when <paramref name="hops"/> is outside 0–255.</exception>
    public static Inet.SocketOption MulticastTimeToLive(int hops) =>
        new FamilyOption(SocketOptionName.MulticastTimeToLive, hops is >= 0 and <= 255 ? hops : throw new ArgumentOutOfRangeException(nameof(hops), hops, "0 to 255"), $"MulticastTimeToLive({hops})");

    /// <summary>IP_MULTICAST_IF: the IPv4 interface, by its address, that outgoing IPv4 multicast leaves from.</summary>
    /// <exception cref="ArgumentException">when <paramref name="interfaceAddress"/> is not IPv4.</exception>
    public static Inet.SocketOption MulticastInterface(IPAddress interfaceAddress)
    {
        ArgumentNullException.ThrowIfNull(interfaceAddress);
        if (interfaceAddress.AddressFamily != AddressFamily.InterNetwork)
            throw new ArgumentException("IP_MULTICAST_IF takes an IPv4 interface address; use MulticastInterface(int) for IPv6", nameof(interfaceAddress));
        return new IntOption(SocketOptionLevel.IP, SocketOptionName.MulticastInterface, BitConverter.ToInt32(interfaceAddress.GetAddressBytes()), $"MulticastInterface({interfaceAddress})");
    }

    /// <summary>IPV6_MULTICAST_IF: the IPv6 interface, by index, that outgoing IPv6 multicast leaves from.</summary>
    public static Inet.SocketOption MulticastInterface(int interfaceIndex) =>
        new IntOption(SocketOptionLevel.IPv6, SocketOptionName.MulticastInterface, interfaceIndex, $"MulticastInterface(#{interfaceIndex})");

    /// <summary>
    /// Applies <paramref name="options"/> of one phase to a datagram socket: ours natively; Akka's
    /// and user-defined ones through a <see cref="Socket"/> view (<c>BeforeDatagramBind</c> before
    /// bind; <c>AfterBind</c>, or <c>AfterConnect</c> on a connected socket, after).
    /// </summary>
    /// <exception cref="SocketException">when the kernel refuses one of our options.</exception>
    internal static void Apply(LoopSocket socket, IEnumerable<Inet.SocketOption>? options, bool beforeBind, bool connected)
    {
        if (options is null) return;
        foreach (var option in options)
        {
            if (option is UdpOption own)
            {
                if (own.BeforeBind != beforeBind) continue;
                var error = own.Apply(socket);
                if (error != SocketError.Success) throw new SocketException((int)error, $"{own}: {new SocketException((int)error).Message}");
                continue;
            }

            if (beforeBind)
            {
                socket.WithManagedView(option.BeforeDatagramBind);

                // Akka applies SendBufferSize only after a stream connect; on a datagram socket the
                // only moment that exists is before bind.
                if (option is Inet.SO.SendBufferSize) socket.WithManagedView(option.AfterConnect);
            }
            else if (connected && option is Inet.SocketOptionV2)
            {
                socket.WithManagedView(option.AfterConnect);
            }
            else if (!connected && option is Inet.SocketOptionV2 v2)
            {
                socket.WithManagedView(v2.AfterBind);
            }
        }
    }

    private static int Positive(int bytes) =>
        bytes > 0 ? bytes : throw new ArgumentOutOfRangeException(nameof(bytes), bytes, "a buffer size must be positive");

    private static IPAddress Multicast(IPAddress group)
    {
        ArgumentNullException.ThrowIfNull(group);
        var plain = group.IsIPv4MappedToIPv6 ? group.MapToIPv4() : group;
        var isMulticast = plain.AddressFamily == AddressFamily.InterNetwork
            ? (plain.GetAddressBytes()[0] & 0xF0) == 0xE0
            : plain.IsIPv6Multicast;
        return isMulticast ? plain : throw new ArgumentException($"{group} is not a multicast address", nameof(group));
    }

    /// <summary>An option that Epsilon applies with one native call, and Akka's managers through their hooks.</summary>
    private abstract class UdpOption : Inet.SocketOptionV2
    {
        public abstract bool BeforeBind { get; }

        public abstract SocketError Apply(LoopSocket socket);

        protected abstract void Apply(Socket socket);

        public override void BeforeDatagramBind(Socket ds)
        {
            if (BeforeBind) Apply(ds);
        }

        public override void AfterBind(Socket s)
        {
            if (!BeforeBind) Apply(s);
        }

        public override void AfterConnect(Socket s)
        {
            if (!BeforeBind) Apply(s);
        }
    }

    private sealed class IntOption(SocketOptionLevel level, SocketOptionName name, int value, string text) : UdpOption
    {
        public override bool BeforeBind => true;

        public override SocketError Apply(LoopSocket socket) => socket.SetOption(level, name, value);

        protected override void Apply(Socket socket)
        {
            if (name == LoopSocket.ReusePortOption)
                socket.SetRawSocketOption(Tcp.TcpOptions.SolSocket, Tcp.TcpOptions.ReusePortName, BitConverter.GetBytes(value));
            else
                socket.SetSocketOption(level, name, value);
        }

        public override string ToString() => text;
    }

    // IPv4 or IPv6 level by the socket's family; a dual-stack socket gets the IPv4 level too (best effort).
    private sealed class FamilyOption(SocketOptionName name, int value, string text) : UdpOption
    {
        public override bool BeforeBind => true;

        public override SocketError Apply(LoopSocket socket)
        {
            if (socket.AddressFamily != AddressFamily.InterNetworkV6) return socket.SetOption(SocketOptionLevel.IP, name, value);
            socket.SetOption(SocketOptionLevel.IP, name, value);
            return socket.SetOption(SocketOptionLevel.IPv6, name, value);
        }

        protected override void Apply(Socket socket) =>
            socket.SetSocketOption(socket.AddressFamily == AddressFamily.InterNetworkV6 ? SocketOptionLevel.IPv6 : SocketOptionLevel.IP, name, value);

        public override string ToString() => text;
    }

    private sealed class JoinOption(IPAddress group, IPAddress? interfaceAddress, int interfaceIndex) : UdpOption
    {
        public override bool BeforeBind => false;

        public override SocketError Apply(LoopSocket socket) => socket.JoinMulticastGroup(group, interfaceAddress, interfaceIndex);

        protected override void Apply(Socket socket)
        {
            if (group.AddressFamily == AddressFamily.InterNetworkV6)
                socket.SetSocketOption(SocketOptionLevel.IPv6, SocketOptionName.AddMembership, new IPv6MulticastOption(group, interfaceIndex));
            else if (interfaceIndex != 0)
                socket.SetSocketOption(SocketOptionLevel.IP, SocketOptionName.AddMembership, new MulticastOption(group, interfaceIndex));
            else
                socket.SetSocketOption(SocketOptionLevel.IP, SocketOptionName.AddMembership, new MulticastOption(group, interfaceAddress ?? IPAddress.Any));
        }

        public override string ToString() => $"JoinGroup({group}{(interfaceAddress is null ? string.Empty : " on " + interfaceAddress)}{(interfaceIndex == 0 ? string.Empty : " on #" + interfaceIndex)})";
    }
}
