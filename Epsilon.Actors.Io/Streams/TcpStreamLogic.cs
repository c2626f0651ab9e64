using System.Net;
using Akka.Actor;
using Akka.IO;
using Akka.Streams;
using Akka.Streams.Implementation;
using Akka.Streams.Stage;
using AkkaTcp = Akka.IO.Tcp;
using StreamTcp = Akka.Streams.Dsl.Tcp;

namespace Epsilon.Actors.Io.Streams;

/// <summary>
/// One TCP connection as a <c>Flow&lt;ByteString, ByteString&gt;</c>: the stage actor is the
/// connection's handler, registered in Akka.IO pull mode, so the socket is read exactly as fast
/// as downstream pulls (one <c>ResumeReading</c> per pull, one <c>Received</c> per read) and
/// upstream is pulled again only when the previous element's <c>Write</c> is acknowledged, that
/// is, when its last byte is in the kernel. Shared by accepted and outgoing connections.
/// </summary>
/// <remarks>
/// Close rules (Akka.Streams' <c>halfClose</c>): upstream completion sends <c>ConfirmedClose</c>
/// (our FIN, reading continues until the peer's) with half-close on, <c>Close</c> with it off or
/// when downstream is already done. The peer's FIN completes downstream; writing continues.
/// Downstream cancellation alone keeps the connection: reading goes on, discarded, until upstream
/// completes, since a protocol's last answer may still be on its way (as Akka.Streams). Failures
/// on either side abort (reset) the connection; socket errors fail the stage with
/// <see cref="StreamTcpException"/>.
/// </remarks>
internal sealed class TcpStreamLogic : InAndOutGraphStageLogic
{
    private readonly Inlet<ByteString> _in;
    private readonly Outlet<ByteString> _out;
    private readonly EndPoint _remote;
    private readonly bool _halfClose;
    private readonly IActorRef? _manager;
    private readonly AkkaTcp.Connect? _connect;
    private readonly TaskCompletionSource<StreamTcp.OutgoingConnection>? _connected;
    private IActorRef? _connection;
    private ByteString? _readAhead;
    private bool _inputFinishedBeforeConnect;
    private Exception? _failure;

    /// <summary>A logic for an accepted connection, which is registered at start.</summary>
    public TcpStreamLogic(FlowShape<ByteString, ByteString> shape, IActorRef connection, EndPoint remote, bool halfClose)
        : base(shape)
    {
        _in = shape.Inlet;
        _out = shape.Outlet;
        _connection = connection;
        _remote = remote;
        _halfClose = halfClose;
        SetHandler(_in, this);
        SetHandler(_out, this);
    }

    /// <summary>A logic that first sends <paramref name="connect"/> (pull mode) to <paramref name="manager"/>.</summary>
    public TcpStreamLogic(FlowShape<ByteString, ByteString> shape, IActorRef manager, AkkaTcp.Connect connect, bool halfClose,
        TaskCompletionSource<StreamTcp.OutgoingConnection> connected)
        : base(shape)
    {
        _in = shape.Inlet;
        _out = shape.Outlet;
        _manager = manager;
        _connect = connect;
        _remote = connect.RemoteAddress;
        _halfClose = halfClose;
        _connected = connected;
        SetHandler(_in, this);
        SetHandler(_out, this);
    }

    /// <inheritdoc />
    public override void PreStart()
    {
        // The stage lives until the connection reports its end, whatever the ports do.
        SetKeepGoing(true);
        var actor = GetStageActor(OnMessage);
        if (_connection is { } connection)
        {
            actor.Watch(connection);
            connection.Tell(new AkkaTcp.Register(actor.Ref, keepOpenOnPeerClosed: true, useResumeWriting: false), actor.Ref);
            Pull(_in);
        }
        else
        {
            actor.Watch(_manager!);
            _manager!.Tell(_connect!, actor.Ref);
        }
    }

    /// <inheritdoc />
    public override void OnPull()
    {
        if (_readAhead is { } data)
        {
            _readAhead = null;
            Push(_out, data);
            return;
        }

        _connection?.Tell(AkkaTcp.ResumeReading.Instance, StageActor.Ref);
    }

    /// <inheritdoc />
    public override void OnDownstreamFinish(Exception cause)
    {
        if (cause is SubscriptionWithCancelException.NonFailureCancellation)
        {
            if (_connection is null) return; // decided when connected
            OnOutputCancelled();
            return;
        }

        AbortWith(cause);
    }

    /// <inheritdoc />
    public override void OnPush()
    {
        _connection!.Tell(AkkaTcp.Write.Create(Grab(_in), WriteAck.Instance), StageActor.Ref);
    }

    /// <inheritdoc />
    public override void OnUpstreamFinish()
    {
        if (_connection is null)
        {
            _inputFinishedBeforeConnect = true;
            return;
        }

        CloseOutput();
    }

    /// <inheritdoc />
    public override void OnUpstreamFailure(Exception e) => AbortWith(e);

