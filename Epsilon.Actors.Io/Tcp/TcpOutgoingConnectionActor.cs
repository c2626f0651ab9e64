using System.Net;
using System.Net.Sockets;
using Akka.Actor;
using Akka.Event;
using Akka.IO;
using Epsilon.Actors.Io.EventLoops;
using AkkaTcp = Akka.IO.Tcp;

namespace Epsilon.Actors.Io.Tcp;

/// <summary>
/// A connection made for a <c>Tcp.Connect</c>: resolves the address if it is a name, opens and
/// configures the socket, connects without blocking, and answers the commander with
/// <c>Connected</c> or <c>CommandFailed</c> (its cause says why: refused, timed out, unreachable).
/// </summary>
internal sealed class TcpOutgoingConnectionActor : TcpConnectionActor
{
    private readonly IoBackend _backend;
    private readonly IActorRef _commander;
    private readonly AkkaTcp.Connect _connect;
    private ICancelable? _timeout;
    private IPEndPoint? _target;

    /// <summary>Creates the actor for one <c>Connect</c> from <paramref name="commander"/>.</summary>
    public TcpOutgoingConnectionActor(EventLoop loop, EpsilonTcpSettings settings, IoBackend backend, IActorRef commander, AkkaTcp.Connect connect)
        : base(loop, settings, connect.PullMode)
    {
        _backend = backend;
        _commander = commander;
        _connect = connect;
    }

    /// <summary>Props for one <c>Connect</c>.</summary>
    public static Props Props(EventLoop loop, EpsilonTcpSettings settings, IoBackend backend, IActorRef commander, AkkaTcp.Connect connect) =>
        DirectProducer<TcpOutgoingConnectionActor>.Props(() => new TcpOutgoingConnectionActor(loop, settings, backend, commander, connect));

    /// <inheritdoc />
    protected override void PreStart()
    {
        if ((_connect.Timeout ?? Settings.ConnectTimeout) is { } timeout)
            _timeout = Context.System.Scheduler.ScheduleTellOnceCancelable(timeout, Self, ConnectTimedOut.Instance, Self);

        switch (_connect.RemoteAddress)
        {
            case IPEndPoint ip:
                Start(ip);
                break;
            case DnsEndPoint dns:
                // Resolution runs off the loop thread; its result comes back as a message.
                var self = Self;
                System.Net.Dns.GetHostAddressesAsync(dns.Host).ContinueWith(t =>
                {
                    object result = t.IsCompletedSuccessfully ? new Resolved(dns, t.Result) : new ResolveFailed(t.Exception?.GetBaseException() ?? new SocketException((int)SocketError.HostNotFound));
                    self.Tell(result, self);
                }, TaskScheduler.Default);
                break;
            default:
                Fail(new ArgumentException($"unsupported endpoint type {_connect.RemoteAddress?.GetType().Name ?? "null"}"));
                break;
        }
    }

    /// <inheritdoc />
    protected override void OnConnecting(object message)
    {
        switch (message)
        {
            case Resolved r:
                var address = PickAddress(r.Addresses);
                if (address is null) Fail(new SocketException((int)SocketError.HostNotFound));
                else Start(new IPEndPoint(address, r.EndPoint.Port));
                break;
            case ResolveFailed f:
                Fail(f.Cause);
                break;
            case ChannelReady ready when (ready.Readiness & IoReadiness.Write) != 0:
                Finish(Socket!.FinishConnect());
                break;
            case ChannelReady:
                break;
            case ConnectTimedOut:
                Fail(new TimeoutException($"Connect timeout of {_connect.Timeout ?? Settings.ConnectTimeout} expired"));
                break;
            case AkkaTcp.CloseCommand:
                // The commander gave up before the connection was made.
                AbortSocket();
                Context.Stop(Self);
                break;
            default:
                Unhandled(message);
                break;
        }
    }

    private void Start(IPEndPoint remote)
    {
        _target = remote;
        try
        {
            var family = _connect.LocalAddress?.AddressFamily is AddressFamily.InterNetwork or AddressFamily.InterNetworkV6
                ? _connect.LocalAddress.AddressFamily
                : remote.AddressFamily;
            Socket = _backend.Open(family, SocketType.Stream, ProtocolType.Tcp);
            if (Settings.TcpNoDelay && !TcpOptions.Sets(_connect.Options, SocketOptionName.NoDelay))
                Socket.SetOption(SocketOptionLevel.Tcp, SocketOptionName.NoDelay, 1);
            TcpOptions.Apply(Socket, _connect.Options, SocketPhase.BeforeConnect);
            if (_connect.LocalAddress is { } local) Check(Socket.Bind(local));
            RegisterWithLoop();
            var error = Socket.Connect(family == AddressFamily.InterNetworkV6 && remote.AddressFamily == AddressFamily.InterNetwork
                ? new IPEndPoint(remote.Address.MapToIPv6(), remote.Port)
                : remote);
            if (error is SocketError.WouldBlock or SocketError.InProgress) Arm(IoReadiness.Write);
            else Finish(error);
        }
        catch (Exception ex)
        {
            Fail(ex);
        }
    }

    private void Finish(SocketError error)
    {
        if (error is SocketError.WouldBlock or SocketError.InProgress)
        {
            Arm(IoReadiness.Write);
            return;
        }

        if (error != SocketError.Success)
        {
            Fail(new SocketException((int)error));
            return;
        }

        _timeout?.Cancel();
        try
        {
            TcpOptions.Apply(Socket!, _connect.Options, SocketPhase.AfterConnect);
        }
        catch (Exception ex)
        {
            Fail(ex);
            return;
        }

        BecomeConnected(_commander);
    }

    private void Fail(Exception cause)
    {
        _timeout?.Cancel();
        var message = $"Could not connect to {(object?)_target ?? _connect.RemoteAddress}: {cause.Message}";
        Log.Debug(message);
        _commander.Tell(new AkkaTcp.CommandFailed(_connect).WithCause(new ConnectException(message)), Self);
        AbortSocket();
        Context.Stop(Self);
    }

    private IPAddress? PickAddress(IPAddress[] addresses)
    {
        // Prefer the local address's family when one is given; otherwise IPv4 first, like Akka.IO.
        var wanted = _connect.LocalAddress?.AddressFamily;
        return addresses.FirstOrDefault(a => wanted is null ? a.AddressFamily == AddressFamily.InterNetwork : a.AddressFamily == wanted)
            ?? addresses.FirstOrDefault();
    }

    /// <inheritdoc />
    protected override void PostStop()
    {
        _timeout?.Cancel();
        base.PostStop();
    }

    private static void Check(SocketError error)
    {
        if (error != SocketError.Success) throw new SocketException((int)error);
    }

    private sealed record Resolved(DnsEndPoint EndPoint, IPAddress[] Addresses);

    private sealed record ResolveFailed(Exception Cause);

    private sealed class ConnectTimedOut
    {
        public static readonly ConnectTimedOut Instance = new();
    }
}
