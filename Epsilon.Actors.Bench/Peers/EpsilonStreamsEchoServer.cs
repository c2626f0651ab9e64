using Akka.Actor;
using Akka.IO;
using Akka.Streams;
using Akka.Streams.Dsl;
using Epsilon.Actors.Io.Streams;

namespace Epsilon.Actors.Bench.Peers;

/// <summary>
/// Epsilon's Akka.Streams TCP: every incoming connection's flow joined with an identity flow,
/// the same code as <see cref="AkkaStreamsEchoServer"/> with <c>EpsilonTcpStream()</c> for
/// <c>TcpStream()</c>.
/// </summary>
internal static class EpsilonStreamsEchoServer
{
    public static Task<Akka.Streams.Dsl.Tcp.ServerBinding> StartAsync(ActorSystem system, int port)
    {
        var materializer = system.Materializer();
        return system.EpsilonTcpStream()
            .Bind("127.0.0.1", port, backlog: 4096)
            .To(Sink.ForEach<Akka.Streams.Dsl.Tcp.IncomingConnection>(c => c.Flow.Join(Flow.Create<ByteString>()).Run(materializer)))
            .Run(materializer);
    }
}
