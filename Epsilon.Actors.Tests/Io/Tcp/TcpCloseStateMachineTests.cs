using Epsilon.Actors.Io.Tcp;
using Xunit;
using static Epsilon.Actors.Io.Tcp.TcpCloseActions;
using AkkaTcp = Akka.IO.Tcp;

namespace Epsilon.Actors.Tests.Io.Tcp;

/// <summary>
/// Every transition of the close machine: a table over each reachable state × each input (with
/// the actions, the event, the state after and the recipients), then the odd orders one by one.
/// Recipients are strings: "h" the handler, "c" the first close commander, "d" the input's sender.
/// </summary>
[Trait("Category", "Unit")]
public sealed class TcpCloseStateMachineTests
{
    private const TcpCloseActions Graceful = FailPendingWrites | CloseSocket | Notify | Stop;
    private const TcpCloseActions Reset = FailPendingWrites | ResetSocket | Notify | Stop;
    private const TcpCloseActions StoppedReset = FailPendingWrites | ResetSocket | Notify;

    private static readonly Dictionary<string, Action<TcpCloseStateMachine<string>>> s_states = new()
    {
        ["unregistered"] = _ => { },
        ["open"] = m => m.OnRegister("h", keepOpenOnPeerClosed: false),
        ["open-keep"] = m => m.OnRegister("h", keepOpenOnPeerClosed: true),
        ["half-closed"] = m =>
        {
            m.OnRegister("h", keepOpenOnPeerClosed: true);
            m.OnPeerClosed(writesPending: false);
        },
        ["draining-close"] = m =>
        {
            m.OnRegister("h", false);
            m.OnClose("c", writesPending: true);
        },
        ["draining-peer"] = m =>
        {
            m.OnRegister("h", false);
            m.OnPeerClosed(writesPending: true);
        },
        ["draining-confirmed"] = m =>
        {
            m.OnRegister("h", false);
            m.OnConfirmedClose("c", writesPending: true);
        },
        ["draining-confirmed-peer"] = m =>
        {
            m.OnRegister("h", false);
            m.OnConfirmedClose("c", writesPending: true);
            m.OnPeerClosed(writesPending: true);
        },
        ["awaiting-fin"] = m =>
        {
            m.OnRegister("h", false);
            m.OnConfirmedClose("c", writesPending: false);
        },
        ["closed"] = m =>
        {
            m.OnRegister("h", false);
            m.OnAbort("c");
        },
    };

    private static readonly Dictionary<string, Func<TcpCloseStateMachine<string>, TcpCloseDecision>> s_inputs = new()
    {
        ["close"] = m => m.OnClose("d", writesPending: false),
        ["close-pending"] = m => m.OnClose("d", writesPending: true),
        ["confirmed"] = m => m.OnConfirmedClose("d", writesPending: false),
        ["confirmed-pending"] = m => m.OnConfirmedClose("d", writesPending: true),
        ["abort"] = m => m.OnAbort("d"),
        ["peer"] = m => m.OnPeerClosed(writesPending: false),
        ["peer-pending"] = m => m.OnPeerClosed(writesPending: true),
        ["drained"] = m => m.OnWritesDrained(),
        ["error"] = m => m.OnError("boom"),
        ["handler-died"] = m => m.OnHandlerTerminated(),
        ["register-timeout"] = m => m.OnRegisterTimeout(),
        ["stopped"] = m => m.OnStopped(),
    };

    private const TcpCloseState O = TcpCloseState.Open;
    private const TcpCloseState D = TcpCloseState.Draining;
    private const TcpCloseState F = TcpCloseState.AwaitingPeerFin;
    private const TcpCloseState X = TcpCloseState.Closed;

