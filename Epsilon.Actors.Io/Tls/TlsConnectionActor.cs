using Akka.Actor;
using Akka.Event;
using Akka.IO;
using Epsilon.Actors.Io.Tcp;
using AkkaTcp = Akka.IO.Tcp;

namespace Epsilon.Actors.Io.Tls;

/// <summary>
/// One TLS connection for actors: it sits between an Epsilon TCP connection (which it registers
/// with, in pull mode) and the user's handler, and speaks Akka.IO's own messages on both sides:
/// ciphertext <c>Write</c>/<c>Received</c> with the connection, plaintext ones with the handler.
/// A client adapter connects itself (<see cref="EpsilonTls.ConnectProps"/>); a server adapter is
/// made by <see cref="TlsListenerActor"/> for each accepted connection.
/// </summary>
/// <remarks>
/// <para>Back-pressure: the connection is read (<c>ResumeReading</c>) only while SslStream waits for
/// ciphertext; a ciphertext write completes when the connection acks it, so a handler's
/// <c>Write</c> ack means its bytes are encrypted and in the kernel. Plaintext reads follow the
/// handler's own push or pull mode and its <c>SuspendReading</c>/<c>ResumeReading</c>.</para>
/// <para>The rules are the TCP connection's, from the same pure cores: pending plaintext writes,
/// acks, the <c>max-pending-write-bytes</c> limit (NACK with <c>CommandFailed</c>) and
/// <c>ResumeWriting</c>/<c>WritingResumed</c> are <see cref="TcpWriteQueue{TToken}"/>'s; every close
/// (<c>Close</c>, <c>ConfirmedClose</c>, <c>Abort</c>, the peer's close_notify with or without
/// keep-open, failures, the handler's death) is decided by <see cref="TcpCloseStateMachine{TRef}"/>,
/// where closing "the socket" means our close_notify, then closing the TCP connection, and the
/// close event goes out once the TCP connection has closed.</para>
/// </remarks>
internal sealed class TlsConnectionActor : UntypedActor, IWithTimers
{
    private readonly IActorRef _commander;
    private readonly AkkaTcp.Connect? _connect;
    private readonly TlsClientOptions? _client;
    private readonly TlsServerOptions? _server;
    private readonly TcpWriteQueue<TcpWriteToken> _writes;
    private readonly TcpCloseStateMachine<IActorRef> _close = new();
    private readonly ILoggingAdapter _log = Context.GetLogger();
    private IActorRef? _connection;
    private AkkaTcp.Connected? _connected;
    private TlsEngine? _engine;
    private bool _handlerPullMode;
    private bool _useResumeWriting = true;
    private IActorRef? _resumeWritingRequester;
    private bool _handshakeDone;
    private bool _readSuspended;
    private bool _readInFlight;
    private bool _writeInFlight;
    private bool _tlsShutdownStarted;
    private bool _tlsShutdownDone;
    private AkkaTcp.CloseCommand? _afterTlsShutdown;
    private bool _transportClosed;
    private AkkaTcp.ConnectionClosed? _finalEvent;
    private bool _notified;
    private bool _failed;

    /// <summary>A client (with <paramref name="connect"/>) or an accepted server connection (with <paramref name="accepted"/>).</summary>
    public TlsConnectionActor(IActorRef commander, AkkaTcp.Connect? connect, TlsClientOptions? client, TlsServerOptions? server,
        (IActorRef Connection, AkkaTcp.Connected Connected)? accepted)
    {
        _commander = commander;
        _connect = connect;
        _client = client;
        _server = server;
        _handlerPullMode = connect?.PullMode ?? false;
        _readSuspended = _handlerPullMode;
        _writes = new TcpWriteQueue<TcpWriteToken>(EpsilonIo.For(Context.System).Settings.Tcp.MaxPendingWriteBytes);
        if (accepted is { } a)
        {
            _connection = a.Connection;
            _connected = a.Connected;
        }
    }

    /// <inheritdoc />
    public ITimerScheduler Timers { get; set; } = null!;

    /// <inheritdoc />
    protected override void PreStart()
    {
        if (_connect is { } c)
        {
            // Pull mode towards TCP: one Received per ResumeReading, asked for only when SslStream waits.
            Context.System.EpsilonTcp().Tell(new AkkaTcp.Connect(c.RemoteAddress, c.LocalAddress, c.Options, c.Timeout, pullMode: true));
        }
        else
        {
            Context.Watch(_commander);
            StartTls();
        }
    }

