using System.Net;
using System.Net.Sockets;
using Akka.Actor;
using Akka.IO;
using Akka.TestKit;
using Epsilon.Actors.Io;
using Epsilon.Actors.Tests.TestKit;
using Xunit;

namespace Epsilon.Actors.Tests.Io.Tcp;

/// <summary>The write queue's limit, NACKs, ResumeWriting and CompoundWrite atomicity.</summary>
public abstract partial class TcpContractTests
{
    [SkippableFact]
    public void Write_past_the_queue_limit_is_refused_until_ResumeWriting_then_resumed()
    {
        RequireBackend();
        var system = ActorSystem.Create("limits", EpsilonTestConfig.For(Backend, TriggerOf(this), "epsilon.io.tcp.max-pending-write-bytes = 128 KiB"));
        try
        {
            var manager = system.EpsilonTcp();
            var handler = new TestProbe(system, new Akka.TestKit.Xunit2.XunitAssertions());
            var commander = new TestProbe(system, new Akka.TestKit.Xunit2.XunitAssertions());
            manager.Tell(new Akka.IO.Tcp.Bind(handler.Ref, new IPEndPoint(IPAddress.Loopback, 0)), commander.Ref);
            var endPoint = (IPEndPoint)commander.ExpectMsg<Akka.IO.Tcp.Bound>(s_wait).LocalAddress;
            using var client = PlainSocket.Connect(endPoint, receiveTimeoutMs: 30_000);
            client.ReceiveBufferSize = 64 * 1024;
            handler.ExpectMsg<Akka.IO.Tcp.Connected>(s_wait);
            var connection = handler.LastSender;
            connection.Tell(new Akka.IO.Tcp.Register(handler.Ref), handler.Ref);

            // The client reads nothing: kernel buffers fill, then our queue, then writes are refused.
            var chunk = ByteString.FromBytes(PlainSocket.Pattern(64 * 1024));
            const int writes = 400;
            for (var i = 0; i < writes; i++) connection.Tell(Akka.IO.Tcp.Write.Create(chunk, new AckToken(i)), handler.Ref);
            // Until the client reads, the answers are: acks of what the kernel took, then one
            // refusal past the limit, then refusals of everything after it (writing is suspended).
            var answers = handler.ReceiveWhile<object>(s_wait, TimeSpan.FromMilliseconds(500), m => m);
            var failures = answers.OfType<Akka.IO.Tcp.CommandFailed>().Select(f => ((AckToken)((Akka.IO.Tcp.Write)f.Cmd).Ack).Id).ToList();
            Assert.NotEmpty(failures);
            var firstFailure = failures.Min();
            Assert.Equal(Enumerable.Range(firstFailure, writes - firstFailure), failures);
            Assert.DoesNotContain(answers.OfType<AckToken>(), a => a.Id > firstFailure);

            connection.Tell(Akka.IO.Tcp.ResumeWriting.Instance, handler.Ref);
            handler.ExpectNoMsg(TimeSpan.FromMilliseconds(200)); // queued writes must drain first

            // The client now reads everything that was accepted.
            var reader = Task.Run(() =>
            {
                var buffer = new byte[1 << 20];
                long total = 0;
                client.ReceiveTimeout = 2000;
                try
                {
                    while (true)
                    {
                        var n = client.Receive(buffer);
                        if (n == 0) break;
                        total += n;
                    }
                }
                catch (SocketException)
                {
                }

                return total;
            });
            var drained = handler.ReceiveWhile<object>(s_wait, TimeSpan.FromSeconds(5), m => m is Akka.IO.Tcp.WritingResumed ? null! : m);
            Assert.All(drained, m => Assert.True(m is AckToken a && a.Id < firstFailure, $"unexpected {m}"));
            handler.ExpectMsg<Akka.IO.Tcp.WritingResumed>(s_wait);
            var accepted = answers.OfType<AckToken>().Count() + drained.Count;
            Assert.Equal(firstFailure, accepted);

            connection.Tell(Akka.IO.Tcp.Write.Create(chunk, new AckToken(10_000)), handler.Ref);
            handler.ExpectMsg<AckToken>(a => a.Id == 10_000, s_wait);
            Assert.Equal((long)(accepted + 1) * chunk.Count, reader.Result);
        }
        finally
        {
            system.Terminate().Wait(TimeSpan.FromSeconds(10));
        }
    }

