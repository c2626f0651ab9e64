using System.Net.Sockets;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;

namespace Epsilon.Actors.Io.EventLoops.Unix;

/// <summary>
/// Direct calls into the Linux C library for the BSD socket API, and the numeric constants of the
/// Linux ABI that those calls take. Every entry point is blittable (ints, pointers, native-sized
/// integers), so the generated stubs do not allocate and do not marshal.
/// </summary>
/// <remarks>
/// <para>
/// Every import sets <c>SetLastError</c>: read <c>errno</c> with
/// <see cref="Marshal.GetLastPInvokeError"/> right after a call that returned -1, and translate it
/// with <see cref="Errno.ToSocketError"/>. Callers retry <c>EINTR</c> themselves (except for
/// <see cref="Close"/>, which must never be retried on Linux: the descriptor is already released).
/// </para>
/// <para>
/// The constants are the "generic" Linux values used by x86, x86-64, ARM, ARM64, RISC-V,
/// LoongArch, PowerPC and s390x. MIPS, SPARC, Alpha and PA-RISC differ, but .NET does not run there.
/// </para>
/// </remarks>
internal static unsafe partial class UnixSocketInterop
{
    private const string Libc = "libc";

    /// <summary><c>AF_INET</c>: IPv4.</summary>
    public const int AF_INET = 2;

    /// <summary><c>AF_INET6</c>: IPv6 (Linux value; differs from Windows' 23).</summary>
    public const int AF_INET6 = 10;

    /// <summary><c>SOCK_STREAM</c>: a byte stream (TCP).</summary>
    public const int SOCK_STREAM = 1;

    /// <summary><c>SOCK_DGRAM</c>: datagrams (UDP).</summary>
    public const int SOCK_DGRAM = 2;

    /// <summary><c>SOCK_NONBLOCK</c>: create the descriptor with <c>O_NONBLOCK</c> already set (no extra <c>fcntl</c>).</summary>
    public const int SOCK_NONBLOCK = 0x800;

    /// <summary><c>SOCK_CLOEXEC</c>: close the descriptor on <c>exec</c>, atomically with its creation, so child processes never inherit it.</summary>
    public const int SOCK_CLOEXEC = 0x80000;

    /// <summary><c>IPPROTO_IP</c>: option level for IPv4 options, and "default protocol" for <see cref="Socket"/>.</summary>
    public const int IPPROTO_IP = 0;

    /// <summary><c>IPPROTO_TCP</c>: TCP, and the option level of TCP options.</summary>
    public const int IPPROTO_TCP = 6;

    /// <summary><c>IPPROTO_UDP</c>: UDP.</summary>
    public const int IPPROTO_UDP = 17;

    /// <summary><c>IPPROTO_IPV6</c>: option level for IPv6 options.</summary>
    public const int IPPROTO_IPV6 = 41;

    /// <summary><c>SOL_SOCKET</c>: option level of generic socket options.</summary>
    public const int SOL_SOCKET = 1;

    /// <summary><c>SO_REUSEADDR</c>: allow binding a port that has connections in TIME_WAIT.</summary>
    public const int SO_REUSEADDR = 2;

    /// <summary><c>SO_ERROR</c>: read (and clear) the pending error, e.g. the outcome of a non-blocking connect.</summary>
    public const int SO_ERROR = 4;

    /// <summary><c>SO_BROADCAST</c>: allow sending datagrams to broadcast addresses.</summary>
    public const int SO_BROADCAST = 6;

    /// <summary><c>SO_SNDBUF</c>: kernel send-buffer size (Linux doubles the value set).</summary>
    public const int SO_SNDBUF = 7;

    /// <summary><c>SO_RCVBUF</c>: kernel receive-buffer size (Linux doubles the value set).</summary>
    public const int SO_RCVBUF = 8;

    /// <summary><c>SO_KEEPALIVE</c>: send TCP keep-alive probes on an idle connection.</summary>
    public const int SO_KEEPALIVE = 9;

    /// <summary><c>SO_LINGER</c>: what <c>close</c> does with unsent data; takes a <see cref="Linger"/>.</summary>
    public const int SO_LINGER = 13;

    /// <summary><c>SO_REUSEPORT</c>: let several sockets bind the same address and port (kernel load-balances accepts), Linux 3.9+.</summary>
    public const int SO_REUSEPORT = 15;