    /// <summary>state, input, actions, event (type name or ""), state after, recipients (the enums boxed: they are internal).</summary>
    public static TheoryData<string, string, object, string, object, string> Table => new()
    {
        // Before Register: close events go to the commanders only.
        { "unregistered", "close", StopReading | Graceful, "Closed", X, "d" },
        { "unregistered", "close-pending", StopReading, "", D, "d" },
        { "unregistered", "confirmed", ShutdownOutput | ReadUntilPeerClosed, "", F, "d" },
        { "unregistered", "confirmed-pending", None, "", D, "d" },
        { "unregistered", "abort", Reset, "Aborted", X, "d" },
        { "unregistered", "peer", StopReading | Graceful, "PeerClosed", X, "" },
        { "unregistered", "peer-pending", StopReading, "", D, "" },
        { "unregistered", "drained", None, "", O, "" },
        { "unregistered", "error", Reset, "ErrorClosed", X, "" },
        { "unregistered", "handler-died", Reset, "Aborted", X, "" },
        { "unregistered", "register-timeout", FailPendingWrites | ResetSocket | Stop, "", X, "" },
        { "unregistered", "stopped", StoppedReset, "ErrorClosed", X, "" },

        { "open", "close", StopReading | Graceful, "Closed", X, "h,d" },
        { "open", "close-pending", StopReading, "", D, "h,d" },
        { "open", "confirmed", ShutdownOutput | ReadUntilPeerClosed, "", F, "h,d" },
        { "open", "confirmed-pending", None, "", D, "h,d" },
        { "open", "abort", Reset, "Aborted", X, "h,d" },
        { "open", "peer", StopReading | Graceful, "PeerClosed", X, "h" },
        { "open", "peer-pending", StopReading, "", D, "h" },
        { "open", "drained", None, "", O, "h" },
        { "open", "error", Reset, "ErrorClosed", X, "h" },
        { "open", "handler-died", Reset, "Aborted", X, "" },
        { "open", "register-timeout", None, "", O, "h" },
        { "open", "stopped", StoppedReset, "ErrorClosed", X, "h" },

        { "open-keep", "close", StopReading | Graceful, "Closed", X, "h,d" },
        { "open-keep", "close-pending", StopReading, "", D, "h,d" },
        { "open-keep", "confirmed", ShutdownOutput | ReadUntilPeerClosed, "", F, "h,d" },
        { "open-keep", "confirmed-pending", None, "", D, "h,d" },
        { "open-keep", "abort", Reset, "Aborted", X, "h,d" },
        { "open-keep", "peer", StopReading | NotifyPeerClosed, "", O, "h" },
        { "open-keep", "peer-pending", StopReading | NotifyPeerClosed, "", O, "h" },
        { "open-keep", "drained", None, "", O, "h" },
        { "open-keep", "error", Reset, "ErrorClosed", X, "h" },
        { "open-keep", "handler-died", Reset, "Aborted", X, "" },
        { "open-keep", "register-timeout", None, "", O, "h" },
        { "open-keep", "stopped", StoppedReset, "ErrorClosed", X, "h" },

        // Keep-open after the peer's FIN: still writable; a ConfirmedClose is confirmed already.
        { "half-closed", "close", StopReading | Graceful, "Closed", X, "h,d" },
        { "half-closed", "close-pending", StopReading, "", D, "h,d" },
        { "half-closed", "confirmed", Graceful, "ConfirmedClosed", X, "h,d" },
        { "half-closed", "confirmed-pending", None, "", D, "h,d" },
        { "half-closed", "abort", Reset, "Aborted", X, "h,d" },
        { "half-closed", "peer", None, "", O, "h" },
        { "half-closed", "peer-pending", None, "", O, "h" },
        { "half-closed", "drained", None, "", O, "h" },
        { "half-closed", "error", Reset, "ErrorClosed", X, "h" },
        { "half-closed", "handler-died", Reset, "Aborted", X, "" },
        { "half-closed", "register-timeout", None, "", O, "h" },
        { "half-closed", "stopped", StoppedReset, "ErrorClosed", X, "h" },

        // Close waiting for its writes: later closes join it; only Abort or an error overtakes.
        { "draining-close", "close", StopReading, "", D, "h,c,d" },
        { "draining-close", "close-pending", StopReading, "", D, "h,c,d" },
        { "draining-close", "confirmed", None, "", D, "h,c,d" },
        { "draining-close", "confirmed-pending", None, "", D, "h,c,d" },
        { "draining-close", "abort", Reset, "Aborted", X, "h,c,d" },
        { "draining-close", "peer", StopReading, "", D, "h,c" },
        { "draining-close", "peer-pending", StopReading, "", D, "h,c" },
        { "draining-close", "drained", Graceful, "Closed", X, "h,c" },
        { "draining-close", "error", Reset, "ErrorClosed", X, "h,c" },
        { "draining-close", "handler-died", Reset, "Aborted", X, "c" },
        { "draining-close", "register-timeout", None, "", D, "h,c" },
        { "draining-close", "stopped", StoppedReset, "ErrorClosed", X, "h,c" },

        // The peer's FIN without keep-open, writes still queued.
        { "draining-peer", "close", StopReading, "", D, "h,d" },
        { "draining-peer", "close-pending", StopReading, "", D, "h,d" },
        { "draining-peer", "confirmed", None, "", D, "h,d" },
        { "draining-peer", "confirmed-pending", None, "", D, "h,d" },
        { "draining-peer", "abort", Reset, "Aborted", X, "h,d" },
        { "draining-peer", "peer", None, "", D, "h" },
        { "draining-peer", "peer-pending", None, "", D, "h" },
        { "draining-peer", "drained", Graceful, "PeerClosed", X, "h" },
        { "draining-peer", "error", Reset, "ErrorClosed", X, "h" },
        { "draining-peer", "handler-died", Reset, "Aborted", X, "" },
        { "draining-peer", "register-timeout", None, "", D, "h" },
        { "draining-peer", "stopped", StoppedReset, "ErrorClosed", X, "h" },

        // ConfirmedClose waiting for its writes (the peer still open).
        { "draining-confirmed", "close", StopReading, "", D, "h,c,d" },
        { "draining-confirmed", "close-pending", StopReading, "", D, "h,c,d" },
        { "draining-confirmed", "confirmed", None, "", D, "h,c,d" },
        { "draining-confirmed", "confirmed-pending", None, "", D, "h,c,d" },
        { "draining-confirmed", "abort", Reset, "Aborted", X, "h,c,d" },
        { "draining-confirmed", "peer", StopReading, "", D, "h,c" },
        { "draining-confirmed", "peer-pending", StopReading, "", D, "h,c" },
        { "draining-confirmed", "drained", ShutdownOutput | ReadUntilPeerClosed, "", F, "h,c" },
        { "draining-confirmed", "error", Reset, "ErrorClosed", X, "h,c" },
        { "draining-confirmed", "handler-died", Reset, "Aborted", X, "c" },
        { "draining-confirmed", "register-timeout", None, "", D, "h,c" },
        { "draining-confirmed", "stopped", StoppedReset, "ErrorClosed", X, "h,c" },

        // ConfirmedClose waiting for its writes after the peer's FIN: the drain completes it.
        { "draining-confirmed-peer", "close", StopReading, "", D, "h,c,d" },
        { "draining-confirmed-peer", "close-pending", StopReading, "", D, "h,c,d" },
        { "draining-confirmed-peer", "confirmed", None, "", D, "h,c,d" },
        { "draining-confirmed-peer", "confirmed-pending", None, "", D, "h,c,d" },
        { "draining-confirmed-peer", "abort", Reset, "Aborted", X, "h,c,d" },
        { "draining-confirmed-peer", "peer", None, "", D, "h,c" },
        { "draining-confirmed-peer", "peer-pending", None, "", D, "h,c" },
        { "draining-confirmed-peer", "drained", Graceful, "ConfirmedClosed", X, "h,c" },
        { "draining-confirmed-peer", "error", Reset, "ErrorClosed", X, "h,c" },
        { "draining-confirmed-peer", "handler-died", Reset, "Aborted", X, "c" },
        { "draining-confirmed-peer", "register-timeout", None, "", D, "h,c" },
        { "draining-confirmed-peer", "stopped", StoppedReset, "ErrorClosed", X, "h,c" },

        // Our FIN sent, reading until the peer's.
        { "awaiting-fin", "close", StopReading | Graceful, "Closed", X, "h,c,d" },
        { "awaiting-fin", "close-pending", StopReading | Graceful, "Closed", X, "h,c,d" },
        { "awaiting-fin", "confirmed", None, "", F, "h,c,d" },
        { "awaiting-fin", "confirmed-pending", None, "", F, "h,c,d" },
        { "awaiting-fin", "abort", Reset, "Aborted", X, "h,c,d" },
        { "awaiting-fin", "peer", StopReading | Graceful, "ConfirmedClosed", X, "h,c" },
        { "awaiting-fin", "peer-pending", StopReading | Graceful, "ConfirmedClosed", X, "h,c" },
        { "awaiting-fin", "drained", None, "", F, "h,c" },
        { "awaiting-fin", "error", Reset, "ErrorClosed", X, "h,c" },
        { "awaiting-fin", "handler-died", Reset, "Aborted", X, "c" },
        { "awaiting-fin", "register-timeout", None, "", F, "h,c" },
        { "awaiting-fin", "stopped", StoppedReset, "ErrorClosed", X, "h,c" },

        // Closed is final: nothing more is decided, nobody more is added.
        { "closed", "close", None, "", X, "h,c" },
        { "closed", "close-pending", None, "", X, "h,c" },
        { "closed", "confirmed", None, "", X, "h,c" },
        { "closed", "confirmed-pending", None, "", X, "h,c" },
        { "closed", "abort", None, "", X, "h,c" },
        { "closed", "peer", None, "", X, "h,c" },
        { "closed", "peer-pending", None, "", X, "h,c" },
        { "closed", "drained", None, "", X, "h,c" },
        { "closed", "error", None, "", X, "h,c" },
        { "closed", "handler-died", None, "", X, "h,c" },
        { "closed", "register-timeout", None, "", X, "h,c" },
        { "closed", "stopped", None, "", X, "h,c" },
    };

