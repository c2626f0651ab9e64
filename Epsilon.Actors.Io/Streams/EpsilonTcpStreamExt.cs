using System.Collections.Immutable;
using System.Net;
using Akka;
using Akka.Actor;
using Akka.IO;
using Akka.Streams;
using Akka.Streams.Dsl;
using Epsilon.Actors.Settings;
using StreamTcp = Akka.Streams.Dsl.Tcp;

namespace Epsilon.Actors.Io.Streams;

/// <summary>
/// Akka.Streams TCP over Epsilon's event loops, shaped like Akka.Streams' own <c>TcpExt</c>
/// (<c>system.TcpStream()</c>): a server is a <c>Source</c> of incoming connections, a client
/// connection is a <c>Flow</c> of bytes. Thread-safe; the returned blueprints can be
/// materialized any number of times (each materialization binds or connects anew).
/// </summary>
/// <remarks>
/// <para>Back-pressure is exact: a connection is read only when its flow's downstream pulls (one
/// read, at most <c>epsilon.io.tcp.receive-buffer-size</c> bytes, per pull), so a slow consumer
/// leaves the bytes in the kernel and the peer is slowed by TCP's own window; upstream is pulled
/// again only when the previous element is written to the kernel; an unpulled connection source
/// accepts nothing.</para>
/// <para>Failures are <see cref="StreamTcpException"/>s whose inner exception is the cause
/// (refused, timed out, reset, address in use); idle timeouts are
/// <see cref="TcpIdleTimeoutException"/>, a <see cref="TimeoutException"/>.</para>
/// </remarks>
public sealed class EpsilonTcpStreamExt : IExtension
{
    private readonly IActorRef _manager;

    internal EpsilonTcpStreamExt(ExtendedActorSystem system)
    {
        Settings = EpsilonTcpStreamSettings.FromConfig(EpsilonConfig.Section(system, "epsilon.io.tcp-stream"));
        _manager = EpsilonIo.For(system).TcpManager;
    }

    /// <summary>The settings in force (<c>epsilon.io.tcp-stream</c>).</summary>
    public EpsilonTcpStreamSettings Settings { get; }

    /// <summary>
    /// A source that, when materialized, binds <paramref name="host"/>:<paramref name="port"/> and
    /// emits one <c>IncomingConnection</c> per accepted connection, accepting only while
    /// downstream pulls. Cancelling the source unbinds; connections already emitted live on.
    /// </summary>
    /// <param name="host">An IP address, or a name resolved when materialized (IPv4 first).</param>
    /// <param name="port">The port; 0 picks a free one (see <c>ServerBinding.LocalAddress</c>).</param>
    /// <param name="backlog">The listen backlog. Defaults to 100, as Akka.Streams; 0 or less uses <c>epsilon.io.tcp.default-backlog</c>; raised to <c>epsilon.io.tcp.min-backlog</c> (4096) and capped at the kernel's somaxconn.</param>
    /// <param name="options">Socket options (Akka's <c>Inet.SO.*</c> or Epsilon's <c>TcpOptions</c>) for the listener and every accepted connection.</param>
    /// <param name="halfClose">
    /// False (the default, as Akka.Streams): when a connection flow's upstream completes, or its
    /// downstream cancels, the connection closes. True: each direction ends on its own; upstream
    /// completion only shuts down our sending side (the peer can still send) and the socket closes
    /// when both sides are done.
    /// </param>
    /// <param name="idleTimeout">Fail a connection's flow with <see cref="TcpIdleTimeoutException"/> (and reset it) when no byte passes either way for this long. Defaults to none.</param>
    /// <returns>The source; it materializes the binding, or a <see cref="StreamTcpException"/> whose inner exception says why the bind failed.</returns>
    public Source<StreamTcp.IncomingConnection, Task<StreamTcp.ServerBinding>> Bind(string host, int port, int backlog = 100,
        IImmutableList<Inet.SocketOption>? options = null, bool halfClose = false, TimeSpan? idleTimeout = null) =>
        Source.FromGraph(new ConnectionSourceStage(_manager, EndPointOf(host, port), backlog, options, halfClose, idleTimeout, Settings.BindShutdownTimeout));

    /// <summary>
    /// Binds and handles every accepted connection with a fresh materialization of
    /// <paramref name="handler"/> (<c>connection.HandleWith(handler)</c>). Parameters as in <see cref="Bind"/>.
    /// </summary>
    /// <returns>The binding once bound; unbind it to stop accepting.</returns>
    public Task<StreamTcp.ServerBinding> BindAndHandle(Flow<ByteString, ByteString, NotUsed> handler, IMaterializer materializer, string host, int port,
        int backlog = 100, IImmutableList<Inet.SocketOption>? options = null, bool halfClose = false, TimeSpan? idleTimeout = null) =>
        Bind(host, port, backlog, options, halfClose, idleTimeout)
            .To(Sink.ForEach<StreamTcp.IncomingConnection>(connection => connection.HandleWith(handler, materializer)))
            .Run(materializer);

