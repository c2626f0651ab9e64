using Akka.Actor;
using Akka.Event;
using Akka.IO;
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
/// Back-pressure: the connection is read (<c>ResumeReading</c>) only while SslStream waits for
/// ciphertext; a ciphertext write completes when the connection acks it, so a handler's
/// <c>Write</c> ack means its bytes are encrypted and in the kernel. Plaintext reads follow the
/// handler's own push or pull mode and its <c>SuspendReading</c>/<c>ResumeReading</c>.
/// </remarks>
internal sealed class TlsConnectionActor : UntypedActor, IWithTimers
{
    private readonly IActorRef _commander;
    private readonly AkkaTcp.Connect? _connect;
    private readonly TlsClientOptions? _client;
    private readonly TlsServerOptions? _server;
    private readonly Queue<(ByteString Data, AkkaTcp.Event Ack, IActorRef Sender)> _writes = new();
    private readonly ILoggingAdapter _log = Context.GetLogger();
    private readonly long _maxPendingWriteBytes;
    private IActorRef? _connection;
    private AkkaTcp.Connected? _connected;
    private TlsEngine? _engine;
    private IActorRef? _handler;
    private bool _handlerPullMode;
    private bool _keepOpenOnPeerClosed;
    private bool _handshakeDone;
    private bool _readSuspended;
    private bool _readInFlight;
    private bool _writeInFlight;
    private long _pendingWriteBytes;
    private (AkkaTcp.CloseCommand Command, IActorRef Sender)? _closing;
    private bool _shutdownStarted;
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
        _maxPendingWriteBytes = EpsilonIo.For(Context.System).Settings.Tcp.MaxPendingWriteBytes;
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
                _handler?.Tell(new AkkaTcp.Received(bytes), Self);
                if (_handlerPullMode) _readSuspended = true;
                ReadIfPossible();
                break;
            case TlsMessages.PlaintextEnded:
                OnPeerClosed();
                break;
            case TlsMessages.PlaintextWritten:
                OnPlaintextWritten();
                break;
            case TlsMessages.ShutdownDone:
                OnShutdownDone();
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
                _handler = register.Handler;
                _keepOpenOnPeerClosed = register.KeepOpenOnPeerClosed;
                // From now on the registered handler's life decides the connection's, as in Akka.IO.
                if (!_handler.Equals(_commander)) Context.Unwatch(_commander);
                Context.Watch(_handler);
                ReadIfPossible();
                break;
            case AkkaTcp.Write write:
                Enqueue(write);
                break;
            case AkkaTcp.CompoundWrite compound:
                foreach (var part in compound)
                {
                    if (part is AkkaTcp.Write w) Enqueue(w);
                }

                break;
            case AkkaTcp.SuspendReading:
                _readSuspended = true;
                break;
            case AkkaTcp.ResumeReading:
                _readSuspended = false;
                ReadIfPossible();
                break;
            case AkkaTcp.Abort:
                _closing = (AkkaTcp.Abort.Instance, Sender);
                _connection?.Tell(AkkaTcp.Abort.Instance, Self);
                break;
            case AkkaTcp.CloseCommand close:
                _closing ??= (close, Sender);
                CloseWhenWritten();
                break;
            case AkkaTcp.ConnectionClosed when _failed:
                // The close after a failure is done (the alert went out before the FIN).
                Context.Stop(Self);
                break;
            case AkkaTcp.ConnectionClosed closed when Sender.Equals(_connection):
                OnTransportClosed(closed);
                break;
            case Terminated t when t.ActorRef.Equals(_connection):
                Context.Stop(Self);
                break;
            case Terminated t when t.ActorRef.Equals(_handler) || t.ActorRef.Equals(_commander):
                _connection?.Tell(AkkaTcp.Abort.Instance, Self);
                Context.Stop(Self);
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

    private void Enqueue(AkkaTcp.Write write)
    {
        if (_closing is not null || (_pendingWriteBytes > 0 && _pendingWriteBytes + write.Data.Count > _maxPendingWriteBytes))
        {
            Sender.Tell(new AkkaTcp.CommandFailed(write), Self);
            return;
        }

        _pendingWriteBytes += write.Data.Count;
        _writes.Enqueue((write.Data, write.Ack, Sender));
        WriteNext();
    }