    [Theory]
    [MemberData(nameof(Table))]
    public void Each_state_answers_each_input_as_the_table_says(string state, string input, object actions, string @event,
        object after, string recipients)
    {
        var machine = new TcpCloseStateMachine<string>();
        s_states[state](machine);
        var decision = s_inputs[input](machine);

        Assert.Equal((TcpCloseActions)actions, decision.Actions);
        Assert.Equal(@event, decision.Event?.GetType().Name ?? "");
        Assert.Equal((TcpCloseState)after, machine.State);
        Assert.Equal(recipients, string.Join(",", machine.Recipients.ToList()));
        Assert.Equal(recipients != "", machine.HasRecipients);
        Assert.Equal((TcpCloseState)after == TcpCloseState.Open, machine.AcceptsWrites);
    }

    [Fact]
    public void The_table_covers_every_state_and_input()
    {
        var rows = Table.Select(r => ((string)r[0], (string)r[1])).ToHashSet();
        foreach (var state in s_states.Keys)
        {
            foreach (var input in s_inputs.Keys) Assert.Contains((state, input), rows);
        }
    }

    [Fact]
    public void Close_then_PeerClosed_then_drain_reports_Closed_not_PeerClosed()
    {
        var machine = Registered();
        machine.OnClose("c", writesPending: true);
        machine.OnPeerClosed(writesPending: true);
        var done = machine.OnWritesDrained();
        Assert.IsType<AkkaTcp.Closed>(done.Event);
        Assert.Equal(["h", "c"], machine.Recipients.ToList());
    }

