using System.Net.Sockets;
using Akka.Actor;
using Akka.Event;
using Akka.IO;
using Epsilon.Actors.Io.EventLoops;
using AkkaTcp = Akka.IO.Tcp;

namespace Epsilon.Actors.Io.Tcp;

/// <summary>
/// One TCP connection, speaking Akka.IO's own messages: it waits for <c>Register</c>, then
/// delivers <c>Received</c> to the handler (push or pull mode), queues <c>Write</c>s with acks and
/// NACK back-pressure, and carries out <c>Close</c>, <c>ConfirmedClose</c> and <c>Abort</c>.
/// A thin shell over two pure cores: <see cref="TcpWriteQueue{TToken}"/> decides what is queued,
/// sent, acked and refused; <see cref="TcpCloseStateMachine{TRef}"/> decides every close (which
/// event to whom, when to shut down, close or reset, when to stop). The shell does the socket
/// calls and the sends.
/// </summary>
/// <remarks>
/// Runs on its event loop's thread (see <see cref="EventLoopDispatcher"/>); every socket call is
/// non-blocking. Reads go into the loop thread's shared buffer and are copied into one
/// <see cref="ByteString"/> per <c>Received</c>.
/// </remarks>
internal abstract partial class TcpConnectionActor : UntypedActor
{
    private readonly TcpWriteQueue<TcpWriteToken> _writes;
    private readonly TcpCloseStateMachine<IActorRef> _close = new();
    private LoopRegistration? _registration;
    private IActorRef? _handler;
    private bool _useResumeWriting = true;
    private bool _readingSuspended;
    private bool _waitingForWritable;
    private IActorRef? _resumeWritingRequester;
    private ICancelable? _registerTimeout;
    private Phase _phase;
    private bool _flushRequested;
    private Akka.Dispatch.MessageQueues.IMessageQueue? _mailbox;

    /// <summary>Creates the shared part of a connection.</summary>
    protected TcpConnectionActor(EventLoop loop, EpsilonTcpSettings settings, bool pullMode)
    {
        Loop = loop;
        Settings = settings;
        PullMode = pullMode;
        _readingSuspended = pullMode;
        _writes = new TcpWriteQueue<TcpWriteToken>(settings.MaxPendingWriteBytes);
    }

    /// <summary>The loop this connection's socket is registered with.</summary>
    protected EventLoop Loop { get; }

    /// <summary>TCP settings.</summary>
    protected EpsilonTcpSettings Settings { get; }

    /// <summary>Akka.IO pull mode: each <c>ResumeReading</c> allows one <c>Received</c>.</summary>
    protected bool PullMode { get; }

    /// <summary>The logger, made on first use: most connections never log, and an adapter per idle connection is memory.</summary>
    protected ILoggingAdapter Log => _log ??= Context.GetLogger();

    private ILoggingAdapter? _log;

    /// <summary>The socket, once opened or accepted.</summary>
    protected LoopSocket? Socket { get; set; }

    /// <summary>Registers <see cref="Socket"/> with the loop so readiness reaches this actor.</summary>
    protected void RegisterWithLoop()
    {
        _registration = Loop.Register(Socket!, new ActorReadinessListener(Self));
    }

    /// <summary>Arms one notification in <paramref name="interest"/>.</summary>
    protected void Arm(IoReadiness interest) => Loop.Arm(_registration!, interest);

    /// <summary>
    /// The socket is connected: tell <paramref name="notify"/> with <c>Connected</c> (the sender
    /// is this actor) and wait for <c>Register</c>.
    /// </summary>
    protected void BecomeConnected(IActorRef notify)
    {
        var socket = Socket!;
        notify.Tell(new AkkaTcp.Connected(socket.RemoteEndPoint, socket.LocalEndPoint), Self);
        if (Settings.RegisterTimeout is { } timeout)
            _registerTimeout = Context.System.Scheduler.ScheduleTellOnceCancelable(timeout, Self, RegisterTimedOut.Instance, Self);
        _phase = Phase.WaitingForRegistration;
    }