    private void WithLimitedSystem(Action<ActorSystem, TestProbe, IActorRef, Socket> body, bool useResumeWriting = true)
    {
        var system = ActorSystem.Create("limited", EpsilonTestConfig.For(Backend, TriggerOf(this), "epsilon.io.tcp.max-pending-write-bytes = 64 KiB"));
        try
        {
            var handler = new TestProbe(system, new Akka.TestKit.Xunit2.XunitAssertions());
            var commander = new TestProbe(system, new Akka.TestKit.Xunit2.XunitAssertions());
            system.EpsilonTcp().Tell(new Akka.IO.Tcp.Bind(handler.Ref, new IPEndPoint(IPAddress.Loopback, 0)), commander.Ref);
            var endPoint = (IPEndPoint)commander.ExpectMsg<Akka.IO.Tcp.Bound>(s_wait).LocalAddress;
            using var client = PlainSocket.Connect(endPoint, receiveTimeoutMs: 30_000);
            handler.ExpectMsg<Akka.IO.Tcp.Connected>(s_wait);
            var connection = handler.LastSender;
            connection.Tell(new Akka.IO.Tcp.Register(handler.Ref, useResumeWriting: useResumeWriting), handler.Ref);
            body(system, handler, connection, client);
        }
        finally
        {
            system.Terminate().Wait(TimeSpan.FromSeconds(10));
        }
    }

    // Fills kernel buffers and the queue; returns the number of bytes accepted (acked + queued).
    private static long FillUntilRefused(TestProbe handler, IActorRef connection)
    {
        var chunk = ByteString.FromBytes(new byte[32 * 1024]);
        long accepted = 0;
        for (var i = 0; i < 2000; i++)
        {
            connection.Tell(Akka.IO.Tcp.Write.Create(chunk, new AckToken(i)), handler.Ref);
            var answer = handler.ReceiveOne(TimeSpan.FromMilliseconds(200));
            if (answer is Akka.IO.Tcp.CommandFailed) return accepted;
            accepted += chunk.Count;
        }

        throw new InvalidOperationException("the queue never filled");
    }

    [SkippableFact]
    public void A_CompoundWrite_over_the_limit_is_refused_whole()
    {
        RequireBackend();
        WithLimitedSystem((_, handler, connection, client) =>
        {
            var accepted = FillUntilRefused(handler, connection);
            var compound = Akka.IO.Tcp.WriteCommand.Create(
                Akka.IO.Tcp.Write.Create(ByteString.FromString("A")),
                Akka.IO.Tcp.Write.Create(ByteString.FromBytes(new byte[128 * 1024])));
            connection.Tell(compound, handler.Ref);
            Assert.Same(compound, handler.FishForMessage<Akka.IO.Tcp.CommandFailed>(_ => true, s_wait).Cmd);

            // Nothing of the refused compound reached the wire: the client reads only zeros from
            // the filler writes, never the 'A'.
            client.ReceiveTimeout = 2000;
            var buffer = new byte[1 << 20];
            long total = 0;
            try
            {
                int n;
                while ((n = client.Receive(buffer)) > 0)
                {
                    Assert.DoesNotContain((byte)'A', buffer.AsSpan(0, n).ToArray());
                    total += n;
                }
            }
            catch (SocketException)
            {
            }

            Assert.True(total >= accepted - 32 * 1024, $"read {total} of {accepted} accepted bytes");
        });
    }

    [SkippableFact]
    public void Without_resume_writing_writes_are_accepted_again_once_the_queue_drains()
    {
        RequireBackend();
        WithLimitedSystem((_, handler, connection, client) =>
        {
            FillUntilRefused(handler, connection);
            var reader = Task.Run(() =>
            {
                client.ReceiveTimeout = 2000;
                var buffer = new byte[1 << 20];
                try
                {
                    while (client.Receive(buffer) > 0)
                    {
                    }
                }
                catch (SocketException)
                {
                }
            });
            // No ResumeWriting needed: once acks show the queue drained, a new write is taken.
            handler.ReceiveWhile<object>(s_wait, TimeSpan.FromMilliseconds(500), m => m);
            connection.Tell(Akka.IO.Tcp.Write.Create(ByteString.FromString("again"), new AckToken(99_999)), handler.Ref);
            handler.FishForMessage(m => m is AckToken { Id: 99_999 }, s_wait);
            reader.Wait(TimeSpan.FromSeconds(10));
        }, useResumeWriting: false);
    }

    private static string TriggerOf(TcpContractTests tests) => tests switch
    {
        EpollLevelTcpTests => "level",
        _ => "edge",
    };

    private sealed class AckToken(int id) : Akka.IO.Tcp.Event
    {
        public int Id { get; } = id;

        public override string ToString() => $"Ack({Id})";
    }

}