    /// <summary><c>TCP_NODELAY</c>: disable Nagle's algorithm.</summary>
    public const int TCP_NODELAY = 1;

    /// <summary><c>TCP_KEEPIDLE</c>: seconds of idleness before the first keep-alive probe.</summary>
    public const int TCP_KEEPIDLE = 4;

    /// <summary><c>TCP_KEEPINTVL</c>: seconds between keep-alive probes.</summary>
    public const int TCP_KEEPINTVL = 5;

    /// <summary><c>TCP_KEEPCNT</c>: unanswered keep-alive probes before the connection is dropped.</summary>
    public const int TCP_KEEPCNT = 6;

    /// <summary><c>IP_TOS</c>: the IPv4 type-of-service byte.</summary>
    public const int IP_TOS = 1;

    /// <summary><c>IP_TTL</c>: the IPv4 time-to-live of outgoing unicast packets.</summary>
    public const int IP_TTL = 2;

    /// <summary><c>IPV6_UNICAST_HOPS</c>: the IPv6 hop limit of outgoing unicast packets.</summary>
    public const int IPV6_UNICAST_HOPS = 16;

    /// <summary><c>IPV6_V6ONLY</c>: 1 restricts an IPv6 socket to IPv6; 0 makes it dual-stack (IPv4-mapped addresses).</summary>
    public const int IPV6_V6ONLY = 26;

    /// <summary><c>IPV6_TCLASS</c>: the IPv6 traffic-class byte (the IPv6 counterpart of <see cref="IP_TOS"/>).</summary>
    public const int IPV6_TCLASS = 67;

    /// <summary><c>MSG_NOSIGNAL</c>: make <c>send</c> on a broken connection fail with <c>EPIPE</c> instead of raising SIGPIPE.</summary>
    public const int MSG_NOSIGNAL = 0x4000;

    /// <summary><c>MSG_TRUNC</c>: on a datagram socket, make <c>recvfrom</c> return the datagram's real length even when it was longer than the buffer.</summary>
    public const int MSG_TRUNC = 0x20;

    /// <summary><c>IP_MULTICAST_IF</c>: the IPv4 interface (by address) for outgoing multicast.</summary>
    public const int IP_MULTICAST_IF = 32;

    /// <summary><c>IP_MULTICAST_TTL</c>: the time-to-live of outgoing IPv4 multicast (default 1).</summary>
    public const int IP_MULTICAST_TTL = 33;

    /// <summary><c>IP_MULTICAST_LOOP</c>: 1 delivers our own IPv4 multicast to local members too (the default).</summary>
    public const int IP_MULTICAST_LOOP = 34;

    /// <summary><c>IP_ADD_MEMBERSHIP</c>: join an IPv4 multicast group; takes a <see cref="IpMreqn"/>.</summary>
    public const int IP_ADD_MEMBERSHIP = 35;

    /// <summary><c>IPV6_MULTICAST_IF</c>: the IPv6 interface (by index) for outgoing multicast.</summary>
    public const int IPV6_MULTICAST_IF = 17;

    /// <summary><c>IPV6_MULTICAST_HOPS</c>: the hop limit of outgoing IPv6 multicast (default 1).</summary>
    public const int IPV6_MULTICAST_HOPS = 18;

    /// <summary><c>IPV6_MULTICAST_LOOP</c>: 1 delivers our own IPv6 multicast to local members too (the default).</summary>
    public const int IPV6_MULTICAST_LOOP = 19;

    /// <summary><c>IPV6_ADD_MEMBERSHIP</c> (<c>IPV6_JOIN_GROUP</c>): join an IPv6 multicast group; takes an <see cref="Ipv6Mreq"/>.</summary>
    public const int IPV6_ADD_MEMBERSHIP = 20;

    /// <summary><c>SHUT_RD</c>: shut down the receiving side.</summary>
    public const int SHUT_RD = 0;

    /// <summary><c>SHUT_WR</c>: shut down the sending side (sends FIN after queued data).</summary>
    public const int SHUT_WR = 1;

    /// <summary><c>SHUT_RDWR</c>: shut down both sides.</summary>
    public const int SHUT_RDWR = 2;

    /// <summary><c>F_GETFL</c>: <see cref="Fcntl"/> command reading the file status flags.</summary>
    public const int F_GETFL = 3;

