using System.Net;
using Akka.Actor;
using Akka.IO;
using Epsilon.Actors.Io;
using Epsilon.Actors.Tests.TestKit;
using Xunit;
using Xunit.Abstractions;
using AkkaTestKit = Akka.TestKit.Xunit2.TestKit;

namespace Epsilon.Actors.Tests.Io.Tcp;

/// <summary>A handler placed on its connection's loop dispatcher runs on the loop thread and works as any handler.</summary>
[Trait("Category", "Loopback")]
public sealed class ColocatedHandlerTests(ITestOutputHelper output) : AkkaTestKit(EpsilonTestConfig.For("auto"), output: output)
{
    private sealed class ThreadReportingEcho : ReceiveActor
    {
        public ThreadReportingEcho(IActorRef connection, IActorRef report)
        {
            connection.Tell(new Akka.IO.Tcp.Register(Self));
            Receive<Akka.IO.Tcp.Received>(r =>
            {
                report.Tell(Thread.CurrentThread.Name ?? "");
                connection.Tell(Akka.IO.Tcp.Write.Create(r.Data));
            });
        }
    }

    [Fact]
    public void Handler_on_DispatcherFor_runs_on_the_connections_loop_thread_and_echoes()
    {
        var io = EpsilonIo.For(Sys);
        var server = CreateTestProbe();
        Sys.EpsilonTcp().Tell(new Akka.IO.Tcp.Bind(server.Ref, new IPEndPoint(IPAddress.Loopback, 0)), server.Ref);
        var endPoint = server.ExpectMsg<Akka.IO.Tcp.Bound>().LocalAddress;
        using var client = PlainSocket.Connect(endPoint);
        server.ExpectMsg<Akka.IO.Tcp.Connected>();
        var connection = server.LastSender;

        var dispatcher = io.DispatcherFor(connection);
        Sys.ActorOf(Props.Create(() => new ThreadReportingEcho(connection, TestActor)).WithDispatcher(dispatcher));
        var payload = PlainSocket.Pattern(100_000);
        client.Send(payload);
        Assert.Equal(payload, client.ReceiveExactly(payload.Length));
        Assert.StartsWith("epsilon-io-", ExpectMsg<string>());
    }

    [Fact]
    public void DispatcherFor_refuses_an_actor_that_is_not_a_connection()
    {
        Assert.Throws<ArgumentException>(() => EpsilonIo.For(Sys).DispatcherFor(TestActor));
    }
}
