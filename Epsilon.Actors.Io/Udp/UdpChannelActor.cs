using System.Net;
using System.Net.Sockets;
using Akka.Actor;
using Akka.Event;
using Akka.IO;
using Epsilon.Actors.Io.EventLoops;
using Epsilon.Actors.Io.Tcp;

namespace Epsilon.Actors.Io.Udp;

/// <summary>
/// What every UDP socket actor shares: the registration with its loop, reading whole datagrams in
/// bounded batches (one delivery each, <c>SuspendReading</c>/<c>ResumeReading</c> honoured
/// between datagrams), and sending through a bounded <see cref="UdpSendQueue{T}"/> that waits for
/// writability instead of dropping. Subclasses speak <c>Udp.*</c> or <c>UdpConnected.*</c>.
/// </summary>
/// <remarks>
/// Runs on its event loop's thread; every socket call is non-blocking. Reads land in the loop
/// thread's shared 64 KiB buffer and are copied into one <see cref="ByteString"/> per datagram.
/// </remarks>
internal abstract class UdpChannelActor : UntypedActor
{
    /// <summary>The largest payload any IP datagram can carry (IPv6 without jumbograms; IPv4's is 65,507).</summary>
    internal const int MaxPayload = 65_527;

    /// <summary>The read buffer: larger than any datagram, so none is ever cut.</summary>
    internal const int ReadBufferSize = 64 * 1024;

    private readonly UdpSendQueue<OutgoingDatagram> _sends;
    private LoopRegistration? _registration;
    private bool _reading;
    private bool _readingSuspended;
    private bool _waitingForWritable;
    private ILoggingAdapter? _log;

    /// <summary>Creates the shared part.</summary>
    protected UdpChannelActor(EventLoop loop, EpsilonUdpSettings settings)
    {
        Loop = loop;
        Settings = settings;
        _sends = new UdpSendQueue<OutgoingDatagram>(settings.MaxPendingSends);
    }

    /// <summary>The loop this socket is registered with.</summary>
    protected EventLoop Loop { get; }

    /// <summary>UDP settings.</summary>
    protected EpsilonUdpSettings Settings { get; }

    /// <summary>The socket, once opened.</summary>
    protected LoopSocket? Socket { get; set; }

    /// <summary>The logger, made on first use.</summary>
    protected ILoggingAdapter Log => _log ??= Context.GetLogger();

    /// <summary>Delivers one received datagram to the handler.</summary>
    protected abstract void Deliver(ByteString data, EndPoint? from);

    /// <summary>The <c>CommandFailed</c> message of this protocol for <paramref name="command"/>.</summary>
    protected abstract object Failure(object command);

    /// <summary>Registers <see cref="Socket"/> with the loop so readiness reaches this actor.</summary>
    protected void RegisterWithLoop() => _registration = Loop.Register(Socket!, new ActorReadinessListener(Self));

    /// <summary>Starts delivering datagrams (unless suspended).</summary>
    protected void StartReading()
    {
        _reading = true;
        if (!_readingSuspended) ReadNow();
    }

    /// <summary>Handles readiness and resolved targets; false for anything else.</summary>
    protected bool HandleChannelMessage(object message)
    {
        switch (message)
        {
            case ChannelReady ready:
                if ((ready.Readiness & IoReadiness.Write) != 0) OnWritable();
                if ((ready.Readiness & IoReadiness.Read) != 0 && _reading && !_readingSuspended) ReadNow();
                return true;
            case TargetResolved resolved:
                OnResolved(resolved);
                return true;
            default:
                return false;
        }
    }

    /// <summary><c>SuspendReading</c>: no datagram is delivered after this until <see cref="ResumeReading"/>; the kernel queues them meanwhile.</summary>
    protected void SuspendReading() => _readingSuspended = true;

    /// <summary><c>ResumeReading</c>: delivery continues with the datagrams queued meanwhile.</summary>
    protected void ResumeReading()
    {
        if (!_readingSuspended) return;
        _readingSuspended = false;
        if (_reading) ReadNow();
    }

    /// <summary>
    /// Takes one datagram to send. It goes out at once when nothing waits; otherwise it waits in
    /// order (or, past <see cref="EpsilonUdpSettings.MaxPendingSends"/>, its sender gets the
    /// failure). A host-name target is resolved first, asynchronously.
    /// </summary>
    protected void Send(ByteString payload, EndPoint? target, object command, object? ack)
    {
        var datagram = new OutgoingDatagram(payload, target, command, ack, Sender);
        if (payload.Count > MaxPayload)
        {
            Log.Debug("Refusing a {0}-byte datagram: no IP datagram carries more than {1} bytes", payload.Count, MaxPayload);
            Complete(datagram, SocketError.MessageSize);
            return;
        }

        if (target is DnsEndPoint dns)
        {
            Resolve(datagram, dns);
            return;
        }

        Queue(datagram);
    }

