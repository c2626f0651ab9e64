using System.Net;
using System.Net.Sockets;
using Akka.Actor;
using Akka.Event;
using Akka.IO;
using Epsilon.Actors.Io.EventLoops;
using AkkaTcp = Akka.IO.Tcp;

namespace Epsilon.Actors.Io.Tcp;

/// <summary>
/// A listening socket for one <c>Tcp.Bind</c>: answers <c>Bound</c> (or <c>CommandFailed</c>),
/// accepts in batches, spreads the accepted connections over the event loops, honours
/// <c>ResumeAccepting</c> in pull mode, and answers <c>Unbind</c> with <c>Unbound</c>.
/// Accepted connections belong to their loops' selectors, so they outlive <c>Unbind</c>.
/// </summary>
internal sealed class TcpListenerActor : UntypedActor, IWithTimers
{
    private readonly EventLoop _loop;
    private readonly EpsilonTcpSettings _settings;
    private readonly IoBackend _backend;
    private readonly Func<IActorRef> _nextSelector;
    private readonly IActorRef _commander;
    private readonly AkkaTcp.Bind _bind;
    private readonly ILoggingAdapter _log = Context.GetLogger();
    private LoopSocket? _socket;
    private LoopRegistration? _registration;
    private int _acceptBudget;

    /// <inheritdoc />
    public ITimerScheduler Timers { get; set; } = null!;

    /// <summary>Creates the listener for <paramref name="bind"/>.</summary>
    public TcpListenerActor(EventLoop loop, EpsilonTcpSettings settings, IoBackend backend, Func<IActorRef> nextSelector,
        IActorRef commander, AkkaTcp.Bind bind)
    {
        _loop = loop;
        _settings = settings;
        _backend = backend;
        _nextSelector = nextSelector;
        _commander = commander;
        _bind = bind;
        _acceptBudget = bind.PullMode ? 0 : int.MaxValue;
    }

    /// <summary>Props for one <c>Bind</c>.</summary>
    public static Props Props(EventLoop loop, EpsilonTcpSettings settings, IoBackend backend, Func<IActorRef> nextSelector,
        IActorRef commander, AkkaTcp.Bind bind) =>
        DirectProducer<TcpListenerActor>.Props(() => new TcpListenerActor(loop, settings, backend, nextSelector, commander, bind));

    /// <inheritdoc />
    protected override void PreStart()
    {
        try
        {
            var local = _bind.LocalAddress as IPEndPoint
                ?? throw new ArgumentException($"Bind needs an IP endpoint, not {_bind.LocalAddress?.GetType().Name ?? "null"}");
            _socket = _backend.Open(local.AddressFamily, SocketType.Stream, ProtocolType.Tcp);
            if (_settings.ReuseAddressOnListeners && !TcpOptions.Sets(_bind.Options, SocketOptionName.ReuseAddress))
                _socket.SetOption(SocketOptionLevel.Socket, SocketOptionName.ReuseAddress, 1);
            TcpOptions.Apply(_socket, _bind.Options, SocketPhase.BeforeBind);
            Check(_socket.Bind(local), local);
            TcpOptions.Apply(_socket, _bind.Options, SocketPhase.AfterBind);
            Check(_socket.Listen(ListenBacklog.Effective(_bind.Backlog, _settings, ListenBacklog.KernelLimit, TcpOptions.WantsExactBacklog(_bind.Options))), local);
            _registration = _loop.Register(_socket, new ActorReadinessListener(Self));
        }
        catch (Exception ex)
        {
            _log.Debug("Bind to {0} failed: {1}", _bind.LocalAddress, ex.Message);
            _commander.Tell(new AkkaTcp.CommandFailed(_bind).WithCause(ex), Self);
            CloseSocket();
            Context.Stop(Self);
            return;
        }

        Context.Watch(_bind.Handler);
        _commander.Tell(new AkkaTcp.Bound(_socket.LocalEndPoint), Self);
        // Accept at once rather than waiting for readiness: a client that connected the instant
        // Bound was sent is served now, whatever the backend reported before registration.
        Accept();
    }

    /// <inheritdoc />
    protected override void OnReceive(object message)
    {
        switch (message)
        {
            case ChannelReady:
                Accept();
                break;
            case AkkaTcp.ResumeAccepting resume:
                _acceptBudget = Math.Max(0, resume.BatchSize);
                Accept();
                break;
            case AkkaTcp.Unbind:
                CloseSocket();
                Sender.Tell(AkkaTcp.Unbound.Instance, Self);
                Context.Stop(Self);
                break;
            case Terminated t when t.ActorRef.Equals(_bind.Handler):
                _log.Debug("Bind handler {0} stopped; closing the listener on {1}", t.ActorRef, _bind.LocalAddress);
                CloseSocket();
                Context.Stop(Self);
                break;
            default:
                Unhandled(message);
                break;
        }
    }

    private void Accept()
    {
        if (_socket is null) return;
        var batch = _settings.BatchAcceptLimit;
        var errors = 0;
        for (var i = 0; i < batch; i++)
        {
            if (_acceptBudget == 0) return; // pull mode: wait for ResumeAccepting
            var error = _socket.TryAccept(out var accepted);
            if (error == SocketError.WouldBlock)
            {
                _loop.Arm(_registration!, IoReadiness.Read);
                return;
            }

            if (error != SocketError.Success)
            {
                // Transient accept failures (the peer reset before accept, descriptors exhausted)
                // must never stop the listener; log and continue with the next readiness.
                _log.Warning("Accept on {0} failed: {1}", _bind.LocalAddress, new SocketException((int)error).Message);
                if (error is SocketError.TooManyOpenSockets or SocketError.NoBufferSpaceAvailable || ++errors >= 8)
                {
                    // Out of descriptors or memory, or failing again and again: back off rather
                    // than spin the loop; the listener stays bound and retries.
                    Timers.StartSingleTimer("accept-retry", ChannelReady.Read, TimeSpan.FromMilliseconds(100));
                    return;
                }

                continue;
            }

            if (_acceptBudget != int.MaxValue) _acceptBudget--;
            Hand(accepted!);
        }

        // Batch used up: let other work on this loop run, then continue.
        _loop.Yield(_registration!, IoReadiness.Read);
    }

    private void Hand(LoopSocket accepted)
    {
        var settings = _settings;
        var handler = _bind.Handler;
        var options = _bind.Options;
        var pullMode = _bind.PullMode;
        _nextSelector().Tell(new SpawnChannel(
            (loop, _) => TcpIncomingConnectionActor.Props(loop, settings, accepted, handler, options, pullMode),
            accepted.Dispose));
    }

    private void CloseSocket()
    {
        if (_registration is { } registration)
        {
            _registration = null;
            _loop.Unregister(registration, abort: false);
        }
        else
        {
            _socket?.Dispose();
        }

        _socket = null;
    }

    /// <inheritdoc />
    protected override void PostStop() => CloseSocket();

    private static void Check(SocketError error, IPEndPoint local)
    {
        if (error != SocketError.Success) throw new SocketException((int)error, $"{new SocketException((int)error).Message} ({local})");
    }
}