    /// <summary><c>F_SETFL</c>: <see cref="Fcntl"/> command writing the file status flags.</summary>
    public const int F_SETFL = 4;

    /// <summary><c>O_NONBLOCK</c>: the file status flag that makes calls return <c>EAGAIN</c> instead of blocking.</summary>
    public const int O_NONBLOCK = 0x800;

    /// <summary>Size of <c>struct sockaddr_storage</c>: large enough for any address this backend decodes.</summary>
    public const int SockaddrStorageSize = 128;

    /// <summary><c>struct linger</c>, the value of <see cref="SO_LINGER"/>.</summary>
    [StructLayout(LayoutKind.Sequential)]
    public struct Linger
    {
        /// <summary>Non-zero enables lingering on close.</summary>
        public int OnOff;

        /// <summary>Seconds to linger; 0 with <see cref="OnOff"/> set makes <c>close</c> send a reset.</summary>
        public int Seconds;
    }

    /// <summary><c>struct ip_mreqn</c>, the value of <see cref="IP_ADD_MEMBERSHIP"/>.</summary>
    [StructLayout(LayoutKind.Sequential)]
    public struct IpMreqn
    {
        /// <summary>The group address, network byte order.</summary>
        public uint MulticastAddress;

        /// <summary>The local interface address, network byte order (0: any).</summary>
        public uint InterfaceAddress;

        /// <summary>The interface index (0: any; takes precedence over the address when set).</summary>
        public int InterfaceIndex;
    }

    /// <summary><c>struct ipv6_mreq</c>, the value of <see cref="IPV6_ADD_MEMBERSHIP"/>.</summary>
    [StructLayout(LayoutKind.Sequential)]
    public struct Ipv6Mreq
    {
        /// <summary>The group address.</summary>
        public Ipv6Address MulticastAddress;

        /// <summary>The interface index (0: chosen by route).</summary>
        public int InterfaceIndex;
    }

    /// <summary>Sixteen bytes of an IPv6 address, inline.</summary>
    [InlineArray(16)]
    public struct Ipv6Address
    {
        private byte _first;
    }

    /// <summary><c>struct iovec</c>: one buffer of a scatter/gather call (<see cref="ReadV"/>, <see cref="WriteV"/>).</summary>
    [StructLayout(LayoutKind.Sequential)]
    public struct IoVec
    {
        /// <summary>Start of the buffer; must stay pinned for the duration of the call.</summary>
        public void* Base;

        /// <summary>Length of the buffer in bytes.</summary>
        public nuint Length;
    }

    /// <summary><c>socket(2)</c>: returns a descriptor or -1.</summary>
    [LibraryImport(Libc, EntryPoint = "socket", SetLastError = true)]
    public static partial int Socket(int domain, int type, int protocol);

    /// <summary><c>bind(2)</c>: 0 or -1. <paramref name="address"/> points to a sockaddr of <paramref name="addressLength"/> bytes.</summary>
    [LibraryImport(Libc, EntryPoint = "bind", SetLastError = true)]
    public static partial int Bind(int fd, byte* address, uint addressLength);

    /// <summary><c>listen(2)</c>: 0 or -1.</summary>
    [LibraryImport(Libc, EntryPoint = "listen", SetLastError = true)]
    public static partial int Listen(int fd, int backlog);

    /// <summary>
    /// <c>accept4(2)</c>: a new descriptor or -1. Pass <see cref="SOCK_NONBLOCK"/> | <see cref="SOCK_CLOEXEC"/>
    /// so the accepted socket is born non-blocking and close-on-exec. Both address pointers may be null.
    /// </summary>
    [LibraryImport(Libc, EntryPoint = "accept4", SetLastError = true)]
    public static partial int Accept4(int fd, byte* address, uint* addressLength, int flags);

    /// <summary><c>connect(2)</c>: 0, or -1 with <c>EINPROGRESS</c> on a non-blocking stream socket.</summary>
    [LibraryImport(Libc, EntryPoint = "connect", SetLastError = true)]
    public static partial int Connect(int fd, byte* address, uint addressLength);

    /// <summary><c>recv(2)</c>: bytes read, 0 at end of stream, or -1.</summary>
    [LibraryImport(Libc, EntryPoint = "recv", SetLastError = true)]
    public static partial nint Recv(int fd, byte* buffer, nuint length, int flags);

