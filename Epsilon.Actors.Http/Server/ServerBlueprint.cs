using System.Net;
using Akka;
using Akka.Actor;
using Akka.Event;
using Akka.IO;
using Akka.Streams;
using Akka.Streams.Dsl;
using Epsilon.Actors.Http.Http1;
using Epsilon.Actors.Http.Settings;
using Epsilon.Actors.Io.Streams;
using StreamTcp = Akka.Streams.Dsl.Tcp;

namespace Epsilon.Actors.Http.Server;

/// <summary>
/// The whole HTTP server stack of one binding, assembled in one place.
/// <code>
///   application: HttpHandler (guarded) | Flow&lt;HttpRequest,HttpResponse&gt; (per connection) | actor (ask)
///        ^ HttpRequest                       | HttpResponse
///        |                                   v
///   +----------------------------------------------------------+
///   | Http1ServerStage  (one per connection)                   |
///   |   Http1RequestParser -> HttpRequest (strict or streamed) |
///   |   Http1ServerStateMachine: order, keep-alive, 100, timers|
///   |   Http1ResponseWriter/ChunkedBodyEncoder &lt;- HttpResponse |
///   +----------------------------------------------------------+
///        ^ ByteString                        | ByteString
///   +----------------------------------------------------------+
///   | transport layers (HttpServerBuilder.WithTransportLayer): |
///   |   TLS, byte logging … ; none by default                  |
///   +----------------------------------------------------------+
///        ^ ByteString                        | ByteString
///   +----------------------------------------------------------+
///   | EpsilonTcpStream().Bind: one Flow per accepted socket,   |
///   | half-close on (the stage lingers before closing), exact  |
///   | pull-mode back-pressure; admission by                    |
///   | HttpServerConnections (max-concurrent-connections,       |
///   | termination)                                             |
///   +----------------------------------------------------------+
/// </code>
/// Each connection is its own materialized graph: a failure in one (bad bytes, a handler flow
/// that fails, a reset) ends that connection only. The graph is one fused island run on the
/// dispatcher of the event loop that owns the socket (<c>LoopDispatcherOf</c>), so bytes go from
/// <c>epoll_wait</c> through TLS to the parser, and a response to <c>send</c>, on one thread;
/// the handler is called where <c>handler-dispatcher</c> says (<see cref="HandlerDispatch"/>).
/// </summary>
internal static class ServerBlueprint
{
    /// <summary>The byte flow serving one connection, transport layers included.</summary>
    public static Flow<ByteString, ByteString, NotUsed> Connection(
        HttpServerSettings settings,
        Func<IMaterializer, ServerHandler> handlerFactory,
        BidiFlow<ByteString, ByteString, ByteString, ByteString, NotUsed>? transport,
        EndPoint? remoteAddress,
        HttpServerConnections? connections)
    {
        var http = Flow.FromGraph(new Http1ServerStage(settings, handlerFactory, remoteAddress, connections));
        // The layer's bottom (wire -> HTTP) feeds the stage; the stage feeds its top (HTTP -> wire).
        return transport is null ? http : transport.Reversed().Join(http);
    }

    /// <summary>Binds <paramref name="host"/>:<paramref name="port"/> and serves every accepted connection (or refuses it over the limit).</summary>
    public static Task<StreamTcp.ServerBinding> Bind(
        ActorSystem system,
        IMaterializer materializer,
        string host,
        int port,
        HttpServerSettings settings,
        Func<IMaterializer, ServerHandler> handlerFactory,
        BidiFlow<ByteString, ByteString, ByteString, ByteString, NotUsed>? transport,
        HttpServerConnections connections)
    {
        var refuse = Flow.FromSinkAndSource(Sink.Cancelled<ByteString>(), Source.Empty<ByteString>());
        var tcp = system.EpsilonTcpStream();
        return tcp
            .Bind(host, port, backlog: 1024, halfClose: true)
            .To(Sink.ForEach<StreamTcp.IncomingConnection>(incoming => Accept(incoming)))
            .Run(materializer);

        void Accept(StreamTcp.IncomingConnection incoming)
        {
            if (!connections.TryReserve())
            {
                connections.Log.Debug("HTTP connection from {0} refused: {1}", incoming.RemoteAddress,
                    connections.IsTerminating ? "the server is terminating" : "max-concurrent-connections reached");
                incoming.HandleWith(refuse, materializer);
                return;
            }

            try
            {
                // One fused island on the loop that owns the socket: TCP stage, transport layers
                // (TLS) and the HTTP stage; handlers are dispatched from there (HandlerDispatch).
                var graph = incoming.Flow.Join(Connection(settings, handlerFactory, transport, incoming.RemoteAddress, connections));
                if (tcp.LoopDispatcherOf(incoming) is { } loop) graph = graph.WithAttributes(ActorAttributes.CreateDispatcher(loop));
                graph.Run(materializer);
            }
            catch (Exception e)
            {
                connections.Log.Warning(e, "HTTP connection from {0} could not start", incoming.RemoteAddress);
                connections.Release(null);
            }
        }
    }
}
