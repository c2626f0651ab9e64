using System.Net;
using System.Net.Sockets;
using System.Runtime.InteropServices;

namespace Epsilon.Actors.Io.EventLoops.Unix;

/// <summary>The datagram operations of <see cref="NativeSocket"/>: <c>recvfrom</c>, <c>sendto</c> and multicast membership.</summary>
internal sealed unsafe partial class NativeSocket
{
    // The last sender's encoded address and its decoded endpoint: a peer that sends many
    // datagrams costs one IPEndPoint, not one per datagram (receive path, loop thread only).
    private byte[]? _lastSenderAddress;
    private int _lastSenderLength;
    private IPEndPoint? _lastSender;

    /// <summary>
    /// Receives one datagram with <c>recvfrom(MSG_TRUNC)</c>, which returns the datagram's real
    /// length, so a datagram longer than <paramref name="buffer"/> is reported as
    /// <see cref="SocketError.MessageSize"/> (with <paramref name="received"/> = the buffer's length)
    /// rather than silently cut. An empty datagram is <see cref="SocketError.Success"/> with 0.
    /// </summary>
    public override SocketError ReceiveFrom(Span<byte> buffer, out int received, out EndPoint? remote)
    {
        received = 0;
        remote = null;
        if (IsDisposed)
        {
            return SocketError.OperationAborted;
        }

        byte* sockaddr = stackalloc byte[UnixSocketInterop.SockaddrStorageSize];
        fixed (byte* data = buffer)
        {
            while (true)
            {
                uint length = UnixSocketInterop.SockaddrStorageSize;
                nint result = UnixSocketInterop.RecvFrom(_fd, data, (nuint)buffer.Length, UnixSocketInterop.MSG_TRUNC, sockaddr, &length);
                if (result >= 0)
                {
                    remote = Sender(new ReadOnlySpan<byte>(sockaddr, (int)Math.Min(length, (uint)UnixSocketInterop.SockaddrStorageSize)));
                    if (result > buffer.Length)
                    {
                        received = buffer.Length;
                        return SocketError.MessageSize;
                    }

                    received = (int)result;
                    return SocketError.Success;
                }

                int errno = Marshal.GetLastPInvokeError();
                if (errno != Errno.EINTR)
                {
                    return Errno.ToSocketError(errno);
                }
            }
        }
    }

    /// <summary>
    /// Sends one datagram with <c>sendto(MSG_NOSIGNAL)</c>; a null <paramref name="remote"/> sends
    /// to the connected peer. <c>EMSGSIZE</c> becomes <see cref="SocketError.MessageSize"/>,
    /// <c>EAGAIN</c> <see cref="SocketError.WouldBlock"/>.
    /// </summary>
    public override SocketError SendTo(ReadOnlySpan<byte> datagram, EndPoint? remote, out int sent)
    {
        sent = 0;
        if (IsDisposed)
        {
            return SocketError.OperationAborted;
        }

        Span<byte> address = stackalloc byte[SocketAddressCodec.MaxEncodedLength];
        int addressLength = 0;
        if (remote is not null)
        {
            var error = SocketAddressCodec.TryEncode(remote, _addressFamily, address, out addressLength);
            if (error != SocketError.Success)
            {
                return error;
            }
        }

        fixed (byte* bytes = datagram)
        fixed (byte* sockaddr = address)
        {
            while (true)
            {
                nint result = UnixSocketInterop.SendTo(
                    _fd, bytes, (nuint)datagram.Length, UnixSocketInterop.MSG_NOSIGNAL, remote is null ? null : sockaddr, (uint)addressLength);
                if (result >= 0)
                {
                    sent = (int)result;
                    return SocketError.Success;
                }

                int errno = Marshal.GetLastPInvokeError();
                if (errno != Errno.EINTR)
                {
                    return Errno.ToSocketError(errno);
                }
            }
        }
    }

    /// <summary>
    /// Joins a group with <c>IP_ADD_MEMBERSHIP</c> (<c>struct ip_mreqn</c>) or
    /// <c>IPV6_ADD_MEMBERSHIP</c> (<c>struct ipv6_mreq</c>). An IPv4 group on a dual-stack IPv6
    /// socket uses the IPv4 option, which Linux accepts there.
    /// </summary>
    public override SocketError JoinMulticastGroup(IPAddress group, IPAddress? interfaceAddress, int interfaceIndex)
    {
        ArgumentNullException.ThrowIfNull(group);
        if (IsDisposed)
        {
            return SocketError.OperationAborted;
        }

        if (group.IsIPv4MappedToIPv6)
        {
            group = group.MapToIPv4();
        }

        if (group.AddressFamily == AddressFamily.InterNetwork)
        {
            var request = new UnixSocketInterop.IpMreqn { InterfaceIndex = interfaceIndex };
            group.TryWriteBytes(new Span<byte>(&request.MulticastAddress, sizeof(uint)), out _);
            if (interfaceAddress is { AddressFamily: AddressFamily.InterNetwork })
            {
                interfaceAddress.TryWriteBytes(new Span<byte>(&request.InterfaceAddress, sizeof(uint)), out _);
            }

            return Result(UnixSocketInterop.SetSockOpt(
                _fd, UnixSocketInterop.IPPROTO_IP, UnixSocketInterop.IP_ADD_MEMBERSHIP, &request, (uint)sizeof(UnixSocketInterop.IpMreqn)));
        }

        if (_addressFamily != AddressFamily.InterNetworkV6)
        {
            return SocketError.AddressFamilyNotSupported;
        }

        var request6 = new UnixSocketInterop.Ipv6Mreq { InterfaceIndex = interfaceIndex };
        group.TryWriteBytes(request6.MulticastAddress, out _);
        return Result(UnixSocketInterop.SetSockOpt(
            _fd, UnixSocketInterop.IPPROTO_IPV6, UnixSocketInterop.IPV6_ADD_MEMBERSHIP, &request6, (uint)sizeof(UnixSocketInterop.Ipv6Mreq)));
    }

    private IPEndPoint? Sender(ReadOnlySpan<byte> sockaddr)
    {
        if (_lastSender is not null && sockaddr.SequenceEqual(_lastSenderAddress.AsSpan(0, _lastSenderLength)))
        {
            return _lastSender;
        }

        var decoded = SocketAddressCodec.Decode(sockaddr);
        if (decoded is not null && sockaddr.Length <= SocketAddressCodec.MaxEncodedLength)
        {
            _lastSenderAddress ??= new byte[SocketAddressCodec.MaxEncodedLength];
            sockaddr.CopyTo(_lastSenderAddress);
            _lastSenderLength = sockaddr.Length;
            _lastSender = decoded;
        }

        return decoded;
    }
}
