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
    /// The stage carries the loop's dispatcher as an attribute, so the fused island it joins when
    /// materialized (<c>HandleWith</c>) runs on the loop thread: a read goes from the connection
    /// actor to the stage, and a write back, without a thread hop. A stage the user wants
    /// elsewhere is put behind <c>.Async()</c> or given its own dispatcher attribute (see docs/streams.md).
    /// </remarks>
    public IncomingConnectionStage(IActorRef connection, EndPoint remote, bool halfClose, string? loopDispatcher = null)
    {
        Connection = connection;
        _remote = remote;
        _halfClose = halfClose;
        LoopDispatcher = loopDispatcher;
        Shape = new FlowShape<ByteString, ByteString>(new Inlet<ByteString>("IncomingConnectionStage.in"), new Outlet<ByteString>("IncomingConnectionStage.out"));
        InitialAttributes = loopDispatcher is null ? s_name : s_name.And(ActorAttributes.CreateDispatcher(loopDispatcher));
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