    [Fact]
    public void PeerClosed_with_keep_open_then_ConfirmedClose_is_confirmed_at_once()
    {
        var machine = Registered(keepOpen: true);
        Assert.True(machine.OnPeerClosed(writesPending: false).Has(NotifyPeerClosed));
        Assert.True(machine.AcceptsWrites);
        Assert.False(machine.MayRead);
        var done = machine.OnConfirmedClose("h", writesPending: false);
        Assert.IsType<AkkaTcp.ConfirmedClosed>(done.Event);
        Assert.False(done.Has(ShutdownOutput));
        Assert.Equal(["h"], machine.Recipients.ToList());
    }

    [Fact]
    public void PeerClosed_then_ConfirmedClose_with_writes_queued_confirms_after_the_drain()
    {
        var machine = Registered(keepOpen: true);
        machine.OnPeerClosed(writesPending: false);
        Assert.Equal(None, machine.OnConfirmedClose("h", writesPending: true).Actions);
        Assert.False(machine.AcceptsWrites);
        Assert.IsType<AkkaTcp.ConfirmedClosed>(machine.OnWritesDrained().Event);
    }

    [Fact]
    public void Abort_during_a_drain_resets_fails_the_writes_and_tells_every_commander_Aborted()
    {
        var machine = Registered();
        machine.OnClose("c", writesPending: true);
        var abort = machine.OnAbort("d");
        Assert.True(abort.Has(ResetSocket) && abort.Has(FailPendingWrites));
        Assert.False(abort.Has(CloseSocket));
        Assert.IsType<AkkaTcp.Aborted>(abort.Event);
        Assert.Equal(["h", "c", "d"], machine.Recipients.ToList());
        Assert.Equal(None, machine.OnWritesDrained().Actions);
    }

    [Fact]
    public void Error_during_ConfirmedClose_tells_handler_and_commander_ErrorClosed_with_the_cause()
    {
        var machine = Registered();
        machine.OnConfirmedClose("c", writesPending: false);
        var error = machine.OnError("Connection reset by peer");
        var closed = Assert.IsType<AkkaTcp.ErrorClosed>(error.Event);
        Assert.Equal("Connection reset by peer", closed.Cause);
        Assert.True(error.Has(ResetSocket));
        Assert.Equal(["h", "c"], machine.Recipients.ToList());
    }

    [Fact]
    public void Two_Closes_from_one_commander_tell_it_once()
    {
        var machine = Registered();
        machine.OnClose("c", writesPending: true);
        machine.OnClose("c", writesPending: true);
        machine.OnWritesDrained();
        Assert.Equal(["h", "c"], machine.Recipients.ToList());
    }

    [Fact]
    public void A_commander_that_is_the_handler_is_told_once()
    {
        var machine = Registered();
        machine.OnClose("h", writesPending: false);
        Assert.Equal(["h"], machine.Recipients.ToList());
    }

