using Akka.Actor;
using Akka.IO;
using Akka.Streams;
using Akka.Streams.Dsl;
using Epsilon.Actors.Io.Streams;

namespace Epsilon.Actors.Bench.Peers;

/// <summary>
/// Epsilon's Akka.Streams TCP: every incoming connection's flow joined with an identity flow,
/// the same code as <see cref="AkkaStreamsEchoServer"/> with <c>EpsilonTcpStream()</c> for
/// <c>TcpStream()</c>. With <c>onLoop</c>, the joined graph runs on the connection's loop
/// dispatcher (<c>LoopDispatcherOf</c>), fused with the connection's stage.
/// </summary>
internal static class EpsilonStreamsEchoServer
{
    public static Task<Akka.Streams.Dsl.Tcp.ServerBinding> StartAsync(ActorSystem system, int port, bool onLoop = false)
    {
        var materializer = system.Materializer();
        var streams = system.EpsilonTcpStream();
        return streams
            .Bind("127.0.0.1", port, backlog: 4096)
            .To(Sink.ForEach<Akka.Streams.Dsl.Tcp.IncomingConnection>(c =>
            {
                var graph = c.Flow.Join(Flow.Create<ByteString>());
                if (onLoop && streams.LoopDispatcherOf(c) is { } loop) graph = graph.WithAttributes(ActorAttributes.CreateDispatcher(loop));
                graph.Run(materializer);
            }))
            .Run(materializer);
    }
}
