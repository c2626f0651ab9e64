using System.Buffers;
using System.Net;
using System.Net.Sockets;

namespace Epsilon.Actors.Io.EventLoops.Portable;

/// <summary>
/// A <see cref="LoopSocket"/> over <see cref="Socket"/> in non-blocking mode. Readiness is made
/// from completions: a zero-byte receive signals "readable" without holding a buffer; an accept or
/// connect completion signals the listener or the connector; and when the kernel's send buffer is
/// full, the unsent bytes (up to <see cref="OverflowLimit"/>) move to one pooled buffer sent
/// asynchronously, whose completion signals "writable".
/// </summary>
internal sealed partial class ManagedSocket : LoopSocket
{
    /// <summary>The most bytes taken into the overflow send buffer at once.</summary>
    internal const int OverflowLimit = 64 * 1024;

    private readonly Socket _socket;
    private readonly object _gate = new();
    private SocketAsyncPoller? _poller;
    private ulong _token;
    private SocketAsyncEventArgs? _readArgs;
    private SocketAsyncEventArgs? _writeArgs;
    private bool _readInFlight;
    private bool _writeInFlight;
    private bool _listening;
    private Socket? _accepted;
    private SocketError _acceptError = SocketError.Success;
    private SocketError _connectError = SocketError.Success;
    private SocketError _receiveError = SocketError.Success; // a stream socket's error taken by a zero-byte receive
    private SocketError _sendError = SocketError.Success;
    private byte[]? _overflow;
    private EndPoint? _remote;
    private int _disposed;
    private bool _aborting;
    private bool _resetOnClose;

    /// <summary>Opens a new socket.</summary>
    public ManagedSocket(AddressFamily family, SocketType type, ProtocolType protocol)
        : this(new Socket(family, type, protocol))
    {
        if (family == AddressFamily.InterNetworkV6) _socket.DualMode = true;
    }

    private ManagedSocket(Socket socket)
    {
        _socket = socket;
        _socket.Blocking = false;
    }

    /// <inheritdoc />
    public override AddressFamily AddressFamily => _socket.AddressFamily;

    /// <inheritdoc />
    public override EndPoint? LocalEndPoint => Try(() => Normalize(_socket.LocalEndPoint));

    /// <inheritdoc />
    public override EndPoint? RemoteEndPoint => _remote ??= Try(() => Normalize(_socket.RemoteEndPoint));

    // After Dispose every call returns OperationAborted (as NativeSocket does), even while a
    // graceful close still waits for its overflow send and the handle is open.
    private bool IsDisposed => Volatile.Read(ref _disposed) != 0;

    internal void Attach(SocketAsyncPoller poller, ulong token)
    {
        _poller = poller;
        _token = token;
    }

    internal void Detach() => _poller = null;

    internal void Arm(IoReadiness interest)
    {
        if ((interest & IoReadiness.Read) != 0)
        {
            if (_listening) StartAccept();
            else StartZeroByteReceive();
        }

        if ((interest & IoReadiness.Write) != 0)
        {
            bool postNow;
            lock (_gate) postNow = !_writeInFlight;
            if (postNow) Post(IoReadiness.Write);
        }
    }

    /// <inheritdoc />
    public override SocketError Bind(EndPoint endPoint) => Call(() => _socket.Bind(endPoint));

    /// <inheritdoc />
    public override SocketError Listen(int backlog)
    {
        var error = Call(() => _socket.Listen(backlog));
        if (error == SocketError.Success) _listening = true;
        return error;
    }

    /// <inheritdoc />
    public override SocketError TryAccept(out LoopSocket? accepted)
    {
        accepted = null;
        if (IsDisposed) return SocketError.OperationAborted;
        Socket? socket;
        SocketError error;
        lock (_gate)
        {
            socket = _accepted;
            error = _acceptError;
            _accepted = null;
            _acceptError = SocketError.Success;
        }

        if (socket is null && error == SocketError.Success)
        {
            // Nothing taken yet: start an accept; it often completes at once.
            StartAccept();
            lock (_gate)
            {
                socket = _accepted;
                error = _acceptError;
                _accepted = null;
                _acceptError = SocketError.Success;
            }
        }

        if (socket is not null)
        {
            accepted = new ManagedSocket(socket);
            return SocketError.Success;
        }

        return error == SocketError.Success ? SocketError.WouldBlock : error;
    }

    /// <inheritdoc />
    public override SocketError Connect(EndPoint remote)
    {
        if (IsDisposed) return SocketError.OperationAborted;
        var args = WriteArgs();
        args.RemoteEndPoint = remote;
        lock (_gate) _writeInFlight = true;
        bool pending;
        try
        {
            pending = _socket.ConnectAsync(args);
        }
        catch (SocketException ex)
        {
            lock (_gate) _writeInFlight = false;
            return ex.SocketErrorCode;
        }
        catch (ObjectDisposedException)
        {
            lock (_gate) _writeInFlight = false;
            return SocketError.OperationAborted;
        }

        if (pending) return SocketError.WouldBlock;
        lock (_gate) _writeInFlight = false;
        return args.SocketError;
    }

