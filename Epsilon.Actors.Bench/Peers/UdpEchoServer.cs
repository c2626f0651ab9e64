using System.Net;
using System.Net.Sockets;
using Akka.Actor;
using Akka.IO;

namespace Epsilon.Actors.Bench.Peers;

/// <summary>
/// The UDP echo of Akka.NET's documentation: bind, then send every <c>Udp.Received</c> back to its
/// sender through the socket actor. Identical code for Akka's manager and Epsilon's; both get the
/// same kernel receive buffer option.
/// </summary>
internal sealed class UdpEchoServer : UntypedActor
{
    private readonly TaskCompletionSource<EndPoint> _bound;

    public UdpEchoServer(IActorRef manager, int port, TaskCompletionSource<EndPoint> bound)
    {
        _bound = bound;
        manager.Tell(new Udp.Bind(Self, new IPEndPoint(IPAddress.Loopback, port), [new Inet.SO.ReceiveBufferSize(4 << 20)]));
    }

    protected override void OnReceive(object message)
    {
        switch (message)
        {
            case Udp.Bound b:
                _bound.TrySetResult(b.LocalAddress);
                Become(Ready(Sender));
                break;
            case Udp.CommandFailed f:
                _bound.TrySetException(new InvalidOperationException($"UDP bind failed: {f.Cmd}"));
                break;
            default:
                Unhandled(message);
                break;
        }
    }

    private static UntypedReceive Ready(IActorRef socket) => message =>
    {
        if (message is Udp.Received r) socket.Tell(Udp.Send.Create(r.Data, r.Sender));
    };

    /// <summary>The raw baseline: one thread, a blocking socket, receive-from then send-to.</summary>
    public static IDisposable StartRaw(int port)
    {
        var socket = new Socket(AddressFamily.InterNetwork, SocketType.Dgram, ProtocolType.Udp);
        socket.SetSocketOption(SocketOptionLevel.Socket, SocketOptionName.ReceiveBuffer, 4 << 20);
        socket.Bind(new IPEndPoint(IPAddress.Loopback, port));
        new Thread(() =>
        {
            var buffer = new byte[65_536];
            var from = new SocketAddress(AddressFamily.InterNetwork);
            try
            {
                while (true)
                {
                    var n = socket.ReceiveFrom(buffer, SocketFlags.None, from);
                    socket.SendTo(buffer.AsSpan(0, n), SocketFlags.None, from);
                }
            }
            catch (Exception e) when (e is SocketException or ObjectDisposedException)
            {
                // Closed at shutdown.
            }
        })
        { IsBackground = true, Name = "raw-udp-echo" }.Start();
        return socket;
    }
}
