using AkkaTcp = Akka.IO.Tcp;

namespace Epsilon.Actors.Io.Tcp;

/// <summary>
/// The close rules of one Akka.IO TCP connection: the commands <c>Close</c>,
/// <c>ConfirmedClose</c> and <c>Abort</c>, the peer's FIN (with or without
/// <c>keepOpenOnPeerClosed</c>), socket errors, the handler's death, the register timeout and
/// queued writes draining. Events in, <see cref="TcpCloseDecision"/>s out: which event to send
/// (<c>Closed</c>, <c>ConfirmedClosed</c>, <c>Aborted</c>, <c>PeerClosed</c>, <c>ErrorClosed</c>)
/// and to whom (<see cref="Recipients"/>), when to shut down, close or reset the socket, and when
/// to stop. Pure: no actors, sockets or clocks; one per connection, not thread-safe.
/// </summary>
/// <remarks>
/// <para>Used by <see cref="TcpConnectionActor"/> (recipients are actor refs) and by the TLS actor
/// adapter, where "the socket" is the TLS session over its TCP connection.</para>
/// <para>Rules (docs/io-protocol.md): <c>Close</c> sends the queued writes, then closes (FIN):
/// <c>Closed</c>. <c>ConfirmedClose</c> sends them, shuts our side down and reads on until the
/// peer's FIN: <c>ConfirmedClosed</c>. <c>Abort</c> resets at once, failing queued writes:
/// <c>Aborted</c>. The peer's FIN gives <c>PeerClosed</c>: to the handler alone, the connection
/// staying writable, with keep-open; otherwise as the close event after the queued writes are sent.
/// Errors give <c>ErrorClosed</c> and a reset. After any close command, writes are refused.</para>
/// <para>A second close command joins the close in progress: its sender hears the same final
/// event. It never weakens the close (<c>ConfirmedClose</c> after <c>Close</c> still closes at
/// once); a stronger one takes over (<c>Close</c> during a <c>ConfirmedClose</c> closes without
/// waiting for the peer; <c>Abort</c> during any drain resets).</para>
/// </remarks>
/// <typeparam name="TRef">Who is told: the handler and the close commanders (an actor ref; compared with <see cref="object.Equals(object)"/>).</typeparam>
internal sealed class TcpCloseStateMachine<TRef>
    where TRef : class
{
    private TRef? _handler;
    private bool _registered;
    private bool _keepOpenOnPeerClosed;
    private TRef? _commander;
    private List<TRef>? _moreCommanders;
    private AkkaTcp.ConnectionClosed? _event;
    private bool _confirmed;

    /// <summary>Where the close is.</summary>
    public TcpCloseState State { get; private set; }

    /// <summary>True once the peer's FIN has been seen.</summary>
    public bool PeerClosed { get; private set; }

    /// <summary>True once <c>Register</c> has been taken.</summary>
    public bool IsRegistered => _registered;

    /// <summary>The registered handler while it lives (null before <c>Register</c> and after its death).</summary>
    public TRef? Handler => _handler;

    /// <summary>Whether a write may be queued: only while no close is decided (so writes after <c>Close</c> are refused too).</summary>
    public bool AcceptsWrites => State == TcpCloseState.Open;

    /// <summary>Whether reading may go on (or resume): until the peer's FIN, and never once closed.</summary>
    public bool MayRead => !PeerClosed && State != TcpCloseState.Closed;

    /// <summary>
    /// Everyone the close event goes to: the handler (if registered and alive), then each close
    /// commander not already named. Before <c>Register</c>, the commanders alone (as in Akka.IO).
    /// </summary>
    public RecipientList Recipients => new(this);

    /// <summary>True when <see cref="Recipients"/> names anyone.</summary>
    public bool HasRecipients => _handler is not null || _commander is not null;

    /// <summary>
    /// Takes <c>Register</c>: true the first time while open (the shell then watches
    /// <paramref name="handler"/> and starts reading); false for a second one or after a close
    /// began, which is ignored (as in Akka.IO).
    /// </summary>
    public bool OnRegister(TRef handler, bool keepOpenOnPeerClosed)
    {
        if (_registered || State != TcpCloseState.Open) return false;
        _registered = true;
        _handler = handler;
        _keepOpenOnPeerClosed = keepOpenOnPeerClosed;
        return true;
    }

    /// <summary>A close command from <paramref name="commander"/>; <paramref name="writesPending"/> says whether writes are queued.</summary>
    public TcpCloseDecision OnCommand(AkkaTcp.CloseCommand command, TRef commander, bool writesPending) => command switch
    {
        AkkaTcp.Abort => OnAbort(commander),
        AkkaTcp.ConfirmedClose => OnConfirmedClose(commander, writesPending),
        _ => OnClose(commander, writesPending),
    };

    /// <summary><c>Close</c>: stop reading, send what is queued, close with a FIN; <c>Closed</c>.</summary>
    public TcpCloseDecision OnClose(TRef commander, bool writesPending)
    {
        switch (State)
        {
            case TcpCloseState.Open:
                AddCommander(commander);
                _event = AkkaTcp.Closed.Instance;
                if (!writesPending) return Finish(AkkaTcp.Closed.Instance, reset: false, TcpCloseActions.StopReading);
                State = TcpCloseState.Draining;
                return new TcpCloseDecision(TcpCloseActions.StopReading);
            case TcpCloseState.Draining:
                // Stronger than a ConfirmedClose in progress, and replaces a PeerClosed drain's event.
                AddCommander(commander);
                _confirmed = false;
                _event = AkkaTcp.Closed.Instance;
                return new TcpCloseDecision(TcpCloseActions.StopReading);
            case TcpCloseState.AwaitingPeerFin:
                // Stop waiting for the peer's FIN.
                AddCommander(commander);
                return Finish(AkkaTcp.Closed.Instance, reset: false, TcpCloseActions.StopReading);
            default:
                return TcpCloseDecision.None;
        }
    }

    /// <summary><c>ConfirmedClose</c>: send what is queued, shut our side down, read until the peer's FIN; <c>ConfirmedClosed</c>.</summary>
    public TcpCloseDecision OnConfirmedClose(TRef commander, bool writesPending)
    {
        switch (State)
        {
            case TcpCloseState.Open:
                AddCommander(commander);
                _event = AkkaTcp.ConfirmedClosed.Instance;
                _confirmed = true;
                if (!writesPending) return AfterConfirmedDrain();
                // Reading goes on: data the peer sends before its FIN is still delivered.
                State = TcpCloseState.Draining;
                return TcpCloseDecision.None;
            case TcpCloseState.Draining or TcpCloseState.AwaitingPeerFin:
                // Never weakens the close in progress; the sender hears its event.
                AddCommander(commander);
                return TcpCloseDecision.None;
            default:
                return TcpCloseDecision.None;
        }
    }

    /// <summary><c>Abort</c>: reset at once, failing queued writes; <c>Aborted</c>.</summary>
    public TcpCloseDecision OnAbort(TRef commander)
    {
        if (State == TcpCloseState.Closed) return TcpCloseDecision.None;
        AddCommander(commander);
        return Finish(AkkaTcp.Aborted.Instance, reset: true);
    }

    /// <summary>The peer's FIN (a read of 0 bytes); <paramref name="writesPending"/> says whether writes are queued.</summary>
    public TcpCloseDecision OnPeerClosed(bool writesPending)
    {
        if (PeerClosed || State == TcpCloseState.Closed) return TcpCloseDecision.None;
        PeerClosed = true;
        switch (State)
        {
            case TcpCloseState.Open when _keepOpenOnPeerClosed:
                return new TcpCloseDecision(TcpCloseActions.StopReading | TcpCloseActions.NotifyPeerClosed);
            case TcpCloseState.Open:
                // Send what is still queued, then close and report PeerClosed.
                _event = AkkaTcp.PeerClosed.Instance;
                if (!writesPending) return Finish(AkkaTcp.PeerClosed.Instance, reset: false, TcpCloseActions.StopReading);
                State = TcpCloseState.Draining;
                return new TcpCloseDecision(TcpCloseActions.StopReading);
            case TcpCloseState.AwaitingPeerFin:
                return Finish(AkkaTcp.ConfirmedClosed.Instance, reset: false, TcpCloseActions.StopReading);
            default:
                // Draining: a ConfirmedClose completes once the queue drains (a peer may half-close
                // and still read every queued byte); a Close keeps its event.
                return new TcpCloseDecision(TcpCloseActions.StopReading);
        }
    }

    /// <summary>Every queued write has been handed to the kernel (call it while <see cref="State"/> is <see cref="TcpCloseState.Draining"/>).</summary>
    public TcpCloseDecision OnWritesDrained()
    {
        if (State != TcpCloseState.Draining) return TcpCloseDecision.None;
        return _confirmed ? AfterConfirmedDrain() : Finish(_event!, reset: false);
    }

    /// <summary>The socket failed (reset, broken pipe, or a failed shutdown): <c>ErrorClosed(cause)</c> to everyone, with a reset.</summary>
    public TcpCloseDecision OnError(string cause)
    {
        if (State == TcpCloseState.Closed) return TcpCloseDecision.None;
        return Finish(new AkkaTcp.ErrorClosed(cause), reset: true);
    }

    /// <summary>The registered handler stopped: reset; <c>Aborted</c> to the close commanders, if any.</summary>
    public TcpCloseDecision OnHandlerTerminated()
    {
        if (State == TcpCloseState.Closed) return TcpCloseDecision.None;
        _handler = null;
        return Finish(AkkaTcp.Aborted.Instance, reset: true);
    }

    /// <summary>No <c>Register</c> in time: reset and stop without telling anyone (as in Akka.IO); ignored once registered or closing.</summary>
    public TcpCloseDecision OnRegisterTimeout()
    {
        if (_registered || State != TcpCloseState.Open) return TcpCloseDecision.None;
        State = TcpCloseState.Closed;
        return new TcpCloseDecision(TcpCloseActions.FailPendingWrites | TcpCloseActions.ResetSocket | TcpCloseActions.Stop);
    }

    /// <summary>The actor stopped without a close (a failure, or the system shutting down): reset; <c>ErrorClosed</c> to everyone.</summary>
    public TcpCloseDecision OnStopped()
    {
        if (State == TcpCloseState.Closed) return TcpCloseDecision.None;
        State = TcpCloseState.Closed;
        return new TcpCloseDecision(TcpCloseActions.FailPendingWrites | TcpCloseActions.ResetSocket | TcpCloseActions.Notify,
            new AkkaTcp.ErrorClosed("the connection actor stopped"));
    }

    private TcpCloseDecision AfterConfirmedDrain()
    {
        if (PeerClosed) return Finish(AkkaTcp.ConfirmedClosed.Instance, reset: false);
        State = TcpCloseState.AwaitingPeerFin;
        // The peer's FIN confirms the close, so reading goes on (in pull mode too, and when
        // closing before Register, where reading never started).
        return new TcpCloseDecision(TcpCloseActions.ShutdownOutput | TcpCloseActions.ReadUntilPeerClosed);
    }

    private TcpCloseDecision Finish(AkkaTcp.ConnectionClosed @event, bool reset, TcpCloseActions extra = TcpCloseActions.None)
    {
        State = TcpCloseState.Closed;
        _event = @event;
        var actions = extra | TcpCloseActions.FailPendingWrites | (reset ? TcpCloseActions.ResetSocket : TcpCloseActions.CloseSocket)
            | TcpCloseActions.Notify | TcpCloseActions.Stop;
        return new TcpCloseDecision(actions, @event);
    }

    private void AddCommander(TRef commander)
    {
        if (_commander is null)
        {
            _commander = commander;
            return;
        }

        if (_commander.Equals(commander) || (_moreCommanders?.Contains(commander) ?? false)) return;
        (_moreCommanders ??= new List<TRef>(1)).Add(commander);
    }

    /// <summary>The recipients of the close event, without duplicates; enumerate with <c>foreach</c> (no allocation).</summary>
    public readonly struct RecipientList
    {
        private readonly TcpCloseStateMachine<TRef> _machine;

        internal RecipientList(TcpCloseStateMachine<TRef> machine) => _machine = machine;

        /// <summary>Starts the enumeration.</summary>
        public Enumerator GetEnumerator() => new(_machine);

        /// <summary>Copies the recipients into a new list (for tests and diagnostics).</summary>
        public List<TRef> ToList()
        {
            var list = new List<TRef>();
            foreach (var r in this) list.Add(r);
            return list;
        }
    }

    /// <summary>Walks the handler, then the commanders, skipping any already named.</summary>
    public struct Enumerator
    {
        private readonly TcpCloseStateMachine<TRef> _machine;
        private int _index;

        internal Enumerator(TcpCloseStateMachine<TRef> machine)
        {
            _machine = machine;
            _index = -1;
            Current = null!;
        }

        /// <summary>The current recipient.</summary>
        public TRef Current { get; private set; }

        /// <summary>Moves to the next recipient not already named.</summary>
        public bool MoveNext()
        {
            while (true)
            {
                _index++;
                var candidate = At(_index, out var end);
                if (end) return false;
                if (candidate is null || NamedBefore(candidate, _index)) continue;
                Current = candidate;
                return true;
            }
        }

        private readonly TRef? At(int index, out bool end)
        {
            end = false;
            switch (index)
            {
                case 0: return _machine._handler;
                case 1: return _machine._commander;
                default:
                    var more = _machine._moreCommanders;
                    if (more is null || index - 2 >= more.Count)
                    {
                        end = true;
                        return null;
                    }

                    return more[index - 2];
            }
        }

        private readonly bool NamedBefore(TRef candidate, int index)
        {
            for (var i = 0; i < index; i++)
            {
                if (At(i, out _) is { } earlier && earlier.Equals(candidate)) return true;
            }

            return false;
        }
    }
}