    /// <inheritdoc />
    public override SocketError FinishConnect()
    {
        if (IsDisposed) return SocketError.OperationAborted;
        lock (_gate) return _writeInFlight ? SocketError.WouldBlock : _connectError;
    }

    /// <inheritdoc />
    public override SocketError Receive(Span<byte> buffer, out int received)
    {
        received = 0;
        if (IsDisposed) return SocketError.OperationAborted;
        lock (_gate)
        {
            if (_receiveError != SocketError.Success)
            {
                var taken = _receiveError;
                _receiveError = SocketError.Success;
                return taken;
            }
        }

        try
        {
            received = _socket.Receive(buffer, SocketFlags.None, out var error);
            return error;
        }
        catch (ObjectDisposedException)
        {
            return SocketError.OperationAborted;
        }
    }

    /// <inheritdoc />
    public override SocketError Send(ReadOnlySpan<byte> data, out int sent)
    {
        sent = 0;
        if (IsDisposed) return SocketError.OperationAborted;
        lock (_gate)
        {
            if (_sendError != SocketError.Success) return _sendError;
            if (_writeInFlight) return SocketError.WouldBlock;
        }

        SocketError error;
        try
        {
            sent = _socket.Send(data, SocketFlags.None, out error);
        }
        catch (ObjectDisposedException)
        {
            return SocketError.OperationAborted;
        }

        if (error != SocketError.WouldBlock || data.IsEmpty) return error;

        // The kernel's buffer is full: take up to OverflowLimit bytes and send them asynchronously;
        // their completion is the "writable" signal this backend cannot get otherwise.
        var take = Math.Min(data.Length - sent, OverflowLimit);
        _overflow ??= ArrayPool<byte>.Shared.Rent(OverflowLimit);
        data.Slice(sent, take).CopyTo(_overflow);
        var args = WriteArgs();
        args.SetBuffer(_overflow, 0, take);
        lock (_gate) _writeInFlight = true;
        StartSend(args);
        sent += take;
        return SocketError.Success;
    }

    /// <inheritdoc />
    public override SocketError Shutdown(SocketShutdown how) => Call(() => _socket.Shutdown(how));

    /// <inheritdoc />
    public override SocketError SetOption(SocketOptionLevel level, SocketOptionName name, int value)
    {
        // On Unix, .NET's ReuseAddress sets SO_REUSEPORT as well, which would let two live
        // listeners share a port; set plain SO_REUSEADDR instead.
        if (level == SocketOptionLevel.Socket && name == SocketOptionName.ReuseAddress && !OperatingSystem.IsWindows())
            return Call(() => _socket.SetRawSocketOption(Tcp.TcpOptions.SolSocket, OperatingSystem.IsLinux() ? 2 : 4, BitConverter.GetBytes(value)));
        if (level == SocketOptionLevel.Socket && name == ReusePortOption)
            return Call(() => _socket.SetRawSocketOption(Tcp.TcpOptions.SolSocket, Tcp.TcpOptions.ReusePortName, BitConverter.GetBytes(value)));
        return Call(() => _socket.SetSocketOption(level, name, value));
    }

    /// <inheritdoc />
    public override SocketError GetOption(SocketOptionLevel level, SocketOptionName name, out int value)
    {
        var result = 0;
        var error = Call(() => result = (int)_socket.GetSocketOption(level, name)!);
        value = result;
        return error;
    }

    /// <inheritdoc />
    public override SocketError SetLinger(bool enabled, int seconds)
    {
        var error = Call(() => _socket.LingerState = new LingerOption(enabled, seconds));
        if (error == SocketError.Success) _resetOnClose = enabled && seconds == 0;
        return error;
    }

    /// <inheritdoc />
    public override void WithManagedView(Action<Socket> configure) => configure(_socket);

    /// <inheritdoc />
    public override void Dispose()
    {
        if (Interlocked.Exchange(ref _disposed, 1) == 1) return;
        _poller = null;
        lock (_gate)
        {
            _accepted?.Dispose();
            _accepted = null;
            // Bytes taken into the overflow buffer count as written: a graceful close waits for
            // their send to finish (its completion closes the socket) instead of cutting it.
            if (_writeInFlight && !_aborting) return;
        }

        CloseNow();
    }

    /// <summary>Closes with a reset at once, dropping any overflow still being sent.</summary>
    public override void Abort()
    {
        lock (_gate) _aborting = true;

        // Set SO_LINGER 0 directly rather than through SetLinger, which refuses once disposed: an
        // Abort after a Dispose whose close still waits for the overflow send must still reset.
        try
        {
            _socket.LingerState = new LingerOption(true, 0);
        }
        catch (SocketException)
        {
        }
        catch (ObjectDisposedException)
        {
        }

        Dispose();
    }

