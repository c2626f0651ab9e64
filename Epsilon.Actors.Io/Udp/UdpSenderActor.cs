using System.Net;
using System.Net.Sockets;
using Akka.Actor;
using Akka.Event;
using Akka.IO;
using Epsilon.Actors.Io.EventLoops;
using AkkaUdp = Akka.IO.Udp;

namespace Epsilon.Actors.Io.Udp;

/// <summary>
/// The simple sender of <c>Udp.SimpleSender</c>: an unbound socket (dual-stack IPv6 where the host
/// has IPv6, as Akka's) that answers <c>SimpleSenderReady</c> and sends each <c>Udp.Send</c> from
/// an ephemeral port, with acks. Replies to that port are not read.
/// </summary>
internal sealed class UdpSenderActor : UdpChannelActor
{
    private readonly IoBackend _backend;
    private readonly IActorRef _commander;
    private readonly AkkaUdp.SimpleSender _command;

    /// <summary>Creates the sender.</summary>
    public UdpSenderActor(EventLoop loop, EpsilonUdpSettings settings, IoBackend backend, IActorRef commander, AkkaUdp.SimpleSender command)
        : base(loop, settings)
    {
        _backend = backend;
        _commander = commander;
        _command = command;
    }

    /// <summary>Props for one <c>SimpleSender</c>.</summary>
    public static Props Props(EventLoop loop, EpsilonUdpSettings settings, IoBackend backend, IActorRef commander, AkkaUdp.SimpleSender command) =>
        DirectProducer<UdpSenderActor>.Props(() => new UdpSenderActor(loop, settings, backend, commander, command));

    /// <inheritdoc />
    protected override void PreStart()
    {
        try
        {
            Socket = _backend.Open(System.Net.Sockets.Socket.OSSupportsIPv6 ? AddressFamily.InterNetworkV6 : AddressFamily.InterNetwork, SocketType.Dgram, ProtocolType.Udp);

            // Dual-stack whatever the host's default (net.ipv6.bindv6only), so IPv4 targets work too.
            if (Socket.AddressFamily == AddressFamily.InterNetworkV6) Socket.SetOption(SocketOptionLevel.IPv6, SocketOptionName.IPv6Only, 0);
            UdpOptions.Apply(Socket, _command.Options, beforeBind: true, connected: false);
            UdpOptions.Apply(Socket, _command.Options, beforeBind: false, connected: true);
            RegisterWithLoop();
        }
        catch (Exception ex)
        {
            Log.Debug("Udp.SimpleSender failed: {0}", ex.Message);
            _commander.Tell(new AkkaUdp.CommandFailed(_command), Self);
            CloseSocket();
            Context.Stop(Self);
            return;
        }

        _commander.Tell(AkkaUdp.SimpleSenderReady.Instance, Self);
    }

    /// <inheritdoc />
    protected override void OnReceive(object message)
    {
        if (HandleChannelMessage(message)) return;
        if (message is AkkaUdp.Send send) Send(send.Payload, send.Target, send, send.WantsAck ? send.Ack : null);
        else Unhandled(message);
    }

    /// <inheritdoc />
    protected override void Deliver(ByteString data, EndPoint? from)
    {
        // Never called: a simple sender does not read.
    }

    /// <inheritdoc />
    protected override object Failure(object command) => new AkkaUdp.CommandFailed((AkkaUdp.Command)command);
}
