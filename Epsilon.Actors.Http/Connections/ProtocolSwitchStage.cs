using System.Buffers;
using Akka.Event;
using Akka.IO;
using Akka.Streams;
using Akka.Streams.Stage;
using Epsilon.Actors.Io.Tls;

namespace Epsilon.Actors.Http.Connections;

/// <summary>
/// Picks the protocol of one connection, then hands the connection to it. Over TLS it waits for
/// the handshake and picks by the negotiated ALPN id (<see cref="ServerProtocol.ApplicationProtocol"/>);
/// on cleartext it reads until the bytes received match a protocol's preface or can no longer
/// match any (<see cref="ProtocolPreface"/>, however the bytes were split), or until the preface
/// timeout. Anything else, and the timeout, goes to the fallback protocol (HTTP/1.1) with every
/// byte read so far. The switch registers the connection for termination and relays the signal
/// to the protocol it chose; before it has chosen, a graceful close closes the connection.
/// </summary>
/// <remarks>The server inserts this stage only when there is a choice to make; a server that speaks
/// HTTP/1.1 alone runs the HTTP/1.1 stage directly on the connection. Over TLS, the materialized
/// value is where the connection's session goes: the server completes it from the TLS layer's
/// materialized handshake task (one per materialization, so one flow serves any number of
/// connections, whatever the order in which stages start).</remarks>
internal sealed class ProtocolSwitchStage : GraphStageWithMaterializedValue<FlowShape<ByteString, ByteString>, TaskCompletionSource<TlsSessionInfo>>
{
    private readonly ServerConnection _connection;
    private readonly ServerProtocol _fallback;
    private readonly bool _tls;
    private readonly TimeSpan _prefaceTimeout;

    /// <summary>
    /// A switch for <paramref name="connection"/> (its registry is the binding's; the chosen
    /// protocol sees the switch instead). With <paramref name="tls"/> it waits for the session
    /// given to its materialized value; else it reads for a preface.
    /// </summary>
    public ProtocolSwitchStage(ServerConnection connection, ServerProtocol fallback, bool tls, TimeSpan prefaceTimeout)
    {
        _connection = connection;
        _fallback = fallback;
        _tls = tls;
        _prefaceTimeout = prefaceTimeout;
        Shape = new FlowShape<ByteString, ByteString>(In, Out);
    }

    /// <summary>Bytes from the transport.</summary>
    public Inlet<ByteString> In { get; } = new("ProtocolSwitchStage.in");

    /// <summary>Bytes to the transport.</summary>
    public Outlet<ByteString> Out { get; } = new("ProtocolSwitchStage.out");

    /// <inheritdoc />
    public override FlowShape<ByteString, ByteString> Shape { get; }

    /// <inheritdoc />
    protected override Attributes InitialAttributes { get; } = Attributes.CreateName("protocol-switch");

    /// <inheritdoc />
    public override ILogicAndMaterializedValue<TaskCompletionSource<TlsSessionInfo>> CreateLogicAndMaterializedValue(Attributes inheritedAttributes)
    {
        var session = new TaskCompletionSource<TlsSessionInfo>();
        return new LogicAndMaterializedValue<TaskCompletionSource<TlsSessionInfo>>(new Logic(this, session.Task), session);
    }

    private sealed class Logic : HandoverStageLogic, IServerConnection
    {
        private const string PrefaceTimer = "preface";

        private readonly ProtocolSwitchStage _stage;
        private readonly Task<TlsSessionInfo> _session;
        private readonly ConnectionControl _control = new();
        private ByteString _received = ByteString.Empty;
        private Action<bool>? _onControl;

        public Logic(ProtocolSwitchStage stage, Task<TlsSessionInfo> session)
            : base(stage.Shape, stage.In, stage.Out)
        {
            _stage = stage;
            _session = session;
            SetHandler(stage.In, onPush: OnPush, onUpstreamFinish: () => Choose(_stage._fallback, "the client closed its side first"), onUpstreamFailure: FailStage);
            SetHandler(stage.Out, onPull: () => { }, onDownstreamFinish: _ => CompleteStage());
        }

        public override void PreStart()
        {
            _onControl = GetAsyncCallback<bool>(OnControl);
            _stage._connection.Registry?.Register(this);
            if (_stage._tls)
            {
                var tls = _session;
                if (tls.IsCompleted) OnSession(tls);
                else
                {
                    var onSession = GetAsyncCallback<Task<TlsSessionInfo>>(OnSession);
                    tls.ContinueWith(onSession, CancellationToken.None, TaskContinuationOptions.ExecuteSynchronously, TaskScheduler.Default);
                }

                return;
            }

            ScheduleOnce(PrefaceTimer, _stage._prefaceTimeout);
            Pull(_stage.In);
        }

        public override void PostStop()
        {
            StopHandover();
            _stage._connection.Registry?.Release(this);
        }

        void IServerConnection.BeginGracefulClose()
        {
            _control.BeginGracefulClose();
            _onControl?.Invoke(false);
        }

        void IServerConnection.Abort() => _onControl?.Invoke(true);

        private void OnControl(bool abort)
        {
            // Before a protocol took the connection nothing is in progress; after, the protocol decides (through the control).
            if (abort || !IsHandedOver) CompleteStage();
        }

        private void OnSession(Task<TlsSessionInfo> session)
        {
            if (IsHandedOver) return;
            if (!session.IsCompletedSuccessfully)
            {
                _ = session.Exception;
                // The TLS stage fails the connection's streams itself and logs why.
                CompleteStage();
                return;
            }

            var info = session.Result;
            var chosen = _stage._fallback;
            foreach (var protocol in _stage._connection.Protocols)
            {
                if (protocol.ApplicationProtocol is { } id && string.Equals(id, info.ApplicationProtocol, StringComparison.Ordinal))
                {
                    chosen = protocol;
                    break;
                }
            }

            HandTo(chosen, _stage._connection.Info with { Tls = info });
        }

        private void OnPush()
        {
            _received = _received.Concat(Grab(_stage.In));
            var received = new ReadOnlySequence<byte>(_received.ToArray());
            switch (ProtocolPreface.Match(received, _stage._connection.Protocols, out var matched))
            {
                case PrefaceMatch.Matched:
                    Choose(matched!, "its preface");
                    return;
                case PrefaceMatch.None:
                    HandTo(_stage._fallback, _stage._connection.Info);
                    return;
                default:
                    Pull(_stage.In);
                    return;
            }
        }

        protected override void OnTimer(object timerKey)
        {
            if (!IsHandedOver) Choose(_stage._fallback, $"no preface within {_stage._prefaceTimeout.TotalMilliseconds:0} ms");
        }

        private void Choose(ServerProtocol protocol, string why)
        {
            if (IsHandedOver) return;
            Log.Debug("Connection from {0}: {1} chosen by {2}", _stage._connection.Info.RemoteEndPoint, protocol.Name, why);
            HandTo(protocol, _stage._connection.Info);
        }

        private void HandTo(ServerProtocol protocol, ConnectionInfo info)
        {
            CancelTimer(PrefaceTimer);
            var served = new ServerConnection(info, _control, _stage._connection.Protocols);
            var received = _received;
            _received = ByteString.Empty;
            HandOver(protocol.Serve(served), received, ByteString.Empty);
        }
    }
}
