using Akka.Actor;
using Akka.Event;

namespace Epsilon.Actors.Io.EventLoops;

/// <summary>
/// Owns one <see cref="EventLoop"/> and is the parent of every listener and connection whose
/// socket is registered with it, so the supervision tree follows ownership of file descriptors.
/// A failing child is stopped (its socket closed) and never disturbs its siblings.
/// </summary>
internal sealed class SelectorActor : UntypedActor
{
    private readonly EventLoop _loop;
    private readonly string _dispatcher;
    private readonly ILoggingAdapter _log = Context.GetLogger();
    private long _spawned;

    /// <summary>The mailbox id of channel actors (see <see cref="LeanMailbox"/>).</summary>
    internal const string ChannelMailbox = "epsilon.io.channel-mailbox";

    /// <summary>Creates the selector of <paramref name="loop"/>; children run on <paramref name="dispatcher"/>.</summary>
    public SelectorActor(EventLoop loop, string dispatcher)
    {
        _loop = loop;
        _dispatcher = dispatcher;
    }

    /// <summary>Props for the selector of <paramref name="loop"/>.</summary>
    public static Props Props(EventLoop loop, string dispatcher) =>
        DirectProducer<SelectorActor>.Props(() => new SelectorActor(loop, dispatcher)).WithDispatcher(dispatcher);

    /// <inheritdoc />
    protected override SupervisorStrategy SupervisorStrategy() => new OneForOneStrategy(ex =>
    {
        // A channel's failure is its own: stop it (PostStop closes its socket) and keep the rest.
        _log.Debug("Channel actor failed and is stopped: {0}", ex);
        return Directive.Stop;
    });

    /// <inheritdoc />
    protected override void OnReceive(object message)
    {
        switch (message)
        {
            case SpawnChannel spawn:
                var name = "c" + (++_spawned).ToString(System.Globalization.CultureInfo.InvariantCulture);
                Props props;
                try
                {
                    props = spawn.Factory(_loop, _dispatcher);
                }
                catch (Exception ex)
                {
                    _log.Warning("Could not prepare a channel on loop {0}: {1}", _loop.Index, ex.Message);
                    spawn.OnRefused?.Invoke();
                    return;
                }

                Context.ActorOf(props.WithDispatcher(_dispatcher).WithMailbox(ChannelMailbox), name);
                break;
            default:
                Unhandled(message);
                break;
        }
    }
}
