using System.Net;
using Akka.Actor;
using Akka.IO;
using Akka.Pattern;
using Akka.Streams;
using Akka.Streams.Stage;

namespace Epsilon.Actors.Io.Streams;

/// <summary>
/// The flow of one accepted connection (the <c>Flow</c> of an <c>IncomingConnection</c>). It can
/// be materialized once; <see cref="TryClaim"/> also lets the connection source take an
/// unmaterialized connection back (to reset it) after its binding is gone.
/// </summary>
internal sealed class IncomingConnectionStage : GraphStage<FlowShape<ByteString, ByteString>>
{
    private readonly EndPoint _remote;
    private readonly bool _halfClose;
    private int _claimed;

    /// <summary>
    /// Creates the flow of <paramref name="connection"/>, an unregistered Epsilon connection actor
    /// whose event loop is the dispatcher <paramref name="loopDispatcher"/>.
    /// </summary>
    /// <remarks>
    /// The loop's dispatcher is only recorded (<see cref="LoopDispatcher"/>, read by
    /// <c>LoopDispatcherOf</c>), not set as the stage's attribute: an attribute on this stage
    /// alone would make it an island of its own, with a thread hop to the user's joined stages
    /// on every element (measured: <c>stream-echo</c> as shipped fell from 0.89× to 0.70× the
    /// actor echo's rate). The whole joined graph goes on the loop when it is run with that
    /// dispatcher, as the HTTP server does (see docs/streams.md).
    /// </remarks>
    public IncomingConnectionStage(IActorRef connection, EndPoint remote, bool halfClose, string? loopDispatcher = null)
    {
        Connection = connection;
        _remote = remote;
        _halfClose = halfClose;
        LoopDispatcher = loopDispatcher;
        Shape = new FlowShape<ByteString, ByteString>(new Inlet<ByteString>("IncomingConnectionStage.in"), new Outlet<ByteString>("IncomingConnectionStage.out"));
        InitialAttributes = s_name;
    }

    private static readonly Attributes s_name = Attributes.CreateName("EpsilonIncomingConnection");

    /// <summary>The dispatcher id of the event loop that owns the socket (null when not known).</summary>
    public string? LoopDispatcher { get; }

    /// <summary>The connection actor.</summary>
    public IActorRef Connection { get; }

    /// <inheritdoc />
    public override FlowShape<ByteString, ByteString> Shape { get; }

    /// <inheritdoc />
    protected override Attributes InitialAttributes { get; }

    /// <summary>Whether the flow was materialized or taken back.</summary>
    public bool IsClaimed => Volatile.Read(ref _claimed) != 0;

    /// <summary>Claims the connection: true once, for whoever comes first (materialization or reset).</summary>
    public bool TryClaim() => Interlocked.Exchange(ref _claimed, 1) == 0;

    /// <inheritdoc />
    protected override GraphStageLogic CreateLogic(Attributes inheritedAttributes)
    {
        if (!TryClaim())
            throw new IllegalStateException($"The flow of the connection from {_remote} was already materialized (or reset after its binding was unbound); it can be materialized once.");
        return new TcpStreamLogic(Shape, Connection, _remote, _halfClose);
    }

    /// <inheritdoc />
    public override string ToString() => $"EpsilonTcp-from({_remote})";
}