    /// <summary><c>send(2)</c>: bytes written or -1. Always pass <see cref="MSG_NOSIGNAL"/>.</summary>
    [LibraryImport(Libc, EntryPoint = "send", SetLastError = true)]
    public static partial nint Send(int fd, byte* buffer, nuint length, int flags);

    /// <summary>
    /// <c>recvfrom(2)</c>: bytes read (with <see cref="MSG_TRUNC"/>, the datagram's real length) or -1;
    /// the sender's address goes to <paramref name="address"/>, <paramref name="addressLength"/> is in/out.
    /// </summary>
    [LibraryImport(Libc, EntryPoint = "recvfrom", SetLastError = true)]
    public static partial nint RecvFrom(int fd, byte* buffer, nuint length, int flags, byte* address, uint* addressLength);

    /// <summary><c>sendto(2)</c>: bytes written or -1. A null <paramref name="address"/> sends to the connected peer.</summary>
    [LibraryImport(Libc, EntryPoint = "sendto", SetLastError = true)]
    public static partial nint SendTo(int fd, byte* buffer, nuint length, int flags, byte* address, uint addressLength);

    /// <summary><c>readv(2)</c>: scatter read into <paramref name="count"/> buffers; bytes read, 0 at end of stream, or -1.</summary>
    [LibraryImport(Libc, EntryPoint = "readv", SetLastError = true)]
    public static partial nint ReadV(int fd, IoVec* vectors, int count);

    /// <summary>
    /// <c>writev(2)</c>: gather write from <paramref name="count"/> buffers; bytes written or -1.
    /// Unlike <see cref="Send"/> it cannot take <see cref="MSG_NOSIGNAL"/>; the runtime ignores
    /// SIGPIPE process-wide, which is what makes it safe to use on a socket.
    /// </summary>
    [LibraryImport(Libc, EntryPoint = "writev", SetLastError = true)]
    public static partial nint WriteV(int fd, IoVec* vectors, int count);

    /// <summary><c>shutdown(2)</c>: 0 or -1. <paramref name="how"/> is <see cref="SHUT_RD"/>, <see cref="SHUT_WR"/> or <see cref="SHUT_RDWR"/>.</summary>
    [LibraryImport(Libc, EntryPoint = "shutdown", SetLastError = true)]
    public static partial int Shutdown(int fd, int how);

    /// <summary><c>close(2)</c>: 0 or -1. Never retry on <c>EINTR</c>: Linux has already released the descriptor.</summary>
    [LibraryImport(Libc, EntryPoint = "close", SetLastError = true)]
    public static partial int Close(int fd);

    /// <summary><c>setsockopt(2)</c>: 0 or -1.</summary>
    [LibraryImport(Libc, EntryPoint = "setsockopt", SetLastError = true)]
    public static partial int SetSockOpt(int fd, int level, int name, void* value, uint valueLength);

    /// <summary><c>getsockopt(2)</c>: 0 or -1; <paramref name="valueLength"/> is in/out.</summary>
    [LibraryImport(Libc, EntryPoint = "getsockopt", SetLastError = true)]
    public static partial int GetSockOpt(int fd, int level, int name, void* value, uint* valueLength);

    /// <summary><c>getsockname(2)</c>: 0 or -1; <paramref name="addressLength"/> is in/out.</summary>
    [LibraryImport(Libc, EntryPoint = "getsockname", SetLastError = true)]
    public static partial int GetSockName(int fd, byte* address, uint* addressLength);

    /// <summary><c>getpeername(2)</c>: 0, or -1 with <c>ENOTCONN</c> while not (yet) connected.</summary>
    [LibraryImport(Libc, EntryPoint = "getpeername", SetLastError = true)]
    public static partial int GetPeerName(int fd, byte* address, uint* addressLength);

    /// <summary>
    /// <c>fcntl(2)</c> with one integer argument (<see cref="F_GETFL"/>, <see cref="F_SETFL"/>).
    /// The C function is variadic; on the Linux ABIs .NET supports, a trailing <c>int</c> is passed
    /// exactly like a fixed argument, so this fixed signature is sound there (unlike on Apple ARM64).
    /// </summary>
    [LibraryImport(Libc, EntryPoint = "fcntl", SetLastError = true)]
    public static partial int Fcntl(int fd, int command, int argument);

