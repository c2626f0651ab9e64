using Akka.Actor;
using Akka.IO;
using Epsilon.Actors.Io.EventLoops;
using AkkaUdp = Akka.IO.Udp;

namespace Epsilon.Actors.Io.Udp;

/// <summary>
/// The actors users talk to. The unconnected manager (<c>system.EpsilonUdp()</c>) takes Akka.IO's
/// <c>Udp.Bind</c> and <c>Udp.SimpleSender</c>; the connected one
/// (<c>system.EpsilonUdpConnected()</c>) takes <c>UdpConnected.Connect</c>. Each starts the
/// socket's actor on the next event loop's selector, which becomes its parent.
/// </summary>
internal sealed class UdpManagerActor : UntypedActor
{
    private readonly EventLoopGroup _group;
    private readonly IReadOnlyList<IActorRef> _selectors;
    private readonly EpsilonUdpSettings _settings;
    private readonly bool _connected;
    private int _next = -1;

    /// <summary>Creates a manager over the loops' selectors; <paramref name="connected"/> picks which protocol it takes.</summary>
    public UdpManagerActor(EventLoopGroup group, IReadOnlyList<IActorRef> selectors, EpsilonUdpSettings settings, bool connected)
    {
        _group = group;
        _selectors = selectors;
        _settings = settings;
        _connected = connected;
    }

    /// <summary>Props for a manager.</summary>
    public static Props Props(EventLoopGroup group, IReadOnlyList<IActorRef> selectors, EpsilonUdpSettings settings, bool connected) =>
        DirectProducer<UdpManagerActor>.Props(() => new UdpManagerActor(group, selectors, settings, connected));

    /// <inheritdoc />
    protected override void OnReceive(object message)
    {
        var commander = Sender;
        var settings = _settings;
        var backend = _group.Backend;
        switch (message)
        {
            case AkkaUdp.Bind bind when !_connected:
                NextSelector().Tell(new SpawnChannel((loop, _) => UdpListenerActor.Props(loop, settings, backend, commander, bind)));
                break;
            case AkkaUdp.SimpleSender simple when !_connected:
                NextSelector().Tell(new SpawnChannel((loop, _) => UdpSenderActor.Props(loop, settings, backend, commander, simple)));
                break;
            case UdpConnected.Connect connect when _connected:
                NextSelector().Tell(new SpawnChannel((loop, _) => UdpConnectedActor.Props(loop, settings, backend, commander, connect)));
                break;
            default:
                Unhandled(message);
                break;
        }
    }

    private IActorRef NextSelector() => _selectors[(int)((uint)++_next % (uint)_selectors.Count)];
}
