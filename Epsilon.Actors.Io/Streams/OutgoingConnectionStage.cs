using System.Collections.Immutable;
using System.Net;
using Akka.Actor;
using Akka.IO;
using Akka.Streams;
using Akka.Streams.Stage;
using AkkaTcp = Akka.IO.Tcp;
using StreamTcp = Akka.Streams.Dsl.Tcp;

namespace Epsilon.Actors.Io.Streams;

/// <summary>
/// A client connection as a flow: each materialization sends one pull-mode <c>Tcp.Connect</c> to
/// Epsilon's TCP manager and materializes the <c>OutgoingConnection</c> (addresses) once connected,
/// or the failure's cause.
/// </summary>
internal sealed class OutgoingConnectionStage : GraphStageWithMaterializedValue<FlowShape<ByteString, ByteString>, Task<StreamTcp.OutgoingConnection>>
{
    private readonly IActorRef _manager;
    private readonly EndPoint _remote;
    private readonly EndPoint? _local;
    private readonly IImmutableList<Inet.SocketOption>? _options;
    private readonly bool _halfClose;
    private readonly TimeSpan? _connectTimeout;

    /// <summary>Creates the stage; nothing happens until it is materialized.</summary>
    public OutgoingConnectionStage(IActorRef manager, EndPoint remote, EndPoint? local, IImmutableList<Inet.SocketOption>? options,
        bool halfClose, TimeSpan? connectTimeout)
    {
        _manager = manager;
        _remote = remote;
        _local = local;
        _options = options;
        _halfClose = halfClose;
        _connectTimeout = connectTimeout;
        Shape = new FlowShape<ByteString, ByteString>(new Inlet<ByteString>("OutgoingConnectionStage.in"), new Outlet<ByteString>("OutgoingConnectionStage.out"));
    }

    /// <inheritdoc />
    public override FlowShape<ByteString, ByteString> Shape { get; }

    /// <inheritdoc />
    protected override Attributes InitialAttributes { get; } = Attributes.CreateName("EpsilonOutgoingConnection");

    /// <inheritdoc />
    public override ILogicAndMaterializedValue<Task<StreamTcp.OutgoingConnection>> CreateLogicAndMaterializedValue(Attributes inheritedAttributes)
    {
        var connected = new TaskCompletionSource<StreamTcp.OutgoingConnection>(TaskCreationOptions.RunContinuationsAsynchronously);
        var connect = new AkkaTcp.Connect(_remote, _local, _options, _connectTimeout, pullMode: true);
        var logic = new TcpStreamLogic(Shape, _manager, connect, _halfClose, connected);
        return new LogicAndMaterializedValue<Task<StreamTcp.OutgoingConnection>>(logic, connected.Task);
    }

    /// <inheritdoc />
    public override string ToString() => $"EpsilonTcp-to({_remote})";
}
