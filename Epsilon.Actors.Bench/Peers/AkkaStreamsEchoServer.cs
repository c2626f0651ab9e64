using Akka.Actor;
using Akka.IO;
using Akka.Streams;
using Akka.Streams.Dsl;

namespace Epsilon.Actors.Bench.Peers;

/// <summary>Akka.Streams' TCP: every incoming connection handled with an identity flow.</summary>
internal static class AkkaStreamsEchoServer
{
    public static Task<Akka.Streams.Dsl.Tcp.ServerBinding> StartAsync(ActorSystem system, int port)
    {
        var materializer = system.Materializer();
        return system.TcpStream()
            .Bind("127.0.0.1", port, backlog: 4096)
            .To(Sink.ForEach<Akka.Streams.Dsl.Tcp.IncomingConnection>(c => c.HandleWith(Flow.Create<ByteString>(), materializer)))
            .Run(materializer);
    }
}
