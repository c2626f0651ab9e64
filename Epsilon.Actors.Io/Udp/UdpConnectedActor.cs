using System.Net;
using System.Net.Sockets;
using Akka.Actor;
using Akka.Event;
using Akka.IO;
using Epsilon.Actors.Io.EventLoops;

namespace Epsilon.Actors.Io.Udp;

/// <summary>
/// A connected UDP socket for one <c>UdpConnected.Connect</c>: resolves a host name if given,
/// binds the local address if given, connects, answers <c>Connected</c> (or <c>CommandFailed</c>),
/// delivers the peer's datagrams as <c>UdpConnected.Received</c>, sends <c>UdpConnected.Send</c>
/// with acks to the sender of each, honours <c>SuspendReading</c> / <c>ResumeReading</c>, and
/// answers <c>Disconnect</c> with <c>Disconnected</c>. Stops when the handler stops.
/// </summary>
internal sealed class UdpConnectedActor : UdpChannelActor
{
    private readonly IoBackend _backend;
    private readonly IActorRef _commander;
    private readonly UdpConnected.Connect _connect;
    private bool _connected;

    /// <summary>Creates the connection for <paramref name="connect"/>.</summary>
    public UdpConnectedActor(EventLoop loop, EpsilonUdpSettings settings, IoBackend backend, IActorRef commander, UdpConnected.Connect connect)
        : base(loop, settings)
    {
        _backend = backend;
        _commander = commander;
        _connect = connect;
    }

    /// <summary>Props for one <c>Connect</c>.</summary>
    public static Props Props(EventLoop loop, EpsilonUdpSettings settings, IoBackend backend, IActorRef commander, UdpConnected.Connect connect) =>
        DirectProducer<UdpConnectedActor>.Props(() => new UdpConnectedActor(loop, settings, backend, commander, connect));

    /// <inheritdoc />
    protected override void PreStart()
    {
        Context.Watch(_connect.Handler);
        switch (_connect.RemoteAddress)
        {
            case IPEndPoint ip:
                Connect(ip);
                break;
            case DnsEndPoint dns:
                var family = (_connect.LocalAddress as IPEndPoint)?.AddressFamily;
                System.Net.Dns.GetHostAddressesAsync(dns.Host).PipeTo(
                    Self,
                    success: addresses => new RemoteResolved(addresses.FirstOrDefault(a => family is null || a.AddressFamily == family)),
                    failure: _ => new RemoteResolved(null));
                break;
            default:
                Fail(new ArgumentException($"UdpConnected.Connect needs an IP or DNS endpoint, not {_connect.RemoteAddress?.GetType().Name ?? "null"}"));
                break;
        }
    }

    private void Connect(IPEndPoint remote)
    {
        try
        {
            Socket = _backend.Open(remote.AddressFamily, SocketType.Dgram, ProtocolType.Udp);
            UdpOptions.Apply(Socket, _connect.Options, beforeBind: true, connected: true);
            if (_connect.LocalAddress is { } local) Check(Socket.Bind(local), local);
            Check(Socket.Connect(remote), remote);
            UdpOptions.Apply(Socket, _connect.Options, beforeBind: false, connected: true);
            RegisterWithLoop();
        }
        catch (Exception ex)
        {
            Fail(ex);
            return;
        }

        _connected = true;
        _commander.Tell(UdpConnected.Connected.Instance, Self);
        StartReading();
    }

    private void Fail(Exception cause)
    {
        Log.Debug("UdpConnected.Connect to {0} failed: {1}", _connect.RemoteAddress, cause.Message);
        _commander.Tell(new UdpConnected.CommandFailed(_connect), Self);
        CloseSocket();
        Context.Stop(Self);
    }

    /// <inheritdoc />
    protected override void OnReceive(object message)
    {
        if (HandleChannelMessage(message)) return;
        switch (message)
        {
            case RemoteResolved { Address: { } address }:
                Connect(new IPEndPoint(address, ((DnsEndPoint)_connect.RemoteAddress).Port));
                break;
            case RemoteResolved:
                Fail(new SocketException((int)SocketError.HostNotFound));
                break;
            case UdpConnected.Send send when _connected:
                Send(send.Payload, null, send, send.WantsAck ? send.Ack : null);
                break;
            case UdpConnected.Send send:
                Sender.Tell(new UdpConnected.CommandFailed(send), Self);
                break;
            case UdpConnected.SuspendReading:
                SuspendReading();
                break;
            case UdpConnected.ResumeReading:
                ResumeReading();
                break;
            case UdpConnected.Disconnect:
                CloseSocket();
                Sender.Tell(UdpConnected.Disconnected.Instance, Self);
                Context.Stop(Self);
                break;
            case Terminated t when t.ActorRef.Equals(_connect.Handler):
                Log.Debug("UdpConnected handler {0} stopped; closing the socket to {1}", t.ActorRef, _connect.RemoteAddress);
                Context.Stop(Self);
                break;
            default:
                Unhandled(message);
                break;
        }
    }

    /// <inheritdoc />
    protected override void Deliver(ByteString data, EndPoint? from) => _connect.Handler.Tell(new UdpConnected.Received(data), Self);

    /// <inheritdoc />
    protected override object Failure(object command) => new UdpConnected.CommandFailed((UdpConnected.Command)command);

    private static void Check(SocketError error, EndPoint endPoint)
    {
        if (error != SocketError.Success) throw new SocketException((int)error, $"{new SocketException((int)error).Message} ({endPoint})");
    }
}