    /// <inheritdoc />
    protected override void PostStop() => _engine?.Abort();

    /// <inheritdoc />
    protected override void OnReceive(object message)
    {
        if (_failed && message is not (AkkaTcp.ConnectionClosed or Terminated)) return;
        switch (message)
        {
            case TlsMessages.CipherAck:
                _engine?.CiphertextTaken();
                break;
            case AkkaTcp.Received received:
                _engine?.Feed(received.Data);
                if (_handshakeDone && _engine?.WantsCiphertext == true) _connection!.Tell(AkkaTcp.ResumeReading.Instance, Self);
                break;
            case TlsMessages.CiphertextWanted:
                _connection!.Tell(AkkaTcp.ResumeReading.Instance, Self);
                break;
            case TlsMessages.CiphertextOut(var bytes):
                _connection!.Tell(AkkaTcp.Write.Create(bytes, TlsMessages.CipherAck.Instance), Self);
                break;
            case TlsMessages.HandshakeDone(var session):
                OnHandshakeDone(session);
                break;
            case TlsMessages.PlaintextIn(var bytes):
                _readInFlight = false;
                _close.Handler?.Tell(new AkkaTcp.Received(bytes), Self);
                if (_handlerPullMode) _readSuspended = true;
                ReadIfPossible();
                break;
            case TlsMessages.PlaintextEnded:
                // The peer's close_notify: its FIN in TLS terms.
                _readInFlight = false;
                Apply(_close.OnPeerClosed(!_writes.IsEmpty));
                break;
            case TlsMessages.PlaintextWritten:
                OnPlaintextWritten();
                break;
            case TlsMessages.ShutdownDone:
                _tlsShutdownDone = true;
                _connection?.Tell(_afterTlsShutdown ?? AkkaTcp.Close.Instance, Self);
                break;
            case TlsMessages.EngineFailed(var error):
                OnFailure(error);
                break;
            case TlsMessages.HandshakeTimedOut:
                if (!_handshakeDone)
                {
                    _engine?.Abort();
                    OnFailure(new TlsException(TlsFailureReason.HandshakeTimeout, $"no handshake within {_engine!.Settings.HandshakeTimeout.TotalMilliseconds:0} ms"));
                }

                break;
            case AkkaTcp.Connected connected when _connection is null:
                _connection = Sender;
                _connected = connected;
                StartTls();
                break;
            case AkkaTcp.CommandFailed failed when _connection is null:
                _commander.Tell(new AkkaTcp.CommandFailed(_connect!).WithCause(failed.Cause.GetOrElse(new IOException(failed.CauseString))), Self);
                Context.Stop(Self);
                break;
            case AkkaTcp.Register register:
                // A second Register is ignored, as by the TCP connection.
                if (!_close.OnRegister(register.Handler, register.KeepOpenOnPeerClosed)) break;
                _useResumeWriting = register.UseResumeWriting;
                if (!_useResumeWriting) _writes.ClearSuspension();
                // From now on the registered handler's life decides the connection's, as in Akka.IO.
                if (!register.Handler.Equals(_commander)) Context.Unwatch(_commander);
                Context.Watch(register.Handler);
                ReadIfPossible();
                break;
            case AkkaTcp.Write write:
                if (Admit(write, write.Data.Count)) Add(write);
                WriteNext();
                break;
            case AkkaTcp.CompoundWrite compound:
                // All parts or none, as by the TCP connection.
                if (Admit(compound, compound.Bytes))
                {
                    foreach (var part in compound)
                    {
                        if (part is AkkaTcp.Write w) Add(w);
                    }
                }

                WriteNext();
                break;
            case AkkaTcp.ResumeWriting:
                if (_writes.TryResume()) Sender.Tell(AkkaTcp.WritingResumed.Instance, Self);
                else _resumeWritingRequester = Sender;
                break;
            case AkkaTcp.SuspendReading:
                _readSuspended = true;
                break;
            case AkkaTcp.ResumeReading:
                if (!_close.MayRead) break;
                _readSuspended = false;
                ReadIfPossible();
                break;
            case AkkaTcp.CloseCommand close:
                Apply(_close.OnCommand(close, Sender, !_writes.IsEmpty));
                break;
            case AkkaTcp.ConnectionClosed when _failed:
                // The close after a failure is done (the alert went out before the FIN).
                Context.Stop(Self);
                break;
            case AkkaTcp.ConnectionClosed closed when Sender.Equals(_connection):
                OnTransportClosed(closed);
                break;
            case Terminated t when t.ActorRef.Equals(_connection):
                _transportClosed = true;
                if (_finalEvent is not null) NotifyAndStop(_finalEvent);
                else if (!_failed) Apply(_close.OnError("the TCP connection stopped"));
                Context.Stop(Self);
                break;
            case Terminated t when t.ActorRef.Equals(_close.Handler) || (!_close.IsRegistered && t.ActorRef.Equals(_commander)):
                Apply(_close.OnHandlerTerminated());
                break;
            default:
                Unhandled(message);
                break;
        }
    }

