using Akka;
using Akka.Actor;
using Akka.Event;
using Akka.IO;
using Akka.Streams;
using Akka.Streams.Dsl;
using Epsilon.Actors.Http.Connections;
using Epsilon.Actors.Http.Http1;
using Epsilon.Actors.Http.Settings;
using Epsilon.Actors.Io.Streams;
using Epsilon.Actors.Io.Tcp;
using Epsilon.Actors.Io.Tls;
using StreamTcp = Akka.Streams.Dsl.Tcp;

namespace Epsilon.Actors.Http.Server;

/// <summary>
/// The whole HTTP server stack of one binding, assembled in one place.
/// <code>
///   application: HttpHandler (guarded) | Flow&lt;HttpRequest,HttpResponse&gt; (per connection) | actor (ask)
///        ^ HttpRequest (.Connection)         | HttpResponse (or .Upgrade(protocol, flow))
///        |                                   v
///   +----------------------------------------------------------+
///   | Http1ServerStage  (one per connection)                   |
///   |   Http1RequestParser -> HttpRequest (strict or streamed) |
///   |   Http1ServerStateMachine: order, keep-alive, 100, 101   |
///   |   Http1ResponseWriter/ChunkedBodyEncoder &lt;- HttpResponse |
///   |   after a 101: the upgrade's byte flow owns the bytes    |
///   +----------------------------------------------------------+
///        ^ ByteString                        | ByteString
///   +----------------------------------------------------------+
///   | ProtocolSwitchStage (Connections/), only when there is a |
///   | choice: TLS session -> ALPN id; cleartext -> preface;    |
///   | else HTTP/1.1. Other protocols: ServerProtocol.          |
///   +----------------------------------------------------------+
///        ^ ByteString                        | ByteString
///   +----------------------------------------------------------+
///   | transport layers (HttpServerBuilder.WithTransportLayer): |
///   |   plaintext layers, TLS (EnableHttps), ciphertext layers |
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
    // listen-backlog is a deliberate choice: not raised to epsilon.io.tcp.min-backlog.
    private static readonly System.Collections.Immutable.IImmutableList<Inet.SocketOption> s_listenOptions =
        System.Collections.Immutable.ImmutableList.Create(TcpOptions.ExactBacklog);

    /// <summary>
    /// The byte flow serving one connection, transport layers included; it may be materialized
    /// for any number of connections, all with <paramref name="info"/> (each with its own TLS session).
    /// </summary>
    public static Flow<ByteString, ByteString, NotUsed> Connection(
        HttpServerSettings settings,
        Func<IMaterializer, ServerHandler> handlerFactory,
        ServerTransport? transport,
        ConnectionInfo? info,
        HttpServerConnections? connections)
    {
        transport ??= ServerTransport.None;
        var connection = new ServerConnection(info ?? ConnectionInfo.Unknown, connections, transport.Protocols);
        var http1 = new ServerProtocol("http/1.1", served => Flow.FromGraph(new Http1ServerStage(settings, handlerFactory, served)));
        if (transport.Tls is not { } tls)
        {
            var cleartext = transport.NeedsSwitch
                ? Flow.FromGraph(new ProtocolSwitchStage(connection, http1, false, settings.PrefaceTimeout)).MapMaterializedValue(_ => NotUsed.Instance)
                : http1.Serve(connection);
            // The layer's bottom (wire -> HTTP) feeds the stage; the stage feeds its top (HTTP -> wire).
            return transport.Plaintext is null ? cleartext : transport.Plaintext.Reversed().Join(cleartext);
        }

        // The switch waits for this connection's session: the TLS layer's handshake task completes
        // the switch's materialized value (both per materialization), before TLS emits plaintext.
        var stack = EpsilonTls.Server(tls);
        if (transport.Plaintext is { } above) stack = above.AtopMat(stack, Keep.Right);
        if (transport.Ciphertext is { } below) stack = stack.AtopMat(below, Keep.Left);
        return stack.Reversed().JoinMat(Flow.FromGraph(new ProtocolSwitchStage(connection, http1, true, settings.PrefaceTimeout)), static (handshake, session) =>
        {
            handshake.ContinueWith(static (done, state) =>
            {
                var relay = (TaskCompletionSource<TlsSessionInfo>)state!;
                if (done.IsCompletedSuccessfully) relay.TrySetResult(done.Result);
                else relay.TrySetException(done.Exception?.GetBaseException() ?? new TaskCanceledException());
            }, session, CancellationToken.None, TaskContinuationOptions.ExecuteSynchronously, TaskScheduler.Default);
            return NotUsed.Instance;
        });
    }

    /// <summary>Binds <paramref name="host"/>:<paramref name="port"/> and serves every accepted connection (or refuses it over the limit).</summary>
    public static Task<StreamTcp.ServerBinding> Bind(
        ActorSystem system,
        IMaterializer materializer,
        string host,
        int port,
        HttpServerSettings settings,
        Func<IMaterializer, ServerHandler> handlerFactory,
        ServerTransport transport,
        HttpServerConnections connections)
    {
        var refuse = Flow.FromSinkAndSource(Sink.Cancelled<ByteString>(), Source.Empty<ByteString>());
        var tcp = system.EpsilonTcpStream();
        return tcp
            .Bind(host, port, backlog: settings.ListenBacklog, options: s_listenOptions, halfClose: true)
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
                var info = new ConnectionInfo(incoming.RemoteAddress, incoming.LocalAddress, null);
                var graph = incoming.Flow.Join(Connection(settings, handlerFactory, transport, info, connections));
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
