using System.Net;
using System.Text;
using Akka.Actor;
using Akka.IO;
using Epsilon.Actors.Io;
using Epsilon.Actors.Tests.TestKit;
using Xunit;
using Xunit.Abstractions;
using AkkaTestKit = Akka.TestKit.Xunit2.TestKit;

namespace Epsilon.Actors.Tests.Io.Tcp;

/// <summary>
/// The drop-in promise: actors written only against Akka.IO, in the shapes of Akka.NET's own
/// documentation (an echo server that binds and registers a per-connection child, and a client
/// that connects, registers itself and writes lines), pass the same test with Akka's
/// <c>system.Tcp()</c> and with <c>system.EpsilonTcp()</c>: the manager lookup is all that changes.
/// </summary>
[Trait("Category", "Loopback")]
public sealed class AkkaIoCompatibilityTests(ITestOutputHelper output)
    : AkkaTestKit(EpsilonTestConfig.For("auto"), output: output)
{
    public static TheoryData<string> Managers => new() { "akka", "epsilon" };

    private static IActorRef ManagerOf(ActorSystem system, string which) =>
        which == "akka" ? system.Tcp() : system.EpsilonTcp();

    [Theory]
    [MemberData(nameof(Managers))]
    public void Documentation_echo_server_and_client_work_unchanged(string which)
    {
        var server = Sys.ActorOf(Props.Create(() => new DocEchoServer(s => ManagerOf(s, which), TestActor)));
        var bound = ExpectMsg<Akka.IO.Tcp.Bound>(TimeSpan.FromSeconds(10));
        var port = ((IPEndPoint)bound.LocalAddress).Port;

        var client = Sys.ActorOf(Props.Create(() => new DocLineClient(s => ManagerOf(s, which), new DnsEndPoint("localhost", port), TestActor)));
        ExpectMsg("connected", TimeSpan.FromSeconds(10));
        foreach (var line in new[] { "one", "two", "three" }) client.Tell(line);
        var echoed = new StringBuilder();
        while (echoed.ToString().Split('\n', StringSplitOptions.RemoveEmptyEntries).Length < 3)
            echoed.Append(ExpectMsg<string>(TimeSpan.FromSeconds(10)));
        Assert.Equal("one\ntwo\nthree\n", echoed.ToString());

        client.Tell("x"); // the documented echo connection stops on a line starting with 'x'
        FishForMessage(m => m is "closed", TimeSpan.FromSeconds(10));
        Sys.Stop(server);
    }

    [Theory]
    [MemberData(nameof(Managers))]
    public void A_plain_socket_client_gets_the_same_echo(string which)
    {
        Sys.ActorOf(Props.Create(() => new DocEchoServer(s => ManagerOf(s, which), TestActor)));
        var bound = ExpectMsg<Akka.IO.Tcp.Bound>(TimeSpan.FromSeconds(10));
        using var socket = PlainSocket.Connect(bound.LocalAddress);
        var payload = PlainSocket.Pattern(10_000);
        payload[0] = (byte)'a';
        socket.Send(payload);
        Assert.Equal(payload, socket.ReceiveExactly(payload.Length));
    }

    /// <summary>Akka.NET documentation's echo server, verbatim in shape.</summary>
    private sealed class DocEchoServer : UntypedActor
    {
        public DocEchoServer(Func<ActorSystem, IActorRef> manager, IActorRef report)
        {
            _report = report;
            manager(Context.System).Tell(new Akka.IO.Tcp.Bind(Self, new IPEndPoint(IPAddress.Loopback, 0)));
        }

        private readonly IActorRef _report;

        protected override void OnReceive(object message)
        {
            switch (message)
            {
                case Akka.IO.Tcp.Bound bound:
                    _report.Tell(bound);
                    break;
                case Akka.IO.Tcp.Connected:
                    var connection = Context.ActorOf(Props.Create(() => new DocEchoConnection(Sender)));
                    Sender.Tell(new Akka.IO.Tcp.Register(connection));
                    break;
                default:
                    Unhandled(message);
                    break;
            }
        }
    }

    /// <summary>Akka.NET documentation's echo connection: echoes, and stops on data starting with 'x'.</summary>
    private sealed class DocEchoConnection(IActorRef connection) : UntypedActor
    {
        protected override void OnReceive(object message)
        {
            switch (message)
            {
                case Akka.IO.Tcp.Received received:
                    if (received.Data[0] == 'x') Context.Stop(Self);
                    else connection.Tell(Akka.IO.Tcp.Write.Create(received.Data));
                    break;
                default:
                    Unhandled(message);
                    break;
            }
        }
    }

    /// <summary>Akka.NET documentation's telnet-style client, reporting to a probe instead of the console.</summary>
    private sealed class DocLineClient : UntypedActor
    {
        private readonly IActorRef _report;

        public DocLineClient(Func<ActorSystem, IActorRef> manager, EndPoint endpoint, IActorRef report)
        {
            _report = report;
            manager(Context.System).Tell(new Akka.IO.Tcp.Connect(endpoint));
        }

        protected override void OnReceive(object message)
        {
            switch (message)
            {
                case Akka.IO.Tcp.Connected:
                    Sender.Tell(new Akka.IO.Tcp.Register(Self));
                    _report.Tell("connected");
                    Become(Connected(Sender));
                    break;
                case Akka.IO.Tcp.CommandFailed:
                    _report.Tell("connection failed");
                    break;
                default:
                    Unhandled(message);
                    break;
            }
        }

        private UntypedReceive Connected(IActorRef connection) => message =>
        {
            switch (message)
            {
                case Akka.IO.Tcp.Received received:
                    _report.Tell(received.Data.ToString(Encoding.UTF8));
                    break;
                case string line:
                    connection.Tell(Akka.IO.Tcp.Write.Create(ByteString.FromString(line + "\n")));
                    break;
                case Akka.IO.Tcp.PeerClosed or Akka.IO.Tcp.ConnectionClosed:
                    _report.Tell("closed");
                    break;
                default:
                    Unhandled(message);
                    break;
            }
        };
    }
}