    private void StartTls()
    {
        var self = Self;
        Action<object> post = m => self.Tell(m, ActorRefs.NoSender);
        _engine = _client is not null ? TlsEngine.Client(_client, post) : TlsEngine.Server(_server!, post);
        Context.Watch(_connection);
        _connection!.Tell(new AkkaTcp.Register(Self, keepOpenOnPeerClosed: true, useResumeWriting: false), Self);
        Timers.StartSingleTimer("handshake", TlsMessages.HandshakeTimedOut.Instance, _engine.Settings.HandshakeTimeout);
        _engine.Start();
    }

    private void OnHandshakeDone(TlsSessionInfo session)
    {
        _handshakeDone = true;
        Timers.Cancel("handshake");
        _log.Debug("TLS {0} established with {1}: {2}", _engine!.IsServer ? "server" : "client", _connected!.RemoteAddress, session);
        _commander.Tell(session, Self);
        _commander.Tell(_connected, Self);
        WriteNext();
    }

    private bool Admit(AkkaTcp.Command command, long bytes)
    {
        var refusal = !_close.AcceptsWrites ? "the connection is closing" : _writes.Admit(bytes, _useResumeWriting) switch
        {
            EnqueueResult.Accepted => null,
            EnqueueResult.OverLimit => $"the queue is full: {_writes.PendingBytes} bytes pending",
            _ => "writing is suspended until ResumeWriting",
        };
        if (refusal is null) return true;
        Sender.Tell(new AkkaTcp.CommandFailed(command).WithCause(new IOException($"Dropping write because {refusal}")), Self);
        return false;
    }

    private void Add(AkkaTcp.Write write) => _writes.Add(write.Data, TcpWriteToken.For(write, Sender));

    // One plaintext write at a time goes to SslStream; it stays the queue's head (counted as
    // pending) until SslStream has encrypted and handed on all of it.
    private void WriteNext()
    {
        if (!_handshakeDone || _writeInFlight || _engine is null || _tlsShutdownStarted || !_writes.TryPeekHead(out var next)) return;
        if (next.IsEmpty)
        {
            OnPlaintextWritten();
            return;
        }

        _writeInFlight = true;
        _engine.WritePlaintext(next);
    }

    private void OnPlaintextWritten()
    {
        _writeInFlight = false;
        var acks = new TcpWriteAcks(Self);
        _writes.CompleteHead(ref acks);
        if (!_writes.IsEmpty)
        {
            WriteNext();
            return;
        }

        if (_writes.TakeResume() && _resumeWritingRequester is { } requester)
        {
            requester.Tell(AkkaTcp.WritingResumed.Instance, Self);
            _resumeWritingRequester = null;
        }

        if (_close.State == TcpCloseState.Draining) Apply(_close.OnWritesDrained());
    }