    /// <summary>
    /// Translates a .NET socket option into the Linux level and name for the options this backend
    /// supports; false for anything else (the caller reports <see cref="SocketError.ProtocolOption"/>).
    /// </summary>
    /// <remarks>
    /// <see cref="SocketOptionName"/> has no member for <c>SO_REUSEPORT</c>;
    /// <see cref="LoopSocket.ReusePortOption"/> at <see cref="SocketOptionLevel.Socket"/> stands for
    /// it. <see cref="SocketOptionName.ReuseAddress"/> maps to <c>SO_REUSEADDR</c> alone, as the
    /// contract says (System.Net.Sockets sets <c>SO_REUSEPORT</c> too on Unix, so a managed view
    /// setting ReuseAddress still gets both). <see cref="SocketOptionName.TypeOfService"/> at the IPv6
    /// level maps to <c>IPV6_TCLASS</c>. <see cref="SocketOptionName.Linger"/> is mapped here but
    /// takes a <see cref="Linger"/>, not an integer.
    /// </remarks>
    public static bool TryGetNativeOption(SocketOptionLevel level, SocketOptionName name, out int nativeLevel, out int nativeName)
    {
        nativeName = (level, name) switch
        {
            (SocketOptionLevel.Socket, SocketOptionName.ReuseAddress) => SO_REUSEADDR,
            (SocketOptionLevel.Socket, LoopSocket.ReusePortOption) => SO_REUSEPORT,
            (SocketOptionLevel.Socket, SocketOptionName.KeepAlive) => SO_KEEPALIVE,
            (SocketOptionLevel.Socket, SocketOptionName.SendBuffer) => SO_SNDBUF,
            (SocketOptionLevel.Socket, SocketOptionName.ReceiveBuffer) => SO_RCVBUF,
            (SocketOptionLevel.Socket, SocketOptionName.Linger) => SO_LINGER,
            (SocketOptionLevel.Socket, SocketOptionName.Error) => SO_ERROR,
            (SocketOptionLevel.Socket, SocketOptionName.Broadcast) => SO_BROADCAST,
            (SocketOptionLevel.Tcp, SocketOptionName.NoDelay) => TCP_NODELAY,
            (SocketOptionLevel.Tcp, SocketOptionName.TcpKeepAliveTime) => TCP_KEEPIDLE,
            (SocketOptionLevel.Tcp, SocketOptionName.TcpKeepAliveInterval) => TCP_KEEPINTVL,
            (SocketOptionLevel.Tcp, SocketOptionName.TcpKeepAliveRetryCount) => TCP_KEEPCNT,
            (SocketOptionLevel.IP, SocketOptionName.TypeOfService) => IP_TOS,
            (SocketOptionLevel.IP, SocketOptionName.IpTimeToLive) => IP_TTL,
            (SocketOptionLevel.IP, SocketOptionName.MulticastInterface) => IP_MULTICAST_IF,
            (SocketOptionLevel.IP, SocketOptionName.MulticastTimeToLive) => IP_MULTICAST_TTL,
            (SocketOptionLevel.IP, SocketOptionName.MulticastLoopback) => IP_MULTICAST_LOOP,
            (SocketOptionLevel.IPv6, SocketOptionName.MulticastInterface) => IPV6_MULTICAST_IF,
            (SocketOptionLevel.IPv6, SocketOptionName.MulticastTimeToLive) => IPV6_MULTICAST_HOPS,
            (SocketOptionLevel.IPv6, SocketOptionName.MulticastLoopback) => IPV6_MULTICAST_LOOP,
            (SocketOptionLevel.IPv6, SocketOptionName.IPv6Only) => IPV6_V6ONLY,
            (SocketOptionLevel.IPv6, SocketOptionName.TypeOfService) => IPV6_TCLASS,
            (SocketOptionLevel.IPv6, SocketOptionName.IpTimeToLive) => IPV6_UNICAST_HOPS,
            _ => -1,
        };
        nativeLevel = level switch
        {
            SocketOptionLevel.Socket => SOL_SOCKET,
            SocketOptionLevel.Tcp => IPPROTO_TCP,
            SocketOptionLevel.IP => IPPROTO_IP,
            SocketOptionLevel.IPv6 => IPPROTO_IPV6,
            _ => -1,
        };
        return nativeName >= 0 && nativeLevel >= 0;
    }
}