    [Fact]
    public void ConfirmedClose_after_Close_does_not_weaken_it()
    {
        var machine = Registered();
        machine.OnClose("c", writesPending: true);
        machine.OnConfirmedClose("d", writesPending: true);
        var done = machine.OnWritesDrained();
        Assert.IsType<AkkaTcp.Closed>(done.Event);
        Assert.False(done.Has(ShutdownOutput));
    }

    [Fact]
    public void Close_during_a_ConfirmedClose_drain_closes_without_waiting_for_the_peer()
    {
        var machine = Registered();
        machine.OnConfirmedClose("c", writesPending: true);
        Assert.True(machine.OnClose("d", writesPending: true).Has(StopReading));
        var done = machine.OnWritesDrained();
        Assert.IsType<AkkaTcp.Closed>(done.Event);
        Assert.True(done.Has(CloseSocket));
    }

    [Fact]
    public void Close_during_a_PeerClosed_drain_reports_Closed_to_both()
    {
        var machine = Registered();
        machine.OnPeerClosed(writesPending: true);
        machine.OnClose("c", writesPending: true);
        Assert.IsType<AkkaTcp.Closed>(machine.OnWritesDrained().Event);
        Assert.Equal(["h", "c"], machine.Recipients.ToList());
    }

    [Fact]
    public void ConfirmedClose_keeps_reading_while_it_drains_and_Close_stops_reading()
    {
        var machine = Registered();
        Assert.False(machine.OnConfirmedClose("c", writesPending: true).Has(StopReading));
        Assert.True(machine.MayRead);
        var other = Registered();
        Assert.True(other.OnClose("c", writesPending: true).Has(StopReading));
    }

    [Fact]
    public void Writes_are_refused_after_any_close_command_or_the_peer_FIN_without_keep_open()
    {
        Assert.True(Registered().AcceptsWrites);
        foreach (var close in new Action<TcpCloseStateMachine<string>>[]
                 {
                     m => m.OnClose("c", true), m => m.OnConfirmedClose("c", true), m => m.OnConfirmedClose("c", false),
                     m => m.OnAbort("c"), m => m.OnPeerClosed(true),
                 })
        {
            var machine = Registered();
            close(machine);
            Assert.False(machine.AcceptsWrites);
        }
    }

    [Fact]
    public void A_second_Register_and_a_Register_after_a_close_are_ignored()
    {
        var machine = new TcpCloseStateMachine<string>();
        Assert.True(machine.OnRegister("h", keepOpenOnPeerClosed: false));
        Assert.False(machine.OnRegister("other", keepOpenOnPeerClosed: true));
        Assert.Equal("h", machine.Handler);

        var closing = new TcpCloseStateMachine<string>();
        closing.OnClose("c", writesPending: true);
        Assert.False(closing.OnRegister("h", keepOpenOnPeerClosed: false));
        Assert.Null(closing.Handler);
        Assert.Equal(["c"], closing.Recipients.ToList());
    }

    [Fact]
    public void Register_timeout_after_a_close_before_Register_is_ignored()
    {
        var machine = new TcpCloseStateMachine<string>();
        machine.OnConfirmedClose("c", writesPending: false);
        Assert.Equal(None, machine.OnRegisterTimeout().Actions);
        Assert.Equal(TcpCloseState.AwaitingPeerFin, machine.State);
    }

    [Fact]
    public void The_handler_dying_after_a_close_command_tells_the_commander_Aborted_and_not_the_handler()
    {
        var machine = Registered();
        machine.OnConfirmedClose("c", writesPending: false);
        var died = machine.OnHandlerTerminated();
        Assert.IsType<AkkaTcp.Aborted>(died.Event);
        Assert.Equal(["c"], machine.Recipients.ToList());
        Assert.Null(machine.Handler);
    }

    [Fact]
    public void OnCommand_maps_each_Akka_close_command()
    {
        Assert.IsType<AkkaTcp.Closed>(Registered().OnCommand(AkkaTcp.Close.Instance, "c", false).Event);
        Assert.IsType<AkkaTcp.Aborted>(Registered().OnCommand(AkkaTcp.Abort.Instance, "c", false).Event);
        var confirmed = Registered();
        Assert.True(confirmed.OnCommand(AkkaTcp.ConfirmedClose.Instance, "c", false).Has(ShutdownOutput));
        Assert.IsType<AkkaTcp.ConfirmedClosed>(confirmed.OnPeerClosed(false).Event);
    }

    private static TcpCloseStateMachine<string> Registered(bool keepOpen = false)
    {
        var machine = new TcpCloseStateMachine<string>();
        machine.OnRegister("h", keepOpen);
        return machine;
    }
}