    /// <summary>Carries out one decision of the close machine; "the socket" is the TLS session over the TCP connection.</summary>
    private void Apply(in TcpCloseDecision decision)
    {
        if (decision.Actions == TcpCloseActions.None) return;
        if (decision.Has(TcpCloseActions.StopReading)) _readSuspended = true;
        if (decision.Has(TcpCloseActions.NotifyPeerClosed)) _close.Handler?.Tell(AkkaTcp.PeerClosed.Instance, Self);
        if (decision.Has(TcpCloseActions.FailPendingWrites)) FailPendingWrites(null);
        if (decision.Has(TcpCloseActions.ResetSocket))
        {
            if (!_transportClosed) _connection?.Tell(AkkaTcp.Abort.Instance, Self);
        }
        else if (decision.Has(TcpCloseActions.CloseSocket)) CloseTransport(AkkaTcp.Close.Instance);
        if (decision.Has(TcpCloseActions.ShutdownOutput)) CloseTransport(AkkaTcp.ConfirmedClose.Instance);
        if (decision.Has(TcpCloseActions.Notify))
        {
            _finalEvent = decision.Event;
            // The event goes out once the TCP connection has closed (an error's at once).
            if (_transportClosed || _connection is null || decision.Event is AkkaTcp.ErrorClosed || !_close.HasRecipients)
                NotifyAndStop(decision.Event);
        }
        else if (decision.Has(TcpCloseActions.Stop))
        {
            Context.Stop(Self);
        }

        if (decision.Has(TcpCloseActions.ReadUntilPeerClosed))
        {
            _readSuspended = false;
            ReadIfPossible();
        }
    }

    // Our close_notify first (once the handshake is done), then the TCP close; a stronger close
    // (Close after ConfirmedClose) replaces the one waiting for the close_notify, or follows it.
    private void CloseTransport(AkkaTcp.CloseCommand command)
    {
        if (_transportClosed || _connection is null) return;
        _afterTlsShutdown = command;
        if (!_handshakeDone || _tlsShutdownDone)
        {
            _connection.Tell(command, Self);
            return;
        }

        if (_tlsShutdownStarted) return;
        _tlsShutdownStarted = true;
        _engine!.Shutdown();
    }

    private void NotifyAndStop(AkkaTcp.ConnectionClosed? @event)
    {
        if (@event is not null && !_notified)
        {
            _notified = true;
            foreach (var recipient in _close.Recipients)
            {
                if (!recipient.IsNobody()) recipient.Tell(@event, Self);
            }
        }

        Context.Stop(Self);
    }

    private void OnTransportClosed(AkkaTcp.ConnectionClosed closed)
    {
        if (closed is AkkaTcp.PeerClosed)
        {
            // The peer's FIN: SslStream sees the end of the ciphertext, and tells a clean
            // close_notify from a truncation.
            _engine?.FeedEnd();
            return;
        }

        _transportClosed = true;
        if (_finalEvent is { } decided)
        {
            NotifyAndStop(closed is AkkaTcp.ErrorClosed ? closed : decided);
            return;
        }

        if (!_handshakeDone)
        {
            OnFailure(new TlsException(TlsFailureReason.PeerClosed, $"the connection closed during the handshake ({closed})"));
            return;
        }

        // Unasked: ConfirmedClosed is the peer's FIN after our ConfirmedClose; anything else failed.
        Apply(closed is AkkaTcp.ConfirmedClosed ? _close.OnPeerClosed(writesPending: false) : _close.OnError($"the TCP connection closed: {closed}"));
        Context.Stop(Self);
    }

    private void OnFailure(TlsException error)
    {
        _engine?.Abort();
        if (_handshakeDone)
        {
            _log.Debug("TLS session with {0} failed: {1}", _connected?.RemoteAddress, error.Message);
            FailPendingWrites(error);
            Apply(_close.OnError(error.Message));
            return;
        }

        _log.Info("TLS {0} handshake with {1} failed: {2}", _engine?.IsServer == true ? "server" : "client", _connected?.RemoteAddress, error.Message);
        if (_connect is not null) _commander.Tell(new AkkaTcp.CommandFailed(_connect).WithCause(error), Self);
        _connection?.Tell(AkkaTcp.Close.Instance, Self);
        FailPendingWrites(error);
        if (_connection is null)
        {
            Context.Stop(Self);
            return;
        }

        // Stay (ignoring all but the close) until the connection has sent the alert and closed,
        // so that stopping, which would reset it, cannot overtake the alert; at most 2 s.
        _failed = true;
        Timers.StartSingleTimer("linger", PoisonPill.Instance, TimeSpan.FromSeconds(2));
    }

    private void FailPendingWrites(Exception? cause)
    {
        _writeInFlight = false;
        if (_writes.IsEmpty) return;
        var failed = new TcpWriteFailures(Self, cause);
        _writes.FailAll(ref failed);
    }

    private void ReadIfPossible()
    {
        if (_handshakeDone && _close.Handler is not null && !_readSuspended && !_readInFlight && _engine is not null)
        {
            _readInFlight = true;
            _engine.ReadPlaintext();
        }
    }
}
