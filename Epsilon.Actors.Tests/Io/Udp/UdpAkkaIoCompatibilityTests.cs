using System.Net;
using Akka.Actor;
using Akka.IO;
using Epsilon.Actors.Io;
using Epsilon.Actors.Tests.TestKit;
using Xunit;
using Xunit.Abstractions;
using AkkaTestKit = Akka.TestKit.Xunit2.TestKit;

namespace Epsilon.Actors.Tests.Io.Udp;

/// <summary>
/// The drop-in promise for UDP: actors written only against Akka.IO, in the shapes of Akka.NET's
/// UDP documentation (a bound listener that echoes, a simple sender, a connected client), pass
/// the same test with Akka's managers and with Epsilon's: the manager lookup is all that changes.
/// The shared cases stay within what both do (datagrams of 1 to 400 bytes: Akka.NET 1.5 reads
/// into 512-byte buffers and does not send empty datagrams); the differences have their own cases.
/// </summary>
[Trait("Category", "Loopback")]
public sealed class UdpAkkaIoCompatibilityTests(ITestOutputHelper output)
    : AkkaTestKit(EpsilonTestConfig.For("auto"), output: output)
{
    private static readonly TimeSpan s_wait = TimeSpan.FromSeconds(10);

    public static TheoryData<string> Managers => new() { "akka", "epsilon" };

    private static IActorRef UdpOf(ActorSystem system, string which) => which == "akka" ? system.Udp() : system.EpsilonUdp();

    private static IActorRef ConnectedOf(ActorSystem system, string which) =>
        which == "akka" ? UdpConnected.Instance.Apply(system).Manager : system.EpsilonUdpConnected();

    [Theory]
    [MemberData(nameof(Managers))]
    public void Documentation_listener_echoes_what_a_plain_socket_sends(string which)
    {
        Sys.ActorOf(Props.Create(() => new DocListener(s => UdpOf(s, which), TestActor)));
        var bound = ExpectMsg<Akka.IO.Udp.Bound>(s_wait);
        using var peer = new UdpPeer(IPAddress.Loopback);

        var (echoed, checksum, expected) = peer.EchoRun(bound.LocalAddress, 200, window: 8, sizeOf: i => 1 + i % 400);

        Assert.Equal(200, echoed);
        Assert.Equal(expected, checksum);
    }

    [Theory]
    [MemberData(nameof(Managers))]
    public void Documentation_simple_sender_delivers_lines(string which)
    {
        using var peer = new UdpPeer(IPAddress.Loopback);
        var sender = Sys.ActorOf(Props.Create(() => new DocSimpleSender(s => UdpOf(s, which), peer.EndPoint, TestActor)));
        ExpectMsg("ready", s_wait);

        sender.Tell("one");
        sender.Tell("two");

        Assert.Equal("one"u8.ToArray(), peer.Receive().Data);
        Assert.Equal("two"u8.ToArray(), peer.Receive().Data);
    }

    [Theory]
    [MemberData(nameof(Managers))]
    public void Documentation_connected_client_sends_and_receives(string which)
    {
        using var peer = new UdpPeer(IPAddress.Loopback);
        var client = Sys.ActorOf(Props.Create(() => new DocConnected(s => ConnectedOf(s, which), peer.EndPoint, TestActor)));
        ExpectMsg("connected", s_wait);

        client.Tell("ping");
        var (data, from) = peer.Receive();
        Assert.Equal("ping"u8.ToArray(), data);
        peer.SendTo("pong"u8, from);

        ExpectMsg("pong", s_wait);
    }

    [Theory]
    [InlineData("akka", false)]
    [InlineData("epsilon", true)]
    public void A_2000_byte_datagram_is_whole_only_on_Epsilon(string which, bool whole)
    {
        Sys.ActorOf(Props.Create(() => new DocListener(s => UdpOf(s, which), TestActor)));
        var bound = ExpectMsg<Akka.IO.Udp.Bound>(s_wait);
        using var peer = new UdpPeer(IPAddress.Loopback);

        peer.SendTo(UdpPeer.Numbered(1, 2000), bound.LocalAddress);
        var size = ExpectMsg<int>(s_wait);

        Assert.Equal(whole, size == 2000);
        if (!whole) Assert.Equal(512, size); // Akka.NET 1.5.73's default read buffer (akka.io.udp buffer-size)
    }

    [Theory]
    [InlineData("akka", false)]
    [InlineData("epsilon", true)]
    public void An_empty_datagram_is_received_by_both_but_sent_only_by_Epsilon(string which, bool echoed)
    {
        Sys.ActorOf(Props.Create(() => new DocListener(s => UdpOf(s, which), TestActor)));
        var bound = ExpectMsg<Akka.IO.Udp.Bound>(s_wait);
        using var peer = new UdpPeer(IPAddress.Loopback);

        peer.SendTo([], bound.LocalAddress);

        Assert.Equal(0, ExpectMsg<int>(s_wait));
        Assert.Equal(echoed, peer.Poll(1000));
    }

    /// <summary>Akka.NET documentation's UDP listener: binds, reports Bound, echoes each datagram to its sender.</summary>
    private sealed class DocListener : UntypedActor
    {
        private readonly IActorRef _report;

        public DocListener(Func<ActorSystem, IActorRef> manager, IActorRef report)
        {
            _report = report;
            manager(Context.System).Tell(new Akka.IO.Udp.Bind(Self, new IPEndPoint(IPAddress.Loopback, 0)));
        }

        protected override void OnReceive(object message)
        {
            if (message is Akka.IO.Udp.Bound bound)
            {
                _report.Tell(bound);
                Become(Ready(Sender));
            }
            else
            {
                Unhandled(message);
            }
        }

        private UntypedReceive Ready(IActorRef socket) => message =>
        {
            switch (message)
            {
                case Akka.IO.Udp.Received received:
                    _report.Tell(received.Data.Count);
                    socket.Tell(Akka.IO.Udp.Send.Create(received.Data, received.Sender));
                    break;
                case Akka.IO.Udp.Unbind:
                    socket.Tell(Akka.IO.Udp.Unbind.Instance);
                    break;
                case Akka.IO.Udp.Unbound:
                    Context.Stop(Self);
                    break;
                default:
                    Unhandled(message);
                    break;
            }
        };
    }

    /// <summary>Akka.NET documentation's simple sender: asks for SimpleSender, then sends each string.</summary>
    private sealed class DocSimpleSender : UntypedActor
    {
        private readonly EndPoint _remote;
        private readonly IActorRef _report;

        public DocSimpleSender(Func<ActorSystem, IActorRef> manager, EndPoint remote, IActorRef report)
        {
            _remote = remote;
            _report = report;
            manager(Context.System).Tell(Akka.IO.Udp.SimpleSender.Instance);
        }

        protected override void OnReceive(object message)
        {
            if (message is Akka.IO.Udp.SimpleSenderReady)
            {
                _report.Tell("ready");
                Become(Ready(Sender));
            }
            else
            {
                Unhandled(message);
            }
        }

        private UntypedReceive Ready(IActorRef send) => message =>
        {
            if (message is string text) send.Tell(Akka.IO.Udp.Send.Create(ByteString.FromString(text), _remote));
            else Unhandled(message);
        };
    }

    /// <summary>Akka.NET documentation's connected UDP client: connects, sends strings, reports what comes back.</summary>
    private sealed class DocConnected : UntypedActor
    {
        private readonly IActorRef _report;

        public DocConnected(Func<ActorSystem, IActorRef> manager, EndPoint remote, IActorRef report)
        {
            _report = report;
            manager(Context.System).Tell(new UdpConnected.Connect(Self, remote));
        }

        protected override void OnReceive(object message)
        {
            if (message is UdpConnected.Connected)
            {
                _report.Tell("connected");
                Become(Ready(Sender));
            }
            else
            {
                Unhandled(message);
            }
        }

        private UntypedReceive Ready(IActorRef connection) => message =>
        {
            switch (message)
            {
                case UdpConnected.Received received:
                    _report.Tell(received.Data.ToString());
                    break;
                case string text:
                    connection.Tell(UdpConnected.Send.Create(ByteString.FromString(text)));
                    break;
                case UdpConnected.Disconnect:
                    connection.Tell(UdpConnected.Disconnect.Instance);
                    break;
                case UdpConnected.Disconnected:
                    Context.Stop(Self);
                    break;
                default:
                    Unhandled(message);
                    break;
            }
        };
    }
}