    private void CloseNow()
    {
        bool graceful;
        lock (_gate) graceful = !_aborting && !_listening && !_resetOnClose;
        if (graceful)
        {
            // .NET closes a socket that has an operation pending (our zero-byte receive) with a
            // reset, discarding unsent data; sending our FIN first keeps the close graceful.
            try
            {
                _socket.Shutdown(SocketShutdown.Send);
            }
            catch (SocketException)
            {
            }
            catch (ObjectDisposedException)
            {
            }
        }

        _socket.Dispose();
        _readArgs?.Dispose();
        _writeArgs?.Dispose();
        lock (_gate)
        {
            // An overflow buffer still being sent (abort) is dropped rather than returned to the
            // pool, so a completion racing with the close never writes into a reused buffer.
            if (!_writeInFlight && _overflow is not null) ArrayPool<byte>.Shared.Return(_overflow);
            _overflow = null;
        }
    }

    private void StartZeroByteReceive()
    {
        lock (_gate)
        {
            if (_readInFlight) return;
            _readInFlight = true;
        }

        var args = ReadArgs();
        args.SetBuffer(Memory<byte>.Empty);

        // On a datagram socket a zero-byte receive would consume (and lose) the next datagram;
        // peeking waits for it without taking it.
        args.SocketFlags = _socket.SocketType == SocketType.Dgram ? SocketFlags.Peek : SocketFlags.None;
        bool pending;
        try
        {
            pending = _socket.ReceiveAsync(args);
        }
        catch (ObjectDisposedException)
        {
            return;
        }

        if (!pending) OnReadCompleted(args);
    }

    private void StartAccept()
    {
        lock (_gate)
        {
            if (_readInFlight || _accepted is not null) return;
            _readInFlight = true;
        }

        var args = ReadArgs();
        args.AcceptSocket = null;
        bool pending;
        try
        {
            pending = _socket.AcceptAsync(args);
        }
        catch (ObjectDisposedException)
        {
            return;
        }

        if (!pending) OnReadCompleted(args);
    }

    private void StartSend(SocketAsyncEventArgs args)
    {
        bool pending;
        try
        {
            pending = _socket.SendAsync(args);
        }
        catch (ObjectDisposedException)
        {
            return;
        }

        if (!pending) OnWriteCompleted(args);
    }

    private void OnReadCompleted(SocketAsyncEventArgs args)
    {
        lock (_gate)
        {
            _readInFlight = false;
            if (args.LastOperation == SocketAsyncOperation.Accept)
            {
                if (args.SocketError == SocketError.Success) _accepted = args.AcceptSocket;
                else _acceptError = args.SocketError;
                args.AcceptSocket = null;
            }
            else if (args.SocketError is not (SocketError.Success or SocketError.OperationAborted) && _socket.SocketType == SocketType.Stream)
            {
                // The kernel reports a socket error (a reset) once: the zero-byte receive took
                // it, so the next Receive would see a plain end of stream. Keep it for that Receive.
                _receiveError = args.SocketError;
            }
        }

        Post(IoReadiness.Read);
    }

    private void OnWriteCompleted(SocketAsyncEventArgs args)
    {
        if (args.LastOperation == SocketAsyncOperation.Send && args.SocketError == SocketError.Success
            && args.BytesTransferred < args.Count)
        {
            args.SetBuffer(args.Offset + args.BytesTransferred, args.Count - args.BytesTransferred);
            StartSend(args);
            return;
        }

        bool closeNow;
        lock (_gate)
        {
            _writeInFlight = false;
            if (args.LastOperation == SocketAsyncOperation.Connect) _connectError = args.SocketError;
            // A failed datagram is that datagram's loss (as on the network); it must not poison the
            // socket for the datagrams after it, as a failed stream send does.
            else if (args.SocketError != SocketError.Success && _socket.SocketType != SocketType.Dgram) _sendError = args.SocketError;
            closeNow = _disposed == 1;
        }

        if (closeNow)
        {
            CloseNow();
            return;
        }

        Post(IoReadiness.Write);
    }

    private void Post(IoReadiness readiness) => _poller?.Post(_token, readiness);

    private SocketAsyncEventArgs ReadArgs()
    {
        if (_readArgs is null)
        {
            _readArgs = new SocketAsyncEventArgs();
            _readArgs.Completed += (_, a) => OnReadCompleted(a);
        }

        return _readArgs;
    }

    private SocketAsyncEventArgs WriteArgs()
    {
        if (_writeArgs is null)
        {
            _writeArgs = new SocketAsyncEventArgs();
            _writeArgs.Completed += (_, a) => OnWriteCompleted(a);
        }

        return _writeArgs;
    }

    private SocketError Call(Action action)
    {
        if (IsDisposed) return SocketError.OperationAborted;
        try
        {
            action();
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

    private static EndPoint? Try(Func<EndPoint?> read)
    {
        try
        {
            return read();
        }
        catch (SocketException)
        {
            return null;
        }
        catch (ObjectDisposedException)
        {
            return null;
        }
    }

    // A dual-mode socket reports IPv4 peers as IPv4-mapped IPv6; users expect the IPv4 form.
    private static EndPoint? Normalize(EndPoint? endPoint) =>
        endPoint is IPEndPoint { Address.IsIPv4MappedToIPv6: true } ip ? new IPEndPoint(ip.Address.MapToIPv4(), ip.Port) : endPoint;
}