    /// <summary>
    /// A flow that, when materialized, connects to <paramref name="remoteAddress"/>: bytes pushed
    /// into it are written to the socket, bytes read come out of it.
    /// </summary>
    /// <param name="remoteAddress">An <see cref="IPEndPoint"/>, or a <see cref="DnsEndPoint"/> resolved when materialized.</param>
    /// <param name="localAddress">The local address to bind before connecting; null lets the system choose.</param>
    /// <param name="options">Socket options (Akka's <c>Inet.SO.*</c> or Epsilon's <c>TcpOptions</c>).</param>
    /// <param name="halfClose">
    /// True (the default, as Akka.Streams for clients): upstream completion only shuts down our
    /// sending side, and the response is read until the server closes. False: upstream completion,
    /// or downstream cancellation, closes the connection.
    /// </param>
    /// <param name="connectTimeout">How long connecting may take; null uses <c>epsilon.io.tcp.connect-timeout</c>.</param>
    /// <param name="idleTimeout">Fail with <see cref="TcpIdleTimeoutException"/> (and reset) when no byte passes either way for this long. Defaults to none.</param>
    /// <returns>The flow; it materializes the connection's addresses, or a <see cref="StreamTcpException"/> whose inner exception says why connecting failed (refused, timed out).</returns>
    public Flow<ByteString, ByteString, Task<StreamTcp.OutgoingConnection>> OutgoingConnection(EndPoint remoteAddress, EndPoint? localAddress = null,
        IImmutableList<Inet.SocketOption>? options = null, bool halfClose = true, TimeSpan? connectTimeout = null, TimeSpan? idleTimeout = null)
    {
        ArgumentNullException.ThrowIfNull(remoteAddress);
        var connection = Flow.FromGraph(new OutgoingConnectionStage(_manager, remoteAddress, localAddress, options, halfClose, connectTimeout));
        return idleTimeout is { } idle
            ? IdleTimeoutBidi.Create(idle, remoteAddress).JoinMat(connection, Keep.Right)
            : connection;
    }

    /// <summary>
    /// <see cref="OutgoingConnection(EndPoint, EndPoint?, IImmutableList{Inet.SocketOption}?, bool, TimeSpan?, TimeSpan?)"/>
    /// to <paramref name="host"/> (an IP address or a name, resolved when materialized) and <paramref name="port"/>.
    /// </summary>
    public Flow<ByteString, ByteString, Task<StreamTcp.OutgoingConnection>> OutgoingConnection(string host, int port, EndPoint? localAddress = null,
        IImmutableList<Inet.SocketOption>? options = null, bool halfClose = true, TimeSpan? connectTimeout = null, TimeSpan? idleTimeout = null) =>
        OutgoingConnection(EndPointOf(host, port), localAddress, options, halfClose, connectTimeout, idleTimeout);

    /// <summary>
    /// The dispatcher id of the event loop that owns <paramref name="connection"/>'s socket, or
    /// null when it is not one of Epsilon's connections or <c>epsilon.io.loop-dispatcher</c> is off.
    /// </summary>
    /// <remarks>
    /// An accepted connection's own stage always runs on its loop. Whatever is joined to it
    /// (<c>HandleWith</c>) runs, as in Akka, on the materializer's dispatcher, in an island of its
    /// own. To fuse your stages with it on the loop thread (no thread hop between the socket and
    /// your code), run the joined graph with this dispatcher:
    /// <c>connection.Flow.Join(handler).WithAttributes(ActorAttributes.CreateDispatcher(id)).Run(materializer)</c>.
    /// Those stages then share the loop's thread with all its connections: they must never block.
    /// </remarks>
    public string? LoopDispatcherOf(StreamTcp.IncomingConnection connection)
    {
        return FindStage(connection.Flow.Module, depth: 0)?.LoopDispatcher;
    }

    // The flow is the stage itself, or the stage joined with the idle-timeout BidiFlow.
    private static IncomingConnectionStage? FindStage(Akka.Streams.Implementation.IModule module, int depth)
    {
        switch (module)
        {
            case Akka.Streams.Implementation.Fusing.GraphStageModule { Stage: IncomingConnectionStage stage }:
                return stage;
            case Akka.Streams.Implementation.CopiedModule copied:
                return FindStage(copied.CopyOf, depth + 1);
        }

        if (depth > 8) return null;
        foreach (var sub in module.SubModules)
        {
            if (FindStage(sub, depth + 1) is { } found) return found;
        }

        return null;
    }

    private static EndPoint EndPointOf(string host, int port)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(host);
        ArgumentOutOfRangeException.ThrowIfNegative(port);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(port, IPEndPoint.MaxPort);
        return IPAddress.TryParse(host, out var address) ? new IPEndPoint(address, port) : new DnsEndPoint(host, port);
    }
}
