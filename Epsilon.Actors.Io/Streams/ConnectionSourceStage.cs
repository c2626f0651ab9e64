using System.Collections.Immutable;
using System.Net;
using Akka;
using Akka.Actor;
using Akka.IO;
using Akka.Streams;
using Akka.Streams.Dsl;
using Akka.Streams.Stage;
using AkkaTcp = Akka.IO.Tcp;
using StreamTcp = Akka.Streams.Dsl.Tcp;

namespace Epsilon.Actors.Io.Streams;

/// <summary>
/// The source of a server's connections: binds in pull mode and, once downstream has pulled,
/// keeps up to <c>epsilon.io.tcp.batch-accept-limit</c> connections accepted ahead of its pulls
/// (<c>ResumeAccepting(n)</c> whenever the previous budget is spent and half the window is free),
/// so a burst of connects is taken off the kernel's backlog at the listener's pace rather than one
/// stage round trip per connection. A source never pulled accepts nothing, and one whose
/// downstream stops pulling holds at most that many; the kernel's backlog does the rest of the
/// waiting. Materializes the <c>ServerBinding</c> (or the bind's failure).
/// </summary>
internal sealed class ConnectionSourceStage : GraphStageWithMaterializedValue<SourceShape<StreamTcp.IncomingConnection>, Task<StreamTcp.ServerBinding>>
{
    private readonly IActorRef _manager;
    private readonly EndPoint _endPoint;
    private readonly int _backlog;
    private readonly IImmutableList<Inet.SocketOption>? _options;
    private readonly bool _halfClose;
    private readonly TimeSpan? _idleTimeout;
    private readonly TimeSpan _bindShutdownTimeout;

    /// <summary>Creates the stage; nothing is bound until it is materialized.</summary>
    public ConnectionSourceStage(IActorRef manager, EndPoint endPoint, int backlog, IImmutableList<Inet.SocketOption>? options,
        bool halfClose, TimeSpan? idleTimeout, TimeSpan bindShutdownTimeout)
    {
        _manager = manager;
        _endPoint = endPoint;
        _backlog = backlog;
        _options = options;
        _halfClose = halfClose;
        _idleTimeout = idleTimeout;
        _bindShutdownTimeout = bindShutdownTimeout;
        Shape = new SourceShape<StreamTcp.IncomingConnection>(new Outlet<StreamTcp.IncomingConnection>("ConnectionSourceStage.out"));
    }

    /// <inheritdoc />
    public override SourceShape<StreamTcp.IncomingConnection> Shape { get; }

    /// <inheritdoc />
    protected override Attributes InitialAttributes { get; } = Attributes.CreateName("EpsilonConnectionSource");

    /// <inheritdoc />
    public override ILogicAndMaterializedValue<Task<StreamTcp.ServerBinding>> CreateLogicAndMaterializedValue(Attributes inheritedAttributes)
    {
        var binding = new TaskCompletionSource<StreamTcp.ServerBinding>(TaskCreationOptions.RunContinuationsAsynchronously);
        return new LogicAndMaterializedValue<Task<StreamTcp.ServerBinding>>(new Logic(this, binding), binding.Task);
    }

    /// <inheritdoc />
    public override string ToString() => $"EpsilonTcp-bind({_endPoint})";

    private sealed class Logic : TimerGraphStageLogic, IOutHandler
    {
        private const string ShutdownTimer = "bind-shutdown";
        private const string ShutdownPoll = "bind-shutdown-poll";

        private readonly ConnectionSourceStage _stage;
        private readonly Outlet<StreamTcp.IncomingConnection> _out;
        private readonly TaskCompletionSource<StreamTcp.ServerBinding> _binding;
        private readonly TaskCompletionSource _unbound = new(TaskCreationOptions.RunContinuationsAsynchronously);
        private readonly List<IncomingConnectionStage> _emitted = [];
        private readonly Queue<(IActorRef Connection, AkkaTcp.Connected Connected)> _ahead = new();
        private int _window = 1;
        private int _credit; // accepts the listener may still make under the last ResumeAccepting
        private bool _pulled;
        private IActorRef? _listener;
        private EpsilonIoExt? _io;
        private bool _unbinding;
        private int _pruneAt = 64;

