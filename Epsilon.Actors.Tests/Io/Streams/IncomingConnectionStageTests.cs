using System.Collections.Concurrent;
using System.Text;
using Akka;
using Akka.IO;
using Akka.Streams;
using Akka.Streams.Dsl;
using Epsilon.Actors.Io.Streams;
using Epsilon.Actors.Tests.TestKit;
using Xunit;
using Xunit.Abstractions;
using AkkaTestKit = Akka.TestKit.Xunit2.TestKit;
using StreamTcp = Akka.Streams.Dsl.Tcp;

namespace Epsilon.Actors.Tests.Io.Streams;

/// <summary>
/// Where an accepted connection's stream runs, found by experiment on Akka.NET 1.5.73: fusing
/// splits a graph into islands by the dispatcher attribute each stage inherits, and an island runs
/// on its first stage's dispatcher. The connection's own stage carries its loop's dispatcher, so it
/// is an island of its own on the loop; stages joined to it keep theirs (the materializer's)
/// unless the whole graph is run with the loop's dispatcher (<c>LoopDispatcherOf</c>), which fuses
/// them all on the loop thread. Proven by thread identity over real loopback sockets.
/// </summary>
[Trait("Category", "Loopback")]
public sealed class IncomingConnectionStageTests : AkkaTestKit
{
    private readonly ITestOutputHelper _output;

    public IncomingConnectionStageTests(ITestOutputHelper output)
        : base(EpsilonTestConfig.For("auto", extra: """
        epsilon.io.event-loops = 1
        other-dispatcher {
          type = ForkJoinDispatcher
          dedicated-thread-pool.thread-count = 1
          dedicated-thread-pool.threadtype = background
        }
        """), output: output)
    {
        _output = output;
    }

    private static readonly TimeSpan s_wait = TimeSpan.FromSeconds(10);

    private string EchoOnce(Func<StreamTcp.IncomingConnection, Flow<ByteString, ByteString, NotUsed>, IRunnableGraph<NotUsed>> join, ConcurrentQueue<string> threads)
    {
        var materializer = Sys.Materializer();
        var user = Flow.Create<ByteString>().Select(b =>
        {
            threads.Enqueue(Thread.CurrentThread.Name ?? "");
            return b;
        });
        var binding = Sys.EpsilonTcpStream().Bind("127.0.0.1", 0)
            .To(Sink.ForEach<StreamTcp.IncomingConnection>(c => join(c, user).Run(materializer)))
            .Run(materializer);
        Assert.True(binding.Wait(s_wait));
        using var client = PlainSocket.Connect(binding.Result.LocalAddress);
        client.Send("ping"u8.ToArray());
        var answer = Encoding.ASCII.GetString(client.ReceiveExactly(4));
        binding.Result.Unbind().Wait(s_wait);
        return answer;
    }

    [Fact]
    public void Stages_joined_with_the_loop_dispatcher_of_the_connection_run_on_its_loop_thread()
    {
        var threads = new ConcurrentQueue<string>();
        var streams = Sys.EpsilonTcpStream();
        Assert.Equal("ping", EchoOnce((c, user) =>
        {
            var loop = streams.LoopDispatcherOf(c);
            Assert.NotNull(loop);
            return c.Flow.Join(user).WithAttributes(ActorAttributes.CreateDispatcher(loop));
        }, threads));
        Assert.True(threads.TryDequeue(out var name));
        Assert.StartsWith("epsilon-io-", name);
    }

    [Fact]
    public void Stages_joined_with_HandleWith_stay_on_the_materializers_dispatcher()
    {
        // The connection's own stage carries the loop's dispatcher, which makes it an island of
        // its own (Akka.NET's fusing splits islands by dispatcher); the user's stages keep
        // Akka's default dispatcher, so a user stage that blocks never stalls a loop.
        var threads = new ConcurrentQueue<string>();
        Assert.Equal("ping", EchoOnce((c, user) => c.Flow.Join(user), threads));
        Assert.True(threads.TryDequeue(out var name));
        Assert.DoesNotContain("epsilon-io-", name);
    }

    [Fact]
    public void A_user_dispatcher_attribute_on_the_joined_flow_is_honoured()
    {
        var threads = new ConcurrentQueue<string>();
        Assert.Equal("ping", EchoOnce((c, user) => c.Flow.Join(user.WithAttributes(ActorAttributes.CreateDispatcher("other-dispatcher"))), threads));
        Assert.True(threads.TryDequeue(out var name));
        Assert.StartsWith("other-dispatcher", name);
    }

    [Fact]
    public void LoopDispatcherOf_is_null_for_a_connection_of_Akka_Streams_own_TCP()
    {
        var materializer = Sys.Materializer();
        var connections = new ConcurrentQueue<string?>();
        var binding = Sys.TcpStream().Bind("127.0.0.1", 0)
            .To(Sink.ForEach<StreamTcp.IncomingConnection>(c =>
            {
                connections.Enqueue(Sys.EpsilonTcpStream().LoopDispatcherOf(c));
                c.Flow.Join(Flow.Create<ByteString>()).Run(materializer);
            }))
            .Run(materializer);
        Assert.True(binding.Wait(s_wait));
        using (var client = PlainSocket.Connect(binding.Result.LocalAddress))
        {
            client.Send("x"u8.ToArray());
            client.ReceiveExactly(1);
        }

        binding.Result.Unbind().Wait(s_wait);
        Assert.True(connections.TryDequeue(out var id));
        Assert.Null(id);
    }
}