    /// <summary>Handles messages before the connection is established (outgoing connections).</summary>
    protected virtual void OnConnecting(object message) => Unhandled(message);

    // One dispatch on a phase field rather than Become: Become keeps a behaviour stack and
    // delegates per actor, memory every idle connection would carry.
    /// <inheritdoc />
    protected sealed override void OnReceive(object message)
    {
        switch (_phase)
        {
            case Phase.Connected:
                Connected(message);
                break;
            case Phase.WaitingForRegistration:
                WaitingForRegistration(message);
                break;
            default:
                OnConnecting(message);
                break;
        }
    }

    private void CancelRegisterTimeout()
    {
        _registerTimeout?.Cancel();
        _registerTimeout = null;
    }

    private void WaitingForRegistration(object message)
    {
        switch (message)
        {
            case AkkaTcp.Register register:
                CancelRegisterTimeout();
                _close.OnRegister(register.Handler, register.KeepOpenOnPeerClosed);
                _handler = register.Handler;
                _useResumeWriting = register.UseResumeWriting;
                if (!_useResumeWriting) _writes.ClearSuspension();
                Context.Watch(_handler);
                _phase = Phase.Connected;
                if (!_readingSuspended) ReadNow();
                if (!_writes.IsEmpty) FlushWrites();
                break;
            case RegisterTimedOut:
                Log.Debug("No Register within {0}; closing the connection with a reset", Settings.RegisterTimeout);
                Apply(_close.OnRegisterTimeout());
                break;
            case AkkaTcp.CloseCommand close:
                // Before registration the close events go to the sender only (as in Akka.IO); the
                // close then runs as for a registered connection, queued writes first, and data
                // read meanwhile (ConfirmedClose) goes to the sender.
                CancelRegisterTimeout();
                _handler = Sender;
                _phase = Phase.Connected;
                Apply(_close.OnCommand(close, Sender, !_writes.IsEmpty));
                if (_close.State == TcpCloseState.Draining) FlushWrites();
                break;
            case AkkaTcp.ResumeReading:
                _readingSuspended = false;
                break;
            case AkkaTcp.SuspendReading:
                _readingSuspended = true;
                break;
            case ChannelReady:
                // Readiness before Register is remembered by the loop registration; nothing to do.
                break;
            default:
                if (!HandleWriteCommand(message)) Unhandled(message);
                break;
        }
    }

    private void Connected(object message)
    {
        switch (message)
        {
            case ChannelReady ready:
                if ((ready.Readiness & IoReadiness.Write) != 0) OnWritable();
                if ((ready.Readiness & IoReadiness.Read) != 0 && !_readingSuspended) ReadNow();
                break;
            case FlushRequest:
                if (_flushRequested && !_writes.IsEmpty && !_waitingForWritable) FlushWrites();
                _flushRequested = false;
                break;
            case AkkaTcp.SuspendReading:
                _readingSuspended = true;
                break;
            case AkkaTcp.ResumeReading:
                if (_readingSuspended && _close.MayRead)
                {
                    _readingSuspended = false;
                    ReadNow();
                }

                break;
            case AkkaTcp.ResumeWriting:
                if (_writes.TryResume()) Sender.Tell(AkkaTcp.WritingResumed.Instance, Self);
                else _resumeWritingRequester = Sender;
                break;
            case AkkaTcp.CloseCommand close:
                Apply(_close.OnCommand(close, Sender, !_writes.IsEmpty));
                break;
            case Terminated t when t.ActorRef.Equals(_handler):
                Log.Debug("Handler {0} stopped; aborting the connection", t.ActorRef);
                _handler = null;
                Apply(_close.OnHandlerTerminated());
                break;
            case AkkaTcp.Register:
                // A second Register is ignored, as in Akka.IO.
                break;
            case RegisterTimedOut:
                break;
            default:
                if (!HandleWriteCommand(message)) Unhandled(message);
                break;
        }
    }