        public Logic(ConnectionSourceStage stage, TaskCompletionSource<StreamTcp.ServerBinding> binding)
            : base(stage.Shape)
        {
            _stage = stage;
            _out = stage.Shape.Outlet;
            _binding = binding;
            SetHandler(_out, this);
        }

        public override void PreStart()
        {
            _io = Materializer is ActorMaterializer materializer ? EpsilonIo.For(materializer.System) : null;
            if (_io is not null) _window = _io.Settings.Tcp.BatchAcceptLimit;
            GetStageActor(OnMessage);
            switch (_stage._endPoint)
            {
                case DnsEndPoint dns:
                    // Epsilon's listener binds IP endpoints: resolve off the stream's thread.
                    var resolved = GetAsyncCallback<Task<IPAddress[]>>(t => OnResolved(dns, t));
                    System.Net.Dns.GetHostAddressesAsync(dns.Host).ContinueWith(resolved, TaskScheduler.Default);
                    break;
                default:
                    SendBind(_stage._endPoint);
                    break;
            }
        }

        private void OnResolved(DnsEndPoint dns, Task<IPAddress[]> lookup)
        {
            var address = lookup.IsCompletedSuccessfully
                ? lookup.Result.FirstOrDefault(a => a.AddressFamily == System.Net.Sockets.AddressFamily.InterNetwork) ?? lookup.Result.FirstOrDefault()
                : null;
            if (address is null)
            {
                var cause = lookup.Exception?.GetBaseException() ?? new System.Net.Sockets.SocketException((int)System.Net.Sockets.SocketError.HostNotFound);
                FailBind(new StreamTcpException($"Bind to {dns.Host}:{dns.Port} failed: {cause.Message}", cause));
                return;
            }

            SendBind(new IPEndPoint(address, dns.Port));
        }

        private void SendBind(EndPoint endPoint) =>
            _stage._manager.Tell(new AkkaTcp.Bind(StageActor.Ref, endPoint, _stage._backlog, _stage._options, pullMode: true), StageActor.Ref);

        public void OnPull()
        {
            _pulled = true;
            if (_ahead.TryDequeue(out var next)) Emit(next.Connection, next.Connected);
            RequestAccepts();
        }

        // ResumeAccepting(n) sets the listener's budget (Akka.IO's semantics), so a new one is sent
        // only when the last is spent: then the listener's budget is 0 too, and the two agree.
        private void RequestAccepts()
        {
            if (_listener is null || _unbinding || !_pulled || _credit > 0 || _ahead.Count > _window / 2) return;
            _credit = _window - _ahead.Count;
            _listener.Tell(new AkkaTcp.ResumeAccepting(_credit), StageActor.Ref);
        }

        public void OnDownstreamFinish(Exception cause) => TryUnbind();

        private void OnMessage((IActorRef Sender, object Message) args)
        {
            switch (args.Message)
            {
                case AkkaTcp.Bound bound:
                    OnBound(args.Sender, bound);
                    break;
                case AkkaTcp.CommandFailed failed:
                    var cause = failed.Cause.HasValue ? failed.Cause.Value : null;
                    FailBind(new StreamTcpException($"Bind to {_stage._endPoint} failed{(cause is null ? "" : ": " + cause.Message)}", cause!));
                    break;
                case AkkaTcp.Connected connected:
                    OnConnected(args.Sender, connected);
                    break;
                case AkkaTcp.Unbind:
                    TryUnbind();
                    break;
                case AkkaTcp.Unbound:
                    OnUnbound();
                    break;
                case Terminated when _unbinding:
                    OnUnbound();
                    break;
                case Terminated:
                    FailStage(new StreamTcpException($"The listener on {_stage._endPoint} stopped unexpectedly"));
                    break;
            }
        }

