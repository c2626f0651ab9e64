using Akka;
using Akka.IO;
using Akka.Streams;
using Akka.Streams.Dsl;
using Akka.Streams.Stage;

namespace Epsilon.Actors.Http.Connections;

/// <summary>
/// The logic of a connection stage that can hand its connection to another byte flow: the
/// protocol switch (to the protocol it chose) and the HTTP/1.1 stage (to the flow of an
/// <c>Upgrade</c>). After <see cref="HandOver"/> the stage relays: bytes it had read but not used
/// go to the flow first, then every byte read; bytes it had rendered but not written go out
/// first, then everything the flow emits. The flow runs fused with the stage (the sub-fusing
/// materializer, as Akka HTTP runs its protocol switch), so on the connection's thread; end of
/// input completes the flow's input, the flow's completion completes the output (a FIN), and a
/// failure of the flow cuts the connection.
/// </summary>
internal abstract class HandoverStageLogic : TimerGraphStageLogic
{
    private readonly Inlet<ByteString> _in;
    private readonly Outlet<ByteString> _out;
    private SubSourceOutlet<ByteString>? _toFlow;
    private SubSinkInlet<ByteString>? _fromFlow;
    private ByteString? _pendingInput;
    private ByteString? _pendingOutput;
    private bool _flowOutputDone;

    /// <summary>A logic for <paramref name="shape"/> whose connection ports are <paramref name="in"/> and <paramref name="out"/>.</summary>
    protected HandoverStageLogic(Shape shape, Inlet<ByteString> @in, Outlet<ByteString> @out)
        : base(shape)
    {
        _in = @in;
        _out = @out;
    }

    /// <summary>Whether the connection now belongs to a handed-over flow.</summary>
    protected bool IsHandedOver => _toFlow is not null;

    /// <summary>
    /// Gives the connection to <paramref name="flow"/>: <paramref name="unread"/> (bytes read and
    /// not used) is its first input, <paramref name="unwritten"/> (bytes rendered and not yet
    /// written, such as a 101 head still queued) goes out before its output. Replaces the
    /// handlers of both ports; the caller's own timers and sub-streams are its to stop.
    /// </summary>
    protected void HandOver(Flow<ByteString, ByteString, NotUsed> flow, ByteString unread, ByteString unwritten)
    {
        if (_toFlow is not null) throw new InvalidOperationException("the connection was already handed over");
        _pendingInput = unread.IsEmpty ? null : unread;
        _pendingOutput = unwritten.IsEmpty ? null : unwritten;
        var toFlow = new SubSourceOutlet<ByteString>(this, "handover.in");
        var fromFlow = new SubSinkInlet<ByteString>(this, "handover.out");
        toFlow.SetHandler(new ToFlowHandler(this));
        fromFlow.SetHandler(new FromFlowHandler(this));
        _toFlow = toFlow;
        _fromFlow = fromFlow;
        SetHandler(_in, onPush: OnInputPush, onUpstreamFinish: OnInputFinish, onUpstreamFailure: OnInputFailure);
        SetHandler(_out, onPull: OnOutputPull, onDownstreamFinish: _ => CompleteStage());
        Source.FromGraph(toFlow.Source).Via(flow).RunWith(fromFlow.Sink, SubFusingMaterializer);
        if (IsAvailable(_out)) OnOutputPull();
    }

    /// <summary>Ends the handed-over flow's ports when the stage stops; call from <c>PostStop</c>.</summary>
    protected void StopHandover()
    {
        if (_toFlow is { IsClosed: false } toFlow) toFlow.Fail(new IOException("The connection closed."));
        if (_fromFlow is { IsClosed: false } fromFlow) fromFlow.Cancel();
    }

    private void OnInputPush()
    {
        var bytes = Grab(_in);
        if (_toFlow!.IsAvailable && _pendingInput is null) _toFlow.Push(bytes);
        else _pendingInput = _pendingInput is null ? bytes : _pendingInput.Concat(bytes);
    }

    private void OnInputFinish()
    {
        if (_pendingInput is null && !_toFlow!.IsClosed) _toFlow.Complete();
    }

    private void OnInputFailure(Exception cause)
    {
        if (!_toFlow!.IsClosed) _toFlow.Fail(cause);
    }

    private void OnFlowPull()
    {
        if (_pendingInput is { } pending)
        {
            _pendingInput = null;
            _toFlow!.Push(pending);
            return;
        }

        if (IsClosed(_in)) _toFlow!.Complete();
        else if (!HasBeenPulled(_in)) Pull(_in);
    }

    private void OnOutputPull()
    {
        if (_pendingOutput is { } pending)
        {
            _pendingOutput = null;
            Push(_out, pending);
            return;
        }

        if (_flowOutputDone) Complete(_out);
        else if (!_fromFlow!.HasBeenPulled && !_fromFlow.IsClosed) _fromFlow.Pull();
    }

    private void OnFlowPush() => Push(_out, _fromFlow!.Grab());

    private void OnFlowFinish()
    {
        _flowOutputDone = true;
        if (_pendingOutput is null) Complete(_out);
    }

    private sealed class ToFlowHandler(HandoverStageLogic logic) : OutHandler
    {
        public override void OnPull() => logic.OnFlowPull();

        // The flow reads no more: neither does the connection.
        public override void OnDownstreamFinish(Exception cause) => logic.Cancel(logic._in);
    }

    private sealed class FromFlowHandler(HandoverStageLogic logic) : InHandler
    {
        public override void OnPush() => logic.OnFlowPush();

        public override void OnUpstreamFinish() => logic.OnFlowFinish();

        public override void OnUpstreamFailure(Exception e) => logic.FailStage(e);
    }
}
