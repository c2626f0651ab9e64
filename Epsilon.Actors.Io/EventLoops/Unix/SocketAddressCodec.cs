using System.Buffers.Binary;
using System.Net;
using System.Net.Sockets;

namespace Epsilon.Actors.Io.EventLoops.Unix;

/// <summary>
/// Converts <see cref="IPEndPoint"/> to and from the Linux <c>sockaddr_in</c> and
/// <c>sockaddr_in6</c> layouts. Encoding writes into a caller-provided span (typically
/// <c>stackalloc byte[SocketAddressCodec.MaxEncodedLength]</c>) and never allocates; decoding
/// allocates only the resulting endpoint. Pure and thread-safe.
/// </summary>
/// <remarks>
/// <code>
/// sockaddr_in (16 bytes)                 sockaddr_in6 (28 bytes)
///  0: sa_family  u16, host order          0: sin6_family   u16, host order
///  2: sin_port   u16, network order       2: sin6_port     u16, network order
///  4: sin_addr   4 bytes                  4: sin6_flowinfo u32, network order
///  8: zero       8 bytes                  8: sin6_addr     16 bytes
///                                        24: sin6_scope_id u32, host order
/// </code>
/// IPv4-mapped IPv6 addresses (<c>::ffff:a.b.c.d</c>): an IPv4 endpoint given to an IPv6 socket is
/// encoded in its mapped form (the dual-stack case, as System.Net.Sockets does), and a mapped
/// endpoint given to an IPv4 socket is encoded as plain IPv4. Decoding turns a mapped address back
/// into IPv4, so a dual-stack listener reports IPv4 peers as IPv4, exactly as the portable backend
/// does (it normalizes <see cref="Socket"/>'s endpoints the same way).
/// </remarks>
internal static class SocketAddressCodec
{
    /// <summary>Length of an encoded <c>sockaddr_in</c>.</summary>
    public const int IPv4Length = 16;

    /// <summary>Length of an encoded <c>sockaddr_in6</c>.</summary>
    public const int IPv6Length = 28;

    /// <summary>A buffer of this size holds any address <see cref="TryEncode"/> writes.</summary>
    public const int MaxEncodedLength = IPv6Length;

    /// <summary>
    /// Encodes <paramref name="endPoint"/> for a socket of <paramref name="socketFamily"/> into
    /// <paramref name="destination"/> (at least <see cref="MaxEncodedLength"/> bytes).
    /// </summary>
    /// <returns>
    /// <see cref="SocketError.Success"/> with <paramref name="length"/> set;
    /// <see cref="SocketError.InvalidArgument"/> for a <see cref="DnsEndPoint"/> or any other
    /// non-IP endpoint (callers resolve names before reaching the socket);
    /// <see cref="SocketError.AddressFamilyNotSupported"/> for an IPv6 address on an IPv4 socket or
    /// an unsupported socket family.
    /// </returns>
    public static SocketError TryEncode(EndPoint endPoint, AddressFamily socketFamily, Span<byte> destination, out int length)
    {
        length = 0;
        if (endPoint is not IPEndPoint ip)
        {
            return SocketError.InvalidArgument;
        }

        var address = ip.Address;
        switch (socketFamily)
        {
            case AddressFamily.InterNetwork:
                if (address.AddressFamily == AddressFamily.InterNetworkV6)
                {
                    if (!address.IsIPv4MappedToIPv6)
                    {
                        return SocketError.AddressFamilyNotSupported;
                    }

                    address = address.MapToIPv4();
                }

                length = EncodeIPv4(address, ip.Port, destination);
                return SocketError.Success;

            case AddressFamily.InterNetworkV6:
                length = EncodeIPv6(address, ip.Port, destination);
                return SocketError.Success;

            default:
                return SocketError.AddressFamilyNotSupported;
        }
    }

    /// <summary>
    /// Decodes a <c>sockaddr</c> as filled in by <c>getsockname</c>, <c>getpeername</c> or
    /// <c>accept4</c>; null when the family is neither IPv4 nor IPv6 or the span is too short.
    /// An IPv4-mapped IPv6 address comes back as an IPv4 endpoint.
    /// </summary>
    public static IPEndPoint? Decode(ReadOnlySpan<byte> source)
    {
        if (source.Length < 2)
        {
            return null;
        }

        int family = BitConverter.ToUInt16(source);
        if (family == UnixSocketInterop.AF_INET && source.Length >= IPv4Length)
        {
            int port = BinaryPrimitives.ReadUInt16BigEndian(source[2..]);
            return new IPEndPoint(new IPAddress(source.Slice(4, 4)), port);
        }

        if (family == UnixSocketInterop.AF_INET6 && source.Length >= IPv6Length)
        {
            int port = BinaryPrimitives.ReadUInt16BigEndian(source[2..]);
            var address = source.Slice(8, 16);
            if (IsIPv4Mapped(address))
            {
                return new IPEndPoint(new IPAddress(address[12..]), port);
            }

            uint scopeId = BitConverter.ToUInt32(source[24..]);
            return new IPEndPoint(new IPAddress(address, scopeId), port);
        }

        return null;
    }

    private static bool IsIPv4Mapped(ReadOnlySpan<byte> address) =>
        address[..10].IndexOfAnyExcept((byte)0) < 0 && address[10] == 0xff && address[11] == 0xff;

    private static int EncodeIPv4(IPAddress address, int port, Span<byte> destination)
    {
        var sockaddr = destination[..IPv4Length];
        sockaddr.Clear();
        BitConverter.TryWriteBytes(sockaddr, (ushort)UnixSocketInterop.AF_INET);
        BinaryPrimitives.WriteUInt16BigEndian(sockaddr[2..], (ushort)port);
        address.TryWriteBytes(sockaddr.Slice(4, 4), out _);
        return IPv4Length;
    }

    private static int EncodeIPv6(IPAddress address, int port, Span<byte> destination)
    {
        var sockaddr = destination[..IPv6Length];
        sockaddr.Clear();
        BitConverter.TryWriteBytes(sockaddr, (ushort)UnixSocketInterop.AF_INET6);
        BinaryPrimitives.WriteUInt16BigEndian(sockaddr[2..], (ushort)port);
        if (address.AddressFamily == AddressFamily.InterNetwork)
        {
            // ::ffff:a.b.c.d: ten zero bytes (already cleared), two 0xff, then the IPv4 address.
            sockaddr[18] = 0xff;
            sockaddr[19] = 0xff;
            address.TryWriteBytes(sockaddr.Slice(20, 4), out _);
        }
        else
        {
            address.TryWriteBytes(sockaddr.Slice(8, 16), out _);
            BitConverter.TryWriteBytes(sockaddr[24..], (uint)address.ScopeId);
        }

        return IPv6Length;
    }
}
