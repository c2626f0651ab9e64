using System.Net;
using System.Net.Sockets;
using Akka.Actor;
using Akka.Event;
using Akka.IO;
using Epsilon.Actors.Io.EventLoops;
using AkkaUdp = Akka.IO.Udp;

namespace Epsilon.Actors.Io.Udp;

/// <summary>
/// A bound UDP socket for one <c>Udp.Bind</c>: answers <c>Bound</c> (or <c>CommandFailed</c>),
/// delivers every datagram to the handler as <c>Udp.Received</c> (whole, empty ones too), sends
/// <c>Udp.Send</c> from the bound port with acks, honours <c>SuspendReading</c> /
/// <c>ResumeReading</c>, and answers <c>Unbind</c> with <c>Unbound</c>. Stops when the handler stops.
/// </summary>
internal sealed class UdpListenerActor : UdpChannelActor
{
    private readonly IoBackend _backend;
    private readonly IActorRef _commander;
    private readonly AkkaUdp.Bind _bind;

    /// <summary>Creates the listener for <paramref name="bind"/>.</summary>
    public UdpListenerActor(EventLoop loop, EpsilonUdpSettings settings, IoBackend backend, IActorRef commander, AkkaUdp.Bind bind)
        : base(loop, settings)
    {
        _backend = backend;
        _commander = commander;
        _bind = bind;
    }

    /// <summary>Props for one <c>Bind</c>.</summary>
    public static Props Props(EventLoop loop, EpsilonUdpSettings settings, IoBackend backend, IActorRef commander, AkkaUdp.Bind bind) =>
        DirectProducer<UdpListenerActor>.Props(() => new UdpListenerActor(loop, settings, backend, commander, bind));

    /// <inheritdoc />
    protected override void PreStart()
    {
        EndPoint? local;
        try
        {
            var endPoint = _bind.LocalAddress as IPEndPoint
                ?? throw new ArgumentException($"Udp.Bind needs an IP endpoint, not {_bind.LocalAddress?.GetType().Name ?? "null"}");
            Socket = _backend.Open(endPoint.AddressFamily, SocketType.Dgram, ProtocolType.Udp);
            UdpOptions.Apply(Socket, _bind.Options, beforeBind: true, connected: false);
            var error = Socket.Bind(endPoint);
            if (error != SocketError.Success) throw new SocketException((int)error, $"{new SocketException((int)error).Message} ({endPoint})");
            UdpOptions.Apply(Socket, _bind.Options, beforeBind: false, connected: false);
            local = Socket.LocalEndPoint;
            RegisterWithLoop();
        }
        catch (Exception ex)
        {
            Log.Debug("Udp.Bind to {0} failed: {1}", _bind.LocalAddress, ex.Message);
            _commander.Tell(new AkkaUdp.CommandFailed(_bind), Self);
            CloseSocket();
            Context.Stop(Self);
            return;
        }

        Context.Watch(_bind.Handler);
        _commander.Tell(new AkkaUdp.Bound(local), Self);
        StartReading();
    }

    /// <inheritdoc />
    protected override void OnReceive(object message)
    {
        if (HandleChannelMessage(message)) return;
        switch (message)
        {
            case AkkaUdp.Send send:
                Send(send.Payload, send.Target, send, send.WantsAck ? send.Ack : null);
                break;
            case AkkaUdp.SuspendReading:
                SuspendReading();
                break;
            case AkkaUdp.ResumeReading:
                ResumeReading();
                break;
            case AkkaUdp.Unbind:
                CloseSocket();
                Sender.Tell(AkkaUdp.Unbound.Instance, Self);
                Context.Stop(Self);
                break;
            case Terminated t when t.ActorRef.Equals(_bind.Handler):
                Log.Debug("Udp.Bind handler {0} stopped; closing the socket on {1}", t.ActorRef, _bind.LocalAddress);
                Context.Stop(Self);
                break;
            default:
                Unhandled(message);
                break;
        }
    }

    /// <inheritdoc />
    protected override void Deliver(ByteString data, EndPoint? from) => _bind.Handler.Tell(new AkkaUdp.Received(data, from), Self);

    /// <inheritdoc />
    protected override object Failure(object command) => new AkkaUdp.CommandFailed((AkkaUdp.Command)command);
}