    // Resets the connection (once it exists) and fails with the cause when it reports Aborted,
    // so no event of the connection is left to reach a stopped stage actor.
    private void AbortWith(Exception cause)
    {
        if (_connection is null)
        {
            // Still connecting: fail now rather than wait for the connect's outcome. A connection
            // made afterwards finds no handler and is reset by its register timeout.
            Fail(cause);
            return;
        }

        if (_failure is not null) return;
        _failure = cause;
        if (!IsClosed(_in)) Cancel(_in);
        _connection.Tell(AkkaTcp.Abort.Instance, StageActor.Ref);
    }

    private void OnMessage((IActorRef Sender, object Message) args)
    {
        switch (args.Message)
        {
            case AkkaTcp.Received received:
                if (IsClosed(_out)) _connection!.Tell(AkkaTcp.ResumeReading.Instance, StageActor.Ref); // no read side to close in TCP: discard
                else if (IsAvailable(_out)) Push(_out, received.Data);
                else _readAhead = _readAhead is null ? received.Data : _readAhead.Concat(received.Data); // read on the connection's own (confirming a close)
                break;
            case WriteAck:
                if (!IsClosed(_in)) Pull(_in);
                break;
            case AkkaTcp.PeerClosed:
                if (IsClosed(_out)) break;
                if (_readAhead is null) Complete(_out);
                else EmitThenComplete(); // the last read, then completion
                break;
            case AkkaTcp.Closed or AkkaTcp.ConfirmedClosed:
                if (_readAhead is { } last && !IsClosed(_out)) Emit(_out, last, CompleteStage);
                else CompleteStage();
                break;
            case AkkaTcp.Aborted:
                Fail(_failure ?? new StreamTcpException($"The connection to {_remote} was aborted"));
                break;
            case AkkaTcp.ErrorClosed error:
                Fail(new StreamTcpException($"The connection to {_remote} closed with an error: {error.Cause}", new IOException(error.Cause)));
                break;
            case AkkaTcp.Connected connected when _connection is null:
                OnConnected(args.Sender, connected);
                break;
            case AkkaTcp.CommandFailed failed:
                var cause = failed.Cause.HasValue ? failed.Cause.Value : null;
                var what = failed.Cmd is AkkaTcp.Connect ? $"Could not connect to {_remote}" : $"{failed.Cmd.GetType().Name} failed on the connection to {_remote}";
                Fail(new StreamTcpException(cause is null ? what : $"{what}: {cause.Message}", cause!));
                break;
            case Terminated terminated when terminated.ActorRef.Equals(_connection):
                Fail(_failure ?? new StreamTcpException($"The connection actor for {_remote} stopped"));
                break;
            case Terminated:
                Fail(new StreamTcpException("The Epsilon TCP manager stopped before the connection was made"));
                break;
        }
    }

    private void EmitThenComplete()
    {
        var last = _readAhead!;
        _readAhead = null;
        Emit(_out, last, () => Complete(_out));
    }

    private void OnConnected(IActorRef connection, AkkaTcp.Connected connected)
    {
        _connection = connection;
        StageActor.Unwatch(_manager!);
        StageActor.Watch(connection);
        connection.Tell(new AkkaTcp.Register(StageActor.Ref, keepOpenOnPeerClosed: true, useResumeWriting: false), StageActor.Ref);
        _connected!.TrySetResult(new StreamTcp.OutgoingConnection(connected.RemoteAddress, connected.LocalAddress));
        if (IsClosed(_out))
        {
            if (OnOutputCancelled()) return;
        }
        else if (IsAvailable(_out))
        {
            connection.Tell(AkkaTcp.ResumeReading.Instance, StageActor.Ref);
        }

        if (_inputFinishedBeforeConnect) CloseOutput();
        else if (!IsClosed(_in)) Pull(_in);
    }

    // Downstream no longer wants bytes (and did not fail). True when the connection is closing.
    private bool OnOutputCancelled()
    {
        if (IsClosed(_in))
        {
            // Both directions done: pending writes go out, then the FIN; Closed completes the stage.
            _connection!.Tell(AkkaTcp.Close.Instance, StageActor.Ref);
            return true;
        }

        // TCP has no closing of the read side alone: keep reading, discarded, until the input
        // completes (a protocol's last answer may still be on its way to the input).
        _connection!.Tell(AkkaTcp.ResumeReading.Instance, StageActor.Ref);
        return false;
    }

    // Upstream completed: our FIN after the pending writes.
    private void CloseOutput()
    {
        var command = IsClosed(_out) || !_halfClose ? (AkkaTcp.CloseCommand)AkkaTcp.Close.Instance : AkkaTcp.ConfirmedClose.Instance;
        _connection!.Tell(command, StageActor.Ref);
    }

    private void Fail(Exception cause)
    {
        _connected?.TrySetException(cause);
        FailStage(cause);
    }

    /// <inheritdoc />
    public override void PostStop()
    {
        _connected?.TrySetException(new StreamTcpException($"The connection to {_remote} was not made: the stream stopped first"));
    }

    private sealed class WriteAck : AkkaTcp.Event
    {
        public static readonly WriteAck Instance = new();
    }
}