        private void OnBound(IActorRef listener, AkkaTcp.Bound bound)
        {
            _listener = listener;
            StageActor.Watch(listener);
            RequestAccepts();
            var self = StageActor.Ref;
            var unbound = _unbound;
            _binding.TrySetResult(new StreamTcp.ServerBinding(bound.LocalAddress, () =>
            {
                // The stage actor may be gone by now: then this lands in dead letters, and the
                // task is already complete.
                if (!unbound.Task.IsCompleted) self.Tell(AkkaTcp.Unbind.Instance, self);
                return unbound.Task;
            }));
        }

        private void OnConnected(IActorRef connection, AkkaTcp.Connected connected)
        {
            if (_credit > 0) _credit--;
            if (IsClosed(_out) || _unbinding)
            {
                // Accepted just as the source went away: nobody will handle it.
                connection.Tell(AkkaTcp.Abort.Instance, StageActor.Ref);
                return;
            }

            if (IsAvailable(_out)) Emit(connection, connected);
            else _ahead.Enqueue((connection, connected));
            RequestAccepts();
        }

        private void Emit(IActorRef connection, AkkaTcp.Connected connected)
        {
            var stage = new IncomingConnectionStage(connection, connected.RemoteAddress, _stage._halfClose, _io?.LoopDispatcherOf(connection));
            Track(stage);
            var flow = Flow.FromGraph(stage);
            if (_stage._idleTimeout is { } idle) flow = flow.Join(IdleTimeoutBidi.Create(idle, connected.RemoteAddress));
            Push(_out, new StreamTcp.IncomingConnection(connected.LocalAddress, connected.RemoteAddress, flow));
        }

        // Emitted connections are remembered until materialized, so the ones never materialized
        // can be reset after an unbind; the list is pruned as it grows.
        private void Track(IncomingConnectionStage stage)
        {
            _emitted.Add(stage);
            if (_emitted.Count < _pruneAt) return;
            _emitted.RemoveAll(s => s.IsClaimed);
            _pruneAt = Math.Max(64, _emitted.Count * 2);
        }

        private void TryUnbind()
        {
            if (_unbinding) return;
            _unbinding = true;
            SetKeepGoing(true);
            AbortAhead();
            if (_listener is null)
            {
                // Not bound yet (or the bind failed): nothing to unbind.
                _unbound.TrySetResult();
                CompleteStage();
                return;
            }

            _listener.Tell(AkkaTcp.Unbind.Instance, StageActor.Ref);
        }

        private void OnUnbound()
        {
            if (_listener is { } listener) StageActor.Unwatch(listener);
            _listener = null;
            _unbound.TrySetResult();
            _emitted.RemoveAll(s => s.IsClaimed);
            if (_emitted.Count == 0)
            {
                CompleteStage();
                return;
            }

            ScheduleOnce(ShutdownTimer, _stage._bindShutdownTimeout);
            ScheduleRepeatedly(ShutdownPoll, TimeSpan.FromMilliseconds(Math.Min(100, _stage._bindShutdownTimeout.TotalMilliseconds)));
        }

        protected override void OnTimer(object timerKey)
        {
            if (ShutdownPoll.Equals(timerKey))
            {
                _emitted.RemoveAll(s => s.IsClaimed);
                if (_emitted.Count == 0) CompleteStage();
                return;
            }

            // Connections still not materialized: reset them rather than let them wait for their
            // register timeout.
            foreach (var stage in _emitted)
            {
                if (stage.TryClaim()) stage.Connection.Tell(AkkaTcp.Abort.Instance, StageActor.Ref);
            }

            _emitted.Clear();
            CompleteStage();
        }

        private void FailBind(Exception cause)
        {
            _binding.TrySetException(cause);
            _unbound.TrySetResult();
            FailStage(cause);
        }

        // Accepted ahead but never emitted: nobody will handle them, so reset them now rather
        // than let them wait for their register timeout.
        private void AbortAhead()
        {
            while (_ahead.TryDequeue(out var ahead)) ahead.Connection.Tell(AkkaTcp.Abort.Instance, ActorRefs.NoSender);
        }

        public override void PostStop()
        {
            if (_ahead.Count > 0) AbortAhead();
            _unbound.TrySetResult();
            _binding.TrySetException(new StreamTcpException($"The binding to {_stage._endPoint} was cancelled before it was made"));
        }
    }
}
