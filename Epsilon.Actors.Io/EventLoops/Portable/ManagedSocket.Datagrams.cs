using System.Buffers;
using System.Net;
using System.Net.Sockets;

namespace Epsilon.Actors.Io.EventLoops.Portable;

/// <summary>
/// The datagram operations of <see cref="ManagedSocket"/>. Readiness for reading comes from a
/// zero-byte peek (which waits for a datagram without taking it); a datagram that meets a full
/// send buffer is copied into the overflow buffer and sent asynchronously, and that send's
/// completion is the "writable" signal, as for streams.
/// </summary>
internal sealed partial class ManagedSocket
{
    /// <summary>Any datagram fits a buffer of this size (IPv4 and IPv6 without jumbograms carry at most 65,527 bytes).</summary>
    private const int WholeDatagramSize = 65_536;

    private SocketAddress? _receiveAddress;
    private SocketAddress? _lastSenderAddress;
    private EndPoint? _lastSender;
    private EndPoint? _lastTarget;
    private SocketAddress? _lastTargetAddress;

    /// <summary>
    /// Receives one datagram. With a buffer of 64 KiB or more (no datagram can be cut) it uses
    /// <see cref="Socket.ReceiveFrom(Span{byte}, SocketFlags, SocketAddress)"/>, which does not
    /// allocate; with a smaller buffer, <c>ReceiveMessageFrom</c>, whose flags reveal truncation
    /// (.NET's <c>ReceiveFrom</c> cuts silently on Unix). A non-blocking poll first avoids paying an
    /// exception for "nothing queued".
    /// </summary>
    public override SocketError ReceiveFrom(Span<byte> buffer, out int received, out EndPoint? remote)
    {
        received = 0;
        remote = null;
        if (IsDisposed) return SocketError.OperationAborted;
        try
        {
            if (!_socket.Poll(0, SelectMode.SelectRead)) return SocketError.WouldBlock;
            if (buffer.Length >= WholeDatagramSize)
            {
                var address = _receiveAddress ??= new SocketAddress(_socket.AddressFamily);
                received = _socket.ReceiveFrom(buffer, SocketFlags.None, address);
                remote = Sender(address);
                return SocketError.Success;
            }

            var flags = SocketFlags.None;
            EndPoint from = _socket.AddressFamily == AddressFamily.InterNetworkV6
                ? new IPEndPoint(IPAddress.IPv6Any, 0)
                : new IPEndPoint(IPAddress.Any, 0);
            received = _socket.ReceiveMessageFrom(buffer, ref flags, ref from, out _);
            remote = Normalize(from);
            return (flags & SocketFlags.Truncated) != 0 ? SocketError.MessageSize : SocketError.Success;
        }
        catch (SocketException ex)
        {
            return ex.SocketErrorCode;
        }
        catch (ObjectDisposedException)
        {
            return SocketError.OperationAborted;
        }
    }

    /// <summary>
    /// Sends one datagram. When the kernel's buffer is full, the datagram is copied into the
    /// overflow buffer and sent asynchronously: the call reports it sent, and later calls return
    /// <see cref="SocketError.WouldBlock"/> until that send completes (then Write readiness follows).
    /// </summary>
    public override SocketError SendTo(ReadOnlySpan<byte> datagram, EndPoint? remote, out int sent)
    {
        sent = 0;
        if (IsDisposed) return SocketError.OperationAborted;
        lock (_gate)
        {
            if (_writeInFlight) return SocketError.WouldBlock;
        }

        SocketAddress? target = null;
        if (remote is not null)
        {
            if (remote is not IPEndPoint ip) return SocketError.InvalidArgument;
            if (ip.AddressFamily == AddressFamily.InterNetworkV6 && _socket.AddressFamily == AddressFamily.InterNetwork)
                return SocketError.AddressFamilyNotSupported;
            target = TargetAddress(ip);
        }

        try
        {
            sent = target is null ? _socket.Send(datagram, SocketFlags.None) : _socket.SendTo(datagram, SocketFlags.None, target);
            return SocketError.Success;
        }
        catch (SocketException ex) when (ex.SocketErrorCode == SocketError.WouldBlock && datagram.Length <= OverflowLimit)
        {
            _overflow ??= ArrayPool<byte>.Shared.Rent(OverflowLimit);
            datagram.CopyTo(_overflow);
            var args = WriteArgs();
            args.SetBuffer(_overflow, 0, datagram.Length);
            args.RemoteEndPoint = target is null ? null : DualModeTarget((IPEndPoint)remote!);
            lock (_gate) _writeInFlight = true;
            StartDatagramSend(args);
            sent = datagram.Length;
            return SocketError.Success;
        }
        catch (SocketException ex)
        {
            return ex.SocketErrorCode;
        }
        catch (ObjectDisposedException)
        {
            return SocketError.OperationAborted;
        }
    }

    /// <inheritdoc />
    public override SocketError JoinMulticastGroup(IPAddress group, IPAddress? interfaceAddress, int interfaceIndex)
    {
        ArgumentNullException.ThrowIfNull(group);
        if (group.IsIPv4MappedToIPv6) group = group.MapToIPv4();
        return group.AddressFamily == AddressFamily.InterNetwork
            ? Call(() => _socket.SetSocketOption(SocketOptionLevel.IP, SocketOptionName.AddMembership, interfaceIndex != 0
                ? new MulticastOption(group, interfaceIndex)
                : new MulticastOption(group, interfaceAddress ?? IPAddress.Any)))
            : Call(() => _socket.SetSocketOption(SocketOptionLevel.IPv6, SocketOptionName.AddMembership, new IPv6MulticastOption(group, interfaceIndex)));
    }

    private void StartDatagramSend(SocketAsyncEventArgs args)
    {
        if (args.RemoteEndPoint is null)
        {
            StartSend(args);
            return;
        }

        bool pending;
        try
        {
            pending = _socket.SendToAsync(args);
        }
        catch (ObjectDisposedException)
        {
            return;
        }

        if (!pending) OnWriteCompleted(args);
    }

    // One SocketAddress per distinct sender, reused while the same peer keeps sending.
    private EndPoint? Sender(SocketAddress address)
    {
        if (_lastSender is not null && address.Equals(_lastSenderAddress)) return _lastSender;
        var copy = new SocketAddress(address.Family, address.Size);
        address.Buffer.Span[..address.Size].CopyTo(copy.Buffer.Span);
        _lastSenderAddress = copy;
        var template = address.Family == AddressFamily.InterNetworkV6 ? s_anyV6 : s_anyV4;
        _lastSender = Normalize(template.Create(copy));
        return _lastSender;
    }

    // The serialized target, cached for the endpoint object last sent to (replies to one peer reuse it).
    private SocketAddress TargetAddress(IPEndPoint remote)
    {
        if (ReferenceEquals(remote, _lastTarget) && _lastTargetAddress is not null) return _lastTargetAddress;
        _lastTargetAddress = DualModeTarget(remote).Serialize();
        _lastTarget = remote;
        return _lastTargetAddress;
    }

    private IPEndPoint DualModeTarget(IPEndPoint remote) =>
        _socket.AddressFamily == AddressFamily.InterNetworkV6 && remote.AddressFamily == AddressFamily.InterNetwork
            ? new IPEndPoint(remote.Address.MapToIPv6(), remote.Port)
            : remote;

    private static readonly IPEndPoint s_anyV4 = new(IPAddress.Any, 0);
    private static readonly IPEndPoint s_anyV6 = new(IPAddress.IPv6Any, 0);
}
