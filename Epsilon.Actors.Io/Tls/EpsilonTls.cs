using Akka.Actor;
using Akka.IO;
using AkkaTcp = Akka.IO.Tcp;
using Akka.Streams.Dsl;

namespace Epsilon.Actors.Io.Tls;

/// <summary>
/// TLS for streams and for actors. For streams, <see cref="Client"/> and <see cref="Server"/> are
/// <see cref="BidiFlow{TIn1,TOut1,TIn2,TOut2,TMat}"/>s of plaintext ⇄ ciphertext that join any
/// <c>Flow&lt;ByteString, ByteString&gt;</c> transport; for actors, <see cref="ConnectProps"/>
/// and <see cref="BindProps"/> wrap Epsilon's TCP manager so that the handler speaks plain
/// <c>Tcp.Write</c>/<c>Tcp.Received</c> over TLS.
/// </summary>
/// <remarks>
/// <code>
///            plaintext                 ciphertext
///  app  ──► In1 ─────────┐        ┌──► Out1 ──► network
///                       TLS (SslStream)
///  app  ◄── Out2 ◄───────┘        └─── In2 ◄── network
/// </code>
/// </remarks>
public static class EpsilonTls
{
    /// <summary>
    /// A TLS client: plaintext (top, left to right) to ciphertext, ciphertext (bottom, right to
    /// left) to plaintext. Join it with a TCP connection flow:
    /// <c>EpsilonTls.Client(options).Join(tcpFlow)</c> is a plaintext <c>Flow</c>. Materializes the
    /// handshake's outcome: the negotiated session, or a <see cref="TlsException"/> naming why it
    /// failed (the stream fails with the same exception).
    /// </summary>
    public static BidiFlow<ByteString, ByteString, ByteString, ByteString, Task<TlsSessionInfo>> Client(TlsClientOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        return Composite(new TlsStage(options, null));
    }

    /// <summary>
    /// A TLS server, shaped like <see cref="Client"/> (plaintext on the left, ciphertext on the
    /// right). For an accepted connection use <see cref="ServerFlow"/>, or
    /// <c>EpsilonTls.Server(options).Reversed().Join(plaintextHandler)</c>: both are the ciphertext
    /// flow to hand to the connection.
    /// </summary>
    public static BidiFlow<ByteString, ByteString, ByteString, ByteString, Task<TlsSessionInfo>> Server(TlsServerOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        return Composite(new TlsStage(null, options));
    }

    /// <summary>
    /// The stage inside a graph-DSL composite. Akka.NET 1.5.73 ignores <c>Reversed()</c> on a
    /// BidiFlow made straight from one GraphStage (the atomic module keeps its port order, so a
    /// reversed TLS server silently wires ciphertext into the plaintext side); a composite
    /// reverses correctly.
    /// </summary>
    private static BidiFlow<ByteString, ByteString, ByteString, ByteString, Task<TlsSessionInfo>> Composite(TlsStage stage) =>
        BidiFlow.FromGraph(GraphDsl.Create(stage, (_, tls) => new Akka.Streams.BidiShape<ByteString, ByteString, ByteString, ByteString>(tls.Inlet1, tls.Outlet1, tls.Inlet2, tls.Outlet2)));

    /// <summary>
    /// The ciphertext flow for one accepted connection: TLS around <paramref name="handler"/>, which
    /// receives the client's plaintext and emits the answers. Materializes the session.
    /// </summary>
    public static Flow<ByteString, ByteString, Task<TlsSessionInfo>> ServerFlow<TMat>(TlsServerOptions options, Flow<ByteString, ByteString, TMat> handler)
    {
        ArgumentNullException.ThrowIfNull(handler);
        return Flow.FromGraph(GraphDsl.Create(Server(options), handler, Keep.Left, (builder, tls, app) =>
        {
            builder.From(tls.Outlet2).Via(app).To(tls.Inlet1);
            return new Akka.Streams.FlowShape<ByteString, ByteString>(tls.Inlet2, tls.Outlet1);
        }));
    }

    /// <summary>
    /// Props of an actor that opens a TLS connection through Epsilon's TCP manager: it sends
    /// <paramref name="connect"/> to <c>system.EpsilonTcp()</c>, runs the handshake, then sends
    /// <paramref name="commander"/> the <see cref="TlsSessionInfo"/> followed by Akka.IO's
    /// <c>Tcp.Connected</c> (the actor is the sender). From then on it speaks Akka.IO's protocol:
    /// <c>Register</c>, <c>Write</c> (with acks), <c>Received</c>, <c>Close</c>,
    /// <c>ConfirmedClose</c>, <c>Abort</c>, <c>SuspendReading</c>/<c>ResumeReading</c> and the close
    /// events. A failed connect or handshake answers <c>Tcp.CommandFailed(connect)</c> whose cause
    /// is the <see cref="TlsException"/> (or the TCP failure) and the actor stops.
    /// </summary>
    public static Props ConnectProps(IActorRef commander, AkkaTcp.Connect connect, TlsClientOptions options)
    {
        ArgumentNullException.ThrowIfNull(commander);
        ArgumentNullException.ThrowIfNull(connect);
        ArgumentNullException.ThrowIfNull(options);
        return EventLoops.DirectProducer<TlsConnectionActor>.Props(() => new TlsConnectionActor(commander, connect, options, null, null));
    }

    /// <summary>
    /// Props of a TLS listener: it sends <paramref name="bind"/> (with itself as the TCP handler) to
    /// <c>system.EpsilonTcp()</c> and relays <c>Tcp.Bound</c> or <c>Tcp.CommandFailed(bind)</c> to
    /// <paramref name="commander"/>. Each accepted connection gets its own TLS adapter, which runs
    /// the handshake and then sends <c>bind.Handler</c> the <see cref="TlsSessionInfo"/> and
    /// <c>Tcp.Connected</c> (the adapter is the sender), exactly as Akka.IO's listener would. A
    /// failed handshake is logged and closes that connection only; the handler never hears of it.
    /// <c>Tcp.Unbind</c> sent to the listener answers <c>Tcp.Unbound</c>.
    /// </summary>
    public static Props BindProps(IActorRef commander, AkkaTcp.Bind bind, TlsServerOptions options)
    {
        ArgumentNullException.ThrowIfNull(commander);
        ArgumentNullException.ThrowIfNull(bind);
        ArgumentNullException.ThrowIfNull(options);
        return EventLoops.DirectProducer<TlsListenerActor>.Props(() => new TlsListenerActor(commander, bind, options));
    }
}
