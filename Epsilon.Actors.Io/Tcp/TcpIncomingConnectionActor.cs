using Akka.Actor;
using Akka.IO;
using Epsilon.Actors.Io.EventLoops;

namespace Epsilon.Actors.Io.Tcp;

/// <summary>
/// A connection accepted by a <see cref="TcpListenerActor"/>: on start it registers the accepted
/// socket, applies the bind's options and sends <c>Connected</c> to the bind handler.
/// </summary>
internal sealed class TcpIncomingConnectionActor : TcpConnectionActor
{
    private readonly IActorRef _bindHandler;
    private readonly IEnumerable<Inet.SocketOption>? _options;

    /// <summary>Creates the actor around an accepted socket it now owns.</summary>
    public TcpIncomingConnectionActor(EventLoop loop, EpsilonTcpSettings settings, LoopSocket socket, IActorRef bindHandler,
        IEnumerable<Inet.SocketOption>? options, bool pullMode)
        : base(loop, settings, pullMode)
    {
        Socket = socket;
        _bindHandler = bindHandler;
        _options = options;
    }

    /// <summary>Props for an accepted socket.</summary>
    public static Props Props(EventLoop loop, EpsilonTcpSettings settings, LoopSocket socket, IActorRef bindHandler,
        IEnumerable<Inet.SocketOption>? options, bool pullMode) =>
        DirectProducer<TcpIncomingConnectionActor>.Props(() => new TcpIncomingConnectionActor(loop, settings, socket, bindHandler, options, pullMode));

    /// <inheritdoc />
    protected override void PreStart()
    {
        var socket = Socket!;
        if (Settings.TcpNoDelay && !TcpOptions.Sets(_options, System.Net.Sockets.SocketOptionName.NoDelay))
            socket.SetOption(System.Net.Sockets.SocketOptionLevel.Tcp, System.Net.Sockets.SocketOptionName.NoDelay, 1);
        TcpOptions.Apply(socket, _options, SocketPhase.AfterConnect);
        RegisterWithLoop();
        BecomeConnected(_bindHandler);
    }
}