    private void WriteNext()
    {
        if (!_handshakeDone || _writeInFlight || _engine is null) return;
        if (_writes.TryPeek(out var next))
        {
            if (next.Data.IsEmpty)
            {
                OnPlaintextWritten();
                return;
            }

            _writeInFlight = true;
            _engine.WritePlaintext(next.Data);
        }
        else
        {
            CloseWhenWritten();
        }
    }

    private void OnPlaintextWritten()
    {
        _writeInFlight = false;
        var (data, ack, sender) = _writes.Dequeue();
        _pendingWriteBytes -= data.Count;
        if (ack is not AkkaTcp.NoAck) sender.Tell(ack, Self);
        WriteNext();
    }

    private void CloseWhenWritten()
    {
        if (_closing is not { } closing || _writeInFlight || _writes.Count > 0 || _shutdownStarted) return;
        if (!_handshakeDone)
        {
            _connection?.Tell(closing.Command is AkkaTcp.Abort ? AkkaTcp.Abort.Instance : AkkaTcp.Close.Instance, Self);
            return;
        }

        _shutdownStarted = true;
        _engine!.Shutdown();
    }

    private void OnShutdownDone()
    {
        var command = _closing?.Command ?? AkkaTcp.Close.Instance;
        _connection!.Tell(command is AkkaTcp.ConfirmedClose ? AkkaTcp.ConfirmedClose.Instance : AkkaTcp.Close.Instance, Self);
    }

    private void OnPeerClosed()
    {
        _readInFlight = false;
        _handler?.Tell(AkkaTcp.PeerClosed.Instance, Self);
        if (!_keepOpenOnPeerClosed && _closing is null)
        {
            _closing = (AkkaTcp.Close.Instance, ActorRefs.Nobody);
            CloseWhenWritten();
        }
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

        if (!_handshakeDone)
        {
            OnFailure(new TlsException(TlsFailureReason.PeerClosed, $"the connection closed during the handshake ({closed})"));
            return;
        }

        var reply = _closing is { } c && closed is not AkkaTcp.ErrorClosed ? Answer(c.Command) : closed;
        _handler?.Tell(reply, Self);
        if (_closing is { Sender: var s } && !s.IsNobody() && !s.Equals(_handler)) s.Tell(reply, Self);
        Context.Stop(Self);
    }

    private static AkkaTcp.ConnectionClosed Answer(AkkaTcp.CloseCommand command) => command switch
    {
        AkkaTcp.Abort => AkkaTcp.Aborted.Instance,
        AkkaTcp.ConfirmedClose => AkkaTcp.ConfirmedClosed.Instance,
        _ => AkkaTcp.Closed.Instance,
    };

    private void OnFailure(TlsException error)
    {
        if (!_handshakeDone)
        {
            _log.Info("TLS {0} handshake with {1} failed: {2}", _engine?.IsServer == true ? "server" : "client", _connected?.RemoteAddress, error.Message);
            if (_connect is not null) _commander.Tell(new AkkaTcp.CommandFailed(_connect).WithCause(error), Self);
            _connection?.Tell(AkkaTcp.Close.Instance, Self);
        }
        else
        {
            _log.Debug("TLS session with {0} failed: {1}", _connected?.RemoteAddress, error.Message);
            _handler?.Tell(new AkkaTcp.ErrorClosed(error.Message), Self);
            _connection?.Tell(AkkaTcp.Abort.Instance, Self);
        }

        while (_writes.TryDequeue(out var w)) w.Sender.Tell(new AkkaTcp.CommandFailed(AkkaTcp.Write.Create(w.Data, w.Ack)).WithCause(error), Self);
        _engine?.Abort();
        if (_connection is null || _handshakeDone)
        {
            Context.Stop(Self);
            return;
        }

        // Stay (ignoring all but the close) until the connection has sent the alert and closed,
        // so that stopping, which would reset it, cannot overtake the alert; at most 2 s.
        _failed = true;
        Timers.StartSingleTimer("linger", PoisonPill.Instance, TimeSpan.FromSeconds(2));
    }

    private void ReadIfPossible()
    {
        if (_handshakeDone && _handler is not null && !_readSuspended && !_readInFlight && _engine is not null)
        {
            _readInFlight = true;
            _engine.ReadPlaintext();
        }
    }
}