    private bool HandleWriteCommand(object message)
    {
        switch (message)
        {
            case AkkaTcp.Write write:
                if (!Admit(write, write.Bytes)) return true;
                Add(write);
                FlushIfPossible();
                return true;
            case AkkaTcp.CompoundWrite compound:
                // All parts or none: a retried compound must never duplicate bytes already sent.
                if (!Admit(compound, compound.Bytes)) return true;
                foreach (var part in compound)
                {
                    if (part is AkkaTcp.Write w) Add(w);
                }

                FlushIfPossible();
                return true;
            default:
                return false;
        }
    }

    private bool Admit(AkkaTcp.Command command, long bytes)
    {
        if (!_close.AcceptsWrites)
        {
            Sender.Tell(new AkkaTcp.CommandFailed(command).WithCause(new IOException("Dropping write because the connection is closing")), Self);
            return false;
        }

        // Bytes waiting only for the batched flush are not "unsent" in the limit's sense: give the
        // kernel its chance before judging.
        if (_flushRequested && !_waitingForWritable && _writes.WouldExceed(bytes)) FlushWrites();

        switch (_writes.Admit(bytes, _useResumeWriting))
        {
            case EnqueueResult.Accepted:
                return true;
            case EnqueueResult.OverLimit:
                Sender.Tell(new AkkaTcp.CommandFailed(command).WithCause(new IOException(
                    $"Dropping write because the queue is full: {_writes.PendingBytes} bytes pending, limit {Settings.MaxPendingWriteBytes}")), Self);
                return false;
            default:
                Sender.Tell(new AkkaTcp.CommandFailed(command).WithCause(new IOException(
                    "Dropping write because writing is suspended until ResumeWriting")), Self);
                return false;
        }
    }

    private void Add(AkkaTcp.Write write) =>
        _writes.Add(write.Data, TcpWriteToken.For(write, Sender));

    // Before Register, writes wait in the queue (as in Akka.IO); while waiting for writability
    // the readiness event resumes the flush. Otherwise the flush is requested once, behind the
    // messages already in the mailbox, so a burst of writes goes out in one send.
    private void FlushIfPossible()
    {
        if (_waitingForWritable || _handler is null || _flushRequested) return;
        var mailbox = _mailbox ??= ((ActorCell)Context).Mailbox!.MessageQueue;
        if (!mailbox.HasMessages)
        {
            // Nothing queued behind this write that could join it: send now.
            FlushWrites();
            return;
        }

        _flushRequested = true;
        Self.Tell(FlushRequest.Instance, Self);
    }

    private void OnWritable()
    {
        _waitingForWritable = false;
        if (!_writes.IsEmpty) FlushWrites();
    }

    private void FlushWrites()
    {
        _flushRequested = false;
        var sink = new SocketSink(Socket!);
        var completion = new TcpWriteAcks(Self);
        switch (_writes.Flush(ref sink, ref completion, LoopBuffers.Gather()))
        {
            case FlushResult.Blocked:
                _waitingForWritable = true;
                Arm(IoReadiness.Write);
                break;
            case FlushResult.Failed:
                OnSocketError(_writes.LastError);
                break;
            case FlushResult.Drained:
                if (_writes.TakeResume() && _resumeWritingRequester is { } requester)
                {
                    requester.Tell(AkkaTcp.WritingResumed.Instance, Self);
                    _resumeWritingRequester = null;
                }

                if (_close.State == TcpCloseState.Draining) Apply(_close.OnWritesDrained());
                break;
        }
    }

