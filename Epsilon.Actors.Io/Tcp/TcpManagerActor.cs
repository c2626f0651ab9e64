using System.Runtime.CompilerServices;
using Akka.Actor;
using Epsilon.Actors.Io.EventLoops;
using AkkaTcp = Akka.IO.Tcp;

namespace Epsilon.Actors.Io.Tcp;

/// <summary>
/// The actor users talk to (<c>system.EpsilonTcp()</c>): takes Akka.IO's <c>Tcp.Connect</c> and
/// <c>Tcp.Bind</c> and starts the connection or listener on the next event loop's selector.
/// </summary>
internal sealed class TcpManagerActor : UntypedActor
{
    private readonly EventLoopGroup _group;
    private readonly IReadOnlyList<IActorRef> _selectors;
    private readonly EpsilonTcpSettings _settings;
    private int _next = -1;

    /// <summary>Creates the manager over the loops' selectors.</summary>
    public TcpManagerActor(EventLoopGroup group, IReadOnlyList<IActorRef> selectors, EpsilonTcpSettings settings)
    {
        _group = group;
        _selectors = selectors;
        _settings = settings;
    }

    /// <summary>Props for the manager.</summary>
    public static Props Props(EventLoopGroup group, IReadOnlyList<IActorRef> selectors, EpsilonTcpSettings settings) =>
        DirectProducer<TcpManagerActor>.Props(() => new TcpManagerActor(group, selectors, settings));

    /// <inheritdoc />
    protected override void OnReceive(object message)
    {
        switch (message)
        {
            case AkkaTcp.Connect connect:
            {
                var commander = Sender;
                var settings = _settings;
                var backend = _group.Backend;
                NextSelector().Tell(new SpawnChannel((loop, _) => TcpOutgoingConnectionActor.Props(loop, settings, backend, commander, connect)));
                break;
            }

            case AkkaTcp.Bind bind:
            {
                var commander = Sender;
                var settings = _settings;
                var backend = _group.Backend;
                var selectors = _selectors;
                var counter = new StrongBox<int>(-1);
                Func<IActorRef> nextSelector = () => selectors[(int)((uint)Interlocked.Increment(ref counter.Value) % (uint)selectors.Count)];
                NextSelector().Tell(new SpawnChannel((loop, _) => TcpListenerActor.Props(loop, settings, backend, nextSelector, commander, bind)));
                break;
            }

            default:
                Unhandled(message);
                break;
        }
    }

    private IActorRef NextSelector() => _selectors[(int)((uint)++_next % (uint)_selectors.Count)];
}
