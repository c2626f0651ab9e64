using Akka.Event;
using Akka.IO;
using Akka.Streams;
using Akka.Streams.Stage;

namespace Epsilon.Actors.Io.Tls;

/// <summary>
/// TLS as a bidirectional stage: plaintext in (top) becomes ciphertext out, ciphertext in
/// (bottom) becomes plaintext out, over a <see cref="TlsEngine"/>. Materializes the handshake's
/// outcome. Back-pressure is kept both ways: one plaintext element is encrypted at a time, and
/// SslStream's writes wait once 64 KiB of ciphertext waits for the network; the network is read
/// ahead by at most 64 KiB, and SslStream by at most one record beyond the plaintext demanded.
/// </summary>
/// <remarks>
/// Closing: when plaintext in completes, a close_notify is sent and ciphertext out completes (a
/// TCP half-close). When the peer's close_notify arrives, plaintext out completes. A FIN without
/// close_notify fails plaintext out with <see cref="TlsFailureReason.Truncated"/> unless
/// <see cref="TlsSettings.AllowTruncation"/>. The stage stops when both outputs are finished.
/// </remarks>
internal sealed class TlsStage : GraphStageWithMaterializedValue<BidiShape<ByteString, ByteString, ByteString, ByteString>, Task<TlsSessionInfo>>
{
    private readonly TlsClientOptions? _client;
    private readonly TlsServerOptions? _server;

    /// <summary>A client (<paramref name="client"/> set) or server stage.</summary>
    public TlsStage(TlsClientOptions? client, TlsServerOptions? server)
    {
        _client = client;
        _server = server;
        Shape = new BidiShape<ByteString, ByteString, ByteString, ByteString>(PlainIn, CipherOut, CipherIn, PlainOut);
    }

    /// <summary>Plaintext from the application.</summary>
    public Inlet<ByteString> PlainIn { get; } = new("TlsStage.plain.in");

    /// <summary>Ciphertext to the network.</summary>
    public Outlet<ByteString> CipherOut { get; } = new("TlsStage.cipher.out");

    /// <summary>Ciphertext from the network.</summary>
    public Inlet<ByteString> CipherIn { get; } = new("TlsStage.cipher.in");

    /// <summary>Plaintext to the application.</summary>
    public Outlet<ByteString> PlainOut { get; } = new("TlsStage.plain.out");

    /// <inheritdoc />
    public override BidiShape<ByteString, ByteString, ByteString, ByteString> Shape { get; }

    /// <inheritdoc />
    protected override Attributes InitialAttributes { get; } = Attributes.CreateName("tls");

    /// <inheritdoc />
    public override ILogicAndMaterializedValue<Task<TlsSessionInfo>> CreateLogicAndMaterializedValue(Attributes inheritedAttributes)
    {
        var session = new TaskCompletionSource<TlsSessionInfo>(TaskCreationOptions.RunContinuationsAsynchronously);
        return new LogicAndMaterializedValue<Task<TlsSessionInfo>>(new Logic(this, session), session.Task);
    }

    private sealed class Logic : TimerGraphStageLogic
    {
        private readonly TlsStage _stage;
        private readonly TaskCompletionSource<TlsSessionInfo> _session;
        private readonly Queue<ByteString> _cipherOutQueue = new();
        private TlsEngine _engine = null!;
        private bool _handshakeDone;
        private bool _writeInFlight;
        private bool _readInFlight;
        private ByteString? _readAhead;
        private bool _plainEnded;
        private bool _plainInFinished;
        private bool _shutdownStarted;
        private bool _shutdownDone;
        private bool _failed;

        public Logic(TlsStage stage, TaskCompletionSource<TlsSessionInfo> session)
            : base(stage.Shape)
        {
            _stage = stage;
            _session = session;
            SetHandler(stage.PlainIn, onPush: OnPlainPush, onUpstreamFinish: OnPlainFinish, onUpstreamFailure: FailStage);
            SetHandler(stage.CipherOut, onPull: OnCipherPull, onDownstreamFinish: OnCipherOutCancel);
            SetHandler(stage.CipherIn, onPush: OnCipherPush, onUpstreamFinish: () => _engine.FeedEnd(), onUpstreamFailure: FailStage);
            SetHandler(stage.PlainOut, onPull: OnPlainPull, onDownstreamFinish: _ => CompleteIfDone());
        }

        public override void PreStart()
        {
            var post = GetAsyncCallback<object>(OnEngine);
            _engine = _stage._client is { } client ? TlsEngine.Client(client, post) : TlsEngine.Server(_stage._server!, post);
            ScheduleOnce("handshake", _engine.Settings.HandshakeTimeout);
            _engine.Start();
        }

        public override void PostStop()
        {
            _engine.Abort();
            _session.TrySetException(new TlsException(TlsFailureReason.PeerClosed, "the stream stopped before the handshake completed"));
        }

        protected override void OnTimer(object timerKey)
        {
            if (_handshakeDone) return;
            var error = new TlsException(TlsFailureReason.HandshakeTimeout, $"no handshake within {_engine.Settings.HandshakeTimeout.TotalMilliseconds:0} ms");
            _engine.Abort();
            Fail(error);
        }