    private void ReadNow()
    {
        var socket = Socket!;
        var size = Settings.ReceiveBufferSize;
        var buffer = LoopBuffers.Read(size);
        for (var i = 0; i < Settings.MaxReadsPerWakeup; i++)
        {
            var error = socket.Receive(buffer.AsSpan(0, size), out var n);
            if (error == SocketError.Success && n > 0)
            {
                _handler!.Tell(new AkkaTcp.Received(ByteString.CopyFrom(buffer, 0, n)), Self);
                if (PullMode)
                {
                    _readingSuspended = true;
                    return;
                }

                // A short read emptied the socket's queue: wait for readiness instead of paying a
                // read that would block (safe unless the peer's FIN is pending, see HangUpSeen).
                if (n < size && !_registration!.HangUpSeen)
                {
                    Arm(IoReadiness.Read);
                    return;
                }

                continue;
            }

            if (error == SocketError.Success)
            {
                Apply(_close.OnPeerClosed(!_writes.IsEmpty));
                return;
            }

            if (error == SocketError.WouldBlock)
            {
                Arm(IoReadiness.Read);
                return;
            }

            OnSocketError(error);
            return;
        }

        // Yield the loop to other connections (and let our handler's SuspendReading arrive),
        // then carry on reading.
        Loop.Yield(_registration!, IoReadiness.Read);
    }

    private void OnSocketError(SocketError error)
    {
        var cause = new SocketException((int)error).Message;
        Log.Debug("Connection failed: {0}", cause);
        Apply(_close.OnError(cause));
    }

    /// <summary>Carries out one decision of the close machine, in the order <see cref="TcpCloseActions"/> gives.</summary>
    private void Apply(in TcpCloseDecision decision)
    {
        if (decision.Actions == TcpCloseActions.None) return;
        if (decision.Has(TcpCloseActions.StopReading)) _readingSuspended = true;
        if (decision.Has(TcpCloseActions.NotifyPeerClosed)) _close.Handler?.Tell(AkkaTcp.PeerClosed.Instance, Self);
        if (decision.Has(TcpCloseActions.FailPendingWrites)) FailPendingWrites();
        if (decision.Has(TcpCloseActions.ResetSocket)) AbortSocket();
        else if (decision.Has(TcpCloseActions.CloseSocket)) ReleaseSocket(abort: false);
        if (decision.Has(TcpCloseActions.ShutdownOutput))
        {
            var error = Socket!.Shutdown(SocketShutdown.Send);
            if (error != SocketError.Success && error != SocketError.NotConnected)
            {
                OnSocketError(error);
                return;
            }
        }

        if (decision.Has(TcpCloseActions.Notify))
        {
            foreach (var recipient in _close.Recipients)
            {
                if (!recipient.IsNobody()) recipient.Tell(decision.Event, Self);
            }
        }

        if (decision.Has(TcpCloseActions.Stop)) Context.Stop(Self);
        if (decision.Has(TcpCloseActions.ReadUntilPeerClosed))
        {
            _readingSuspended = false;
            ReadNow();
        }
    }

    private void FailPendingWrites()
    {
        // Writes still queued are lost with the connection: each writer hears of it.
        if (_writes.IsEmpty) return;
        var completion = new TcpWriteFailures(Self);
        _writes.FailAll(ref completion);
    }

    /// <summary>Closes the socket with a reset, if still open.</summary>
    protected void AbortSocket() => ReleaseSocket(abort: true);

    private void ReleaseSocket(bool abort)
    {
        if (_registration is { } registration)
        {
            _registration = null;
            Loop.Unregister(registration, abort);
        }
        else if (Socket is { } socket)
        {
            if (abort) socket.Abort();
            else socket.Dispose();
        }

        Socket = null;
    }

    /// <inheritdoc />
    protected override void PostStop()
    {
        CancelRegisterTimeout();
        // Stopped without a close path (a failure, or the system shutting down).
        if (Socket is not null || _registration is not null) Apply(_close.OnStopped());
    }

    private enum Phase
    {
        Connecting,
        WaitingForRegistration,
        Connected,
    }

    private sealed class FlushRequest
    {
        public static readonly FlushRequest Instance = new();
    }

    private sealed class RegisterTimedOut
    {
        public static readonly RegisterTimedOut Instance = new();
    }
}
