using Akka.Actor;
using Akka.Event;
using AkkaTcp = Akka.IO.Tcp;

namespace Epsilon.Actors.Io.Tls;

/// <summary>
/// A TLS listener for actors: binds through Epsilon's TCP manager (in pull mode, accepting in
/// batches), relays <c>Bound</c> or <c>CommandFailed</c> to the commander, and wraps each accepted
/// connection in a server <see cref="TlsConnectionActor"/> that greets the bind handler once its
/// handshake succeeds. Adapters are top-level actors, so they outlive <c>Unbind</c> like Epsilon's
/// accepted connections do.
/// </summary>
internal sealed class TlsListenerActor : UntypedActor
{
    private const int AcceptBatch = 64;
    private readonly IActorRef _commander;
    private readonly AkkaTcp.Bind _bind;
    private readonly TlsServerOptions _options;
    private readonly ILoggingAdapter _log = Context.GetLogger();
    private IActorRef? _listener;
    private IActorRef? _unbinder;

    /// <summary>Creates the listener for <paramref name="bind"/>.</summary>
    public TlsListenerActor(IActorRef commander, AkkaTcp.Bind bind, TlsServerOptions options)
    {
        _commander = commander;
        _bind = bind;
        _options = options;
    }

    /// <inheritdoc />
    protected override void PreStart()
    {
        Context.Watch(_bind.Handler);
        Context.System.EpsilonTcp().Tell(new AkkaTcp.Bind(Self, _bind.LocalAddress, _bind.Backlog, _bind.Options, pullMode: true));
    }

    /// <inheritdoc />
    protected override void OnReceive(object message)
    {
        switch (message)
        {
            case AkkaTcp.Bound bound:
                _listener = Sender;
                Context.Watch(_listener);
                _listener.Tell(new AkkaTcp.ResumeAccepting(AcceptBatch), Self);
                _commander.Tell(bound, Self);
                break;
            case AkkaTcp.CommandFailed failed:
                _commander.Tell(new AkkaTcp.CommandFailed(_bind).WithCause(failed.Cause.GetOrElse(new IOException(failed.CauseString))), Self);
                Context.Stop(Self);
                break;
            case AkkaTcp.Connected connected:
                // Captured now: the props' factory runs later, when Sender is another message's.
                var connection = Sender;
                var handler = _bind.Handler;
                var options = _options;
#pragma warning disable AK1008 // On purpose: an accepted connection outlives its listener (Unbind), as Epsilon's TCP connections do.
                // On the connection's own loop: the TCP actor's Received reaches the adapter, and
                // its Write the socket, without a thread hop. The handshake's CPU is not on the
                // loop: TlsEngine runs it on the thread pool (docs/tls.md, "Where TLS runs").
                Context.System.ActorOf(EventLoops.DirectProducer<TlsConnectionActor>.Props(
                    () => new TlsConnectionActor(handler, null, null, options, (connection, connected)))
                    .WithDispatcher(EpsilonIo.For(Context.System).DispatcherFor(connection)));
#pragma warning restore AK1008
                _listener?.Tell(new AkkaTcp.ResumeAccepting(AcceptBatch), Self);
                break;
            case AkkaTcp.Unbind:
                _unbinder = Sender;
                _listener?.Tell(AkkaTcp.Unbind.Instance, Self);
                break;
            case AkkaTcp.Unbound:
                _unbinder?.Tell(AkkaTcp.Unbound.Instance, Self);
                Context.Stop(Self);
                break;
            case Terminated t when t.ActorRef.Equals(_bind.Handler):
                _log.Debug("TLS bind handler {0} stopped; unbinding {1}", t.ActorRef, _bind.LocalAddress);
                _listener?.Tell(AkkaTcp.Unbind.Instance, Self);
                Context.Stop(Self);
                break;
            case Terminated t when t.ActorRef.Equals(_listener):
                Context.Stop(Self);
                break;
            default:
                Unhandled(message);
                break;
        }
    }
}