        private void OnEngine(object message)
        {
            switch (message)
            {
                case TlsMessages.CiphertextWanted:
                    if (!IsClosed(_stage.CipherIn) && !HasBeenPulled(_stage.CipherIn)) Pull(_stage.CipherIn);
                    break;
                case TlsMessages.CiphertextOut(var bytes):
                    if (IsAvailable(_stage.CipherOut) && _cipherOutQueue.Count == 0)
                    {
                        Push(_stage.CipherOut, bytes);
                        _engine.CiphertextTaken();
                    }
                    else if (IsClosed(_stage.CipherOut))
                    {
                        _engine.CiphertextTaken();
                    }
                    else
                    {
                        _cipherOutQueue.Enqueue(bytes);
                    }

                    break;
                case TlsMessages.HandshakeDone(var info):
                    _handshakeDone = true;
                    CancelTimer("handshake");
                    _session.TrySetResult(info);
                    if (_plainInFinished) StartShutdown();
                    else if (!IsClosed(_stage.PlainIn)) Pull(_stage.PlainIn);
                    ReadIfPossible();
                    break;
                case TlsMessages.PlaintextIn(var bytes):
                    _readInFlight = false;
                    if (IsClosed(_stage.PlainOut)) break;
                    if (IsAvailable(_stage.PlainOut)) Push(_stage.PlainOut, bytes);
                    else _readAhead = bytes;
                    ReadIfPossible();
                    break;
                case TlsMessages.PlaintextEnded:
                    _readInFlight = false;
                    _plainEnded = true;
                    if (_readAhead is null)
                    {
                        Complete(_stage.PlainOut);
                        CompleteIfDone();
                    }

                    break;
                case TlsMessages.PlaintextWritten:
                    _writeInFlight = false;
                    if (_plainInFinished) StartShutdown();
                    else Pull(_stage.PlainIn);
                    break;
                case TlsMessages.ShutdownDone:
                    _shutdownDone = true;
                    if (_cipherOutQueue.Count == 0) Complete(_stage.CipherOut);
                    CompleteIfDone();
                    break;
                case TlsMessages.EngineFailed(var error):
                    Fail(error);
                    break;
            }
        }

        private void OnCipherPush()
        {
            _engine.Feed(Grab(_stage.CipherIn));

            // Read ahead (bounded) once the handshake is done, so that the next record is
            // already here when SslStream asks.
            if (_handshakeDone && _engine.WantsCiphertext) Pull(_stage.CipherIn);
        }

        private void OnPlainPush()
        {
            var bytes = Grab(_stage.PlainIn);
            if (bytes.IsEmpty)
            {
                Pull(_stage.PlainIn);
                return;
            }

            _writeInFlight = true;
            _engine.WritePlaintext(bytes);
        }

        private void OnPlainFinish()
        {
            _plainInFinished = true;
            if (_handshakeDone && !_writeInFlight) StartShutdown();
        }

        private void StartShutdown()
        {
            if (_shutdownStarted || IsClosed(_stage.CipherOut)) return;
            _shutdownStarted = true;
            _engine.Shutdown();
        }

        private void OnCipherPull()
        {
            if (_cipherOutQueue.TryDequeue(out var bytes))
            {
                Push(_stage.CipherOut, bytes);
                _engine.CiphertextTaken();
                if (_cipherOutQueue.Count == 0 && (_shutdownDone || _failed)) Complete(_stage.CipherOut);
            }
        }

        private void OnCipherOutCancel(Exception cause)
        {
            // The network no longer takes bytes: nothing more can be sent; release SslStream's
            // pending writes and stop taking plaintext. Reading may go on (a half-closed peer).
            while (_cipherOutQueue.TryDequeue(out _)) _engine.CiphertextTaken();
            if (!_handshakeDone)
            {
                Fail(new TlsException(TlsFailureReason.PeerClosed, "the network closed before the handshake completed", cause));
                return;
            }

            Cancel(_stage.PlainIn);
            CompleteIfDone();
        }

        private void OnPlainPull()
        {
            if (_readAhead is { } ready)
            {
                _readAhead = null;
                Push(_stage.PlainOut, ready);
                if (_plainEnded)
                {
                    Complete(_stage.PlainOut);
                    CompleteIfDone();
                    return;
                }
            }

            ReadIfPossible();
        }

        /// <summary>Reads one record ahead of demand at most: one read in flight or one element waiting.</summary>
        private void ReadIfPossible()
        {
            if (_handshakeDone && !_readInFlight && _readAhead is null && !_plainEnded && !IsClosed(_stage.PlainOut))
            {
                _readInFlight = true;
                _engine.ReadPlaintext();
            }
        }

        private void CompleteIfDone()
        {
            if (IsClosed(_stage.PlainOut) && IsClosed(_stage.CipherOut)) CompleteStage();
            else if (IsClosed(_stage.PlainOut) && !_handshakeDone) CompleteStage();
        }

        private void Fail(TlsException error)
        {
            if (error.DuringHandshake) Log.Info("TLS {0} handshake failed: {1}", _engine.IsServer ? "server" : "client", error.Message);
            else Log.Debug("TLS {0} session failed: {1}", _engine.IsServer ? "server" : "client", error.Message);
            _session.TrySetException(error);
            _failed = true;

            // The application side fails now; the network side first sends what SslStream wrote
            // last (the alert naming the failure) and then closes with a FIN, not a reset, so the
            // peer can read the alert.
            if (!IsClosed(_stage.PlainOut)) Fail(_stage.PlainOut, error);
            if (!IsClosed(_stage.PlainIn)) Cancel(_stage.PlainIn);
            if (!IsClosed(_stage.CipherIn)) Cancel(_stage.CipherIn);
            if (_cipherOutQueue.Count == 0 && !IsClosed(_stage.CipherOut)) Complete(_stage.CipherOut);
            if (IsClosed(_stage.CipherOut)) CompleteStage();
        }
    }
}