    private void Queue(OutgoingDatagram datagram)
    {
        if (!_sends.TryEnqueue(datagram))
        {
            Log.Debug("Refusing a datagram: {0} wait for room in the send buffer (max-pending-sends)", _sends.Count);
            Complete(datagram, SocketError.NoBufferSpaceAvailable);
            return;
        }

        if (!_waitingForWritable) Flush();
    }

    private void Flush()
    {
        if (Socket is null) return;
        var sink = new SocketSink(this);
        if (_sends.Flush(ref sink)) return;
        _waitingForWritable = true;
        Loop.Arm(_registration!, IoReadiness.Write);
    }

    private void OnWritable()
    {
        _waitingForWritable = false;
        if (!_sends.IsEmpty) Flush();
    }

    private void Complete(in OutgoingDatagram datagram, SocketError error)
    {
        if (error == SocketError.Success)
        {
            if (datagram.Ack is { } ack) datagram.Commander.Tell(ack, Self);
            return;
        }

        Log.Debug("Datagram of {0} bytes to {1} failed: {2}", datagram.Payload.Count, datagram.Target, error);
        datagram.Commander.Tell(Failure(datagram.Command), Self);
    }

    private void Resolve(OutgoingDatagram datagram, DnsEndPoint dns)
    {
        var family = Socket?.AddressFamily ?? AddressFamily.InterNetwork;
        System.Net.Dns.GetHostAddressesAsync(dns.Host).PipeTo(
            Self,
            success: addresses => new TargetResolved(datagram, Pick(addresses, family)),
            failure: _ => new TargetResolved(datagram, null));
    }

    private static IPAddress? Pick(IPAddress[] addresses, AddressFamily family) =>
        addresses.FirstOrDefault(a => a.AddressFamily == family)
        ?? (family == AddressFamily.InterNetworkV6 ? addresses.FirstOrDefault(a => a.AddressFamily == AddressFamily.InterNetwork) : null);

    private void OnResolved(TargetResolved resolved)
    {
        var datagram = resolved.Datagram;
        if (resolved.Address is null || datagram.Target is not DnsEndPoint dns)
        {
            Complete(datagram, SocketError.HostNotFound);
            return;
        }

        Queue(datagram with { Target = new IPEndPoint(resolved.Address, dns.Port) });
    }

    private void ReadNow()
    {
        var socket = Socket;
        if (socket is null) return;
        var buffer = LoopBuffers.Read(ReadBufferSize);
        for (var i = 0; i < Settings.MaxDatagramsPerWakeup; i++)
        {
            if (_readingSuspended) return;
            var error = socket.ReceiveFrom(buffer.AsSpan(0, ReadBufferSize), out var n, out var from);
            switch (error)
            {
                case SocketError.Success:
                    Deliver(n == 0 ? ByteString.Empty : ByteString.CopyFrom(buffer, 0, n), from);
                    continue;
                case SocketError.WouldBlock:
                    Loop.Arm(_registration!, IoReadiness.Read);
                    return;
                case SocketError.OperationAborted:
                    return;
                default:
                    // An ICMP error reported on a connected socket (refused, unreachable) or a
                    // datagram the kernel could not hand over whole: that datagram is lost, as on
                    // the network; the socket goes on.
                    Log.Debug("Receive on {0} reported {1}; continuing", socket.LocalEndPoint, error);
                    continue;
            }
        }

        // Batch used up: let other work on this loop run (and a SuspendReading arrive), then continue.
        Loop.Yield(_registration!, IoReadiness.Read);
    }

    /// <summary>Closes the socket; datagrams still waiting get their failure reply.</summary>
    protected void CloseSocket()
    {
        var sink = new SocketSink(this);
        _sends.FailAll(ref sink, SocketError.OperationAborted);
        _reading = false;
        if (_registration is { } registration)
        {
            _registration = null;
            Loop.Unregister(registration, abort: false);
        }
        else
        {
            Socket?.Dispose();
        }

        Socket = null;
    }

    /// <inheritdoc />
    protected override void PostStop() => CloseSocket();

    /// <summary>Sends through the socket; non-compact payloads are gathered into the loop's buffer first.</summary>
    private readonly struct SocketSink(UdpChannelActor owner) : IUdpSendSink<OutgoingDatagram>
    {
        public SocketError Send(OutgoingDatagram datagram)
        {
            var socket = owner.Socket;
            if (socket is null) return SocketError.OperationAborted;
            var payload = datagram.Payload;
            if (payload.IsCompact || payload.IsEmpty) return socket.SendTo(payload.ToReadOnlySpan(), datagram.Target, out _);
            var gather = LoopBuffers.Gather();
            payload.CopyTo(gather, 0, payload.Count);
            return socket.SendTo(gather.AsSpan(0, payload.Count), datagram.Target, out _);
        }

        public void Completed(OutgoingDatagram datagram, SocketError error) => owner.Complete(datagram, error);
    }
}
