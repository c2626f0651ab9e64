using Epsilon.Actors.Http.Http2;
using Epsilon.Actors.Http.Http2.Frames;
using Epsilon.Actors.Http.Http2.Priority;
using Epsilon.Actors.Http.Settings;
using Xunit;

namespace Epsilon.Actors.Tests.Http.Http2;

[Trait("Category", "Unit")]
public sealed class Http2ConnectionStateMachineTests
{
    private static readonly TimeSpan T0 = TimeSpan.FromSeconds(1);

    private static Http2ConnectionStateMachine Machine(Http2ServerSettings? limits = null) => new(limits ?? new Http2ServerSettings());

    private static Http2Exception ConnectionError(Action action, Http2ErrorCode code)
    {
        var e = Assert.Throws<Http2Exception>(action);
        Assert.True(e.IsConnectionError, e.Message);
        Assert.Equal(code, e.Code);
        return e;
    }

    private static void StreamError(Action action, int streamId, Http2ErrorCode code)
    {
        var e = Assert.Throws<Http2Exception>(action);
        Assert.Equal(streamId, e.StreamId);
        Assert.Equal(code, e.Code);
    }

    private static Http2HeadersDecision Request(Http2ConnectionStateMachine m, int id, bool endStream = true) => m.OnHeaders(id, endStream, true, null, T0);

    // ---- stream states (§5.1) ----

    [Fact]
    public void A_request_without_body_is_half_closed_remote_and_closes_when_the_response_ends()
    {
        var m = Machine();
        Assert.Equal(new Http2HeadersDecision(Http2HeadersAction.Request), Request(m, 1));
        Assert.Equal(Http2StreamState.HalfClosedRemote, m.StateOf(1));
        m.OnHeadersSent(1, endStream: false);
        m.OnDataSent(1, 10, endStream: true);
        Assert.Null(m.StateOf(1));
        Assert.Equal(0, m.ActiveStreams);
    }

    [Fact]
    public void A_request_with_a_body_stays_open_until_its_end_stream_and_the_response_may_end_first()
    {
        var m = Machine();
        Request(m, 1, endStream: false);
        Assert.Equal(Http2StreamState.Open, m.StateOf(1));
        m.OnHeadersSent(1, endStream: true);
        Assert.Equal(Http2StreamState.HalfClosedLocal, m.StateOf(1));
        var data = m.OnData(1, true, 5, 5, T0);
        Assert.True(data.Deliver);
        Assert.True(data.EndOfRequestBody);
        Assert.Null(m.StateOf(1));
    }

    [Fact]
    public void Trailers_end_the_request_body_and_must_carry_end_stream()
    {
        var m = Machine();
        Request(m, 1, endStream: false);
        m.OnData(1, false, 3, 3, T0);
        Assert.Equal(Http2HeadersAction.Trailers, m.OnHeaders(1, true, true, null, T0).Action);
        Assert.Equal(Http2StreamState.HalfClosedRemote, m.StateOf(1));

        Request(m, 3, endStream: false);
        Assert.Equal(new Http2HeadersDecision(Http2HeadersAction.Discard, Http2ErrorCode.ProtocolError), m.OnHeaders(3, false, true, null, T0));
        Assert.Null(m.StateOf(3));
    }

    [Fact]
    public void Frames_on_a_half_closed_remote_stream_are_STREAM_CLOSED_stream_errors()
    {
        var m = Machine();
        Request(m, 1);
        var data = m.OnData(1, false, 4, 4, T0);
        Assert.False(data.Deliver);
        Assert.Equal(Http2ErrorCode.StreamClosed, data.ResetCode);
        // The dropped octets are owed back to the connection, announced once half its window is owed.
        Assert.Equal(0, data.ConnectionCredit);
        Request(m, 3);
        Assert.Equal(new Http2HeadersDecision(Http2HeadersAction.Discard, Http2ErrorCode.StreamClosed), m.OnHeaders(3, true, true, null, T0));
    }

    [Fact]
    public void Late_frames_after_this_side_reset_a_stream_are_ignored()
    {
        var m = Machine();
        Request(m, 1, endStream: false);
        m.OnResetSent(1);
        var data = m.OnData(1, false, 100, 100, T0);
        Assert.False(data.Deliver);
        Assert.Null(data.ResetCode);
        Assert.Equal(new Http2HeadersDecision(Http2HeadersAction.Discard), m.OnHeaders(1, true, true, null, T0));
        m.OnWindowUpdate(1, 10, T0);
    }

    [Fact]
    public void Frames_after_the_peer_reset_a_stream_are_STREAM_CLOSED_stream_errors()
    {
        var m = Machine();
        Request(m, 1, endStream: false);
        Assert.True(m.OnRstStream(1, T0));
        Assert.Equal(Http2ErrorCode.StreamClosed, m.OnData(1, false, 1, 1, T0).ResetCode);
    }

    [Fact]
    public void Frames_after_both_sides_ended_a_stream_are_STREAM_CLOSED_connection_errors()
    {
        var m = Machine();
        Request(m, 1);
        m.OnHeadersSent(1, endStream: true);
        ConnectionError(() => m.OnData(1, false, 1, 1, T0), Http2ErrorCode.StreamClosed);
        var again = Machine();
        Request(again, 1);
        again.OnHeadersSent(1, endStream: true);
        ConnectionError(() => again.OnHeaders(1, true, true, null, T0), Http2ErrorCode.StreamClosed);
    }

    // ---- stream ids (§5.1.1) ----

    [Fact]
    public void Even_and_decreasing_stream_ids_are_protocol_errors()
    {
        ConnectionError(() => Request(Machine(), 2), Http2ErrorCode.ProtocolError);
        var m = Machine();
        Request(m, 5);
        ConnectionError(() => Request(m, 3), Http2ErrorCode.ProtocolError);
    }

    [Fact]
    public void Frames_on_idle_streams_are_protocol_errors()
    {
        var m = Machine();
        ConnectionError(() => m.OnData(1, false, 1, 1, T0), Http2ErrorCode.ProtocolError);
        ConnectionError(() => m.OnRstStream(1, T0), Http2ErrorCode.ProtocolError);
        ConnectionError(() => m.OnWindowUpdate(1, 1, T0), Http2ErrorCode.ProtocolError);
        ConnectionError(() => m.OnContinuation(1, true), Http2ErrorCode.ProtocolError);
        // PRIORITY on an idle stream is allowed and opens nothing.
        m.OnPriority(1, new Http2Priority(0, false, 16), T0);
        Assert.Equal(Http2HeadersAction.Request, Request(m, 1).Action);
    }

    [Fact]
    public void Self_dependency_is_a_stream_error()
    {
        var m = Machine();
        StreamError(() => m.OnPriority(3, new Http2Priority(3, false, 16), T0), 3, Http2ErrorCode.ProtocolError);
        Assert.Equal(new Http2HeadersDecision(Http2HeadersAction.Discard, Http2ErrorCode.ProtocolError), m.OnHeaders(5, true, true, new Http2Priority(5, false, 16), T0));
    }

    // ---- concurrency (§5.1.2) and GOAWAY (§6.8) ----

    [Fact]
    public void Streams_over_the_concurrency_limit_are_refused_and_their_frames_ignored()
    {
        var m = Machine(new Http2ServerSettings { MaxConcurrentStreams = 2 });
        Request(m, 1, endStream: false);
        Request(m, 3, endStream: false);
        Assert.Equal(new Http2HeadersDecision(Http2HeadersAction.Discard, Http2ErrorCode.RefusedStream), Request(m, 5, endStream: false));
        Assert.False(m.OnData(5, true, 10, 10, T0).Deliver);
        m.OnRstStream(1, T0);
        Assert.Equal(Http2HeadersAction.Request, Request(m, 7).Action);
    }

    [Fact]
    public void After_goaway_new_streams_above_its_last_id_are_ignored_and_earlier_ones_finish()
    {
        var m = Machine();
        Request(m, 1, endStream: false);
        Assert.Equal(1, m.BeginShutdown());
        Assert.Equal(new Http2HeadersDecision(Http2HeadersAction.Discard), Request(m, 3));
        Assert.True(m.OnData(1, true, 5, 5, T0).Deliver);
        Assert.Equal(1, m.BeginShutdown());
    }

    // ---- header blocks (§6.10) ----

    [Fact]
    public void Continuation_must_follow_its_header_block_without_any_other_frame()
    {
        var m = Machine();
        m.OnHeaders(1, true, false, null, T0);
        m.OnContinuation(1, false);
        ConnectionError(() => m.OnPing(T0), Http2ErrorCode.ProtocolError);

        var other = Machine();
        other.OnHeaders(1, true, false, null, T0);
        ConnectionError(() => other.OnContinuation(3, true), Http2ErrorCode.ProtocolError);

        var unknown = Machine();
        unknown.OnHeaders(1, true, false, null, T0);
        ConnectionError(() => unknown.OnOtherFrame("type 0xfa"), Http2ErrorCode.ProtocolError);

        var ok = Machine();
        ok.OnHeaders(1, true, false, null, T0);
        ok.OnContinuation(1, true);
        ok.OnPing(T0);
    }

    [Fact]
    public void A_continuation_flood_is_enhance_your_calm()
    {
        var m = Machine(new Http2ServerSettings { MaxHeaderBlockFrames = 4 });
        m.OnHeaders(1, true, false, null, T0);
        m.OnContinuation(1, false);
        m.OnContinuation(1, false);
        m.OnContinuation(1, false);
        ConnectionError(() => m.OnContinuation(1, false), Http2ErrorCode.EnhanceYourCalm);
    }

    // ---- flow control (§6.9) ----

    [Fact]
    public void Inbound_data_past_the_connection_window_is_a_connection_error_and_past_a_stream_window_a_stream_error()
    {
        var m = Machine(new Http2ServerSettings { InitialConnectionWindowSize = 100000, InitialStreamWindowSize = 60000 });
        Request(m, 1, endStream: false);
        Request(m, 3, endStream: false);
        var over = m.OnData(1, false, 60001, 60001, T0);
        Assert.Equal(Http2ErrorCode.FlowControlError, over.ResetCode);
        Assert.Null(m.StateOf(1));
        // The dropped octets go back to the connection at once here (over half its window owed).
        Assert.Equal(60001, over.ConnectionCredit);
        Assert.True(m.OnData(3, false, 60000, 60000, T0).Deliver);
        ConnectionError(() => m.OnData(3, false, 40001, 40001, T0), Http2ErrorCode.FlowControlError);
    }

    [Fact]
    public void Credit_returns_as_the_application_consumes_and_padding_at_once()
    {
        var m = Machine(new Http2ServerSettings { InitialConnectionWindowSize = 65535, InitialStreamWindowSize = 1024 });
        Request(m, 1, endStream: false);
        var padded = m.OnData(1, false, 700, 100, T0);
        Assert.Equal(0, padded.ConnectionCredit);
        Assert.Equal(600, padded.StreamCredit);
        Assert.Equal((0, 0), m.OnConsumed(1, 9));
        Assert.Equal((0, 512), m.OnConsumed(1, 503));
    }

    [Fact]
    public void Outbound_data_is_bounded_by_both_windows_and_the_peer_frame_size()
    {
        var m = Machine();
        Request(m, 1);
        Assert.Equal(16384, m.SendableOn(1, 100000));
        m.OnSetting(Http2SettingId.MaxFrameSize, 1 << 20);
        Assert.Equal(65535, m.SendableOn(1, 100000));
        m.OnDataSent(1, 65535, endStream: false);
        Assert.Equal(0, m.SendableOn(1, 1));
        m.OnWindowUpdate(1, 1000, T0);
        Assert.Equal(0, m.SendableOn(1, 1000));
        m.OnWindowUpdate(0, 500, T0);
        Assert.Equal(500, m.SendableOn(1, 1000));
    }

    [Fact]
    public void Window_updates_past_2_to_the_31_minus_1_are_flow_control_errors()
    {
        var m = Machine();
        Request(m, 1);
        m.OnWindowUpdate(0, int.MaxValue - 65535, T0);
        ConnectionError(() => m.OnWindowUpdate(0, 1, T0), Http2ErrorCode.FlowControlError);
        var s = Machine();
        Request(s, 1);
        s.OnWindowUpdate(1, int.MaxValue - 65535, T0);
        StreamError(() => s.OnWindowUpdate(1, 1, T0), 1, Http2ErrorCode.FlowControlError);
        Assert.Null(s.StateOf(1));
    }

    [Fact]
    public void A_new_initial_window_size_moves_open_streams_and_may_not_overflow_them()
    {
        var m = Machine();
        Request(m, 1);
        m.OnDataSent(1, 60000, endStream: false);
        m.OnSetting(Http2SettingId.InitialWindowSize, 1000);
        Assert.Equal(0, m.SendableOn(1, 10));
        m.OnSetting(Http2SettingId.InitialWindowSize, 59100);
        Assert.Equal(0, m.SendableOn(1, 1000));
        // 5,535 left - 64,535 + 58,100 + 1,000 = 100.
        m.OnSetting(Http2SettingId.InitialWindowSize, 60100);
        Assert.Equal(100, m.SendableOn(1, 1000));
        Request(m, 3);
        m.OnWindowUpdate(3, int.MaxValue - 60100, T0);
        ConnectionError(() => m.OnSetting(Http2SettingId.InitialWindowSize, 60101), Http2ErrorCode.FlowControlError);
    }

    // ---- content length (§8.1.1) ----

    [Fact]
    public void Data_that_disagrees_with_content_length_is_a_stream_protocol_error()
    {
        var m = Machine();
        Request(m, 1, endStream: false);
        m.SetDeclaredContentLength(1, 5);
        Assert.Equal(Http2ErrorCode.ProtocolError, m.OnData(1, false, 6, 6, T0).ResetCode);
        Request(m, 3, endStream: false);
        m.SetDeclaredContentLength(3, 5);
        Assert.Equal(Http2ErrorCode.ProtocolError, m.OnData(3, true, 4, 4, T0).ResetCode);
        Request(m, 5, endStream: false);
        m.SetDeclaredContentLength(5, 5);
        m.OnData(5, false, 4, 4, T0);
        Assert.Equal(Http2ErrorCode.ProtocolError, m.OnHeaders(5, true, true, null, T0).ResetCode);
    }

    // ---- floods (CVE-2023-44487 and friends) ----

    [Fact]
    public void Rapid_reset_exhausts_the_reset_budget_and_refills_with_time()
    {
        var m = Machine(new Http2ServerSettings { ResetBudget = 10, FloodPeriod = TimeSpan.FromSeconds(1) });
        var id = 1;
        for (var i = 0; i < 10; i++, id += 2)
        {
            Request(m, id, endStream: false);
            m.OnRstStream(id, T0);
        }

        Request(m, id, endStream: false);
        ConnectionError(() => m.OnRstStream(id, T0), Http2ErrorCode.EnhanceYourCalm);

        var later = Machine(new Http2ServerSettings { ResetBudget = 10, FloodPeriod = TimeSpan.FromSeconds(1) });
        for (var i = 0; i < 100; i++)
        {
            Request(later, 2 * i + 1, endStream: false);
            later.OnRstStream(2 * i + 1, T0 + TimeSpan.FromMilliseconds(100 * i));
        }
    }

    [Fact]
    public void Resets_the_peer_provokes_count_against_the_same_budget()
    {
        var m = Machine(new Http2ServerSettings { ResetBudget = 3 });
        for (var id = 1; id <= 5; id += 2)
        {
            Request(m, id);
            m.OnData(id, false, 1, 1, T0);
        }

        Request(m, 7);
        ConnectionError(() => m.OnData(7, false, 1, 1, T0), Http2ErrorCode.EnhanceYourCalm);
    }

    [Fact]
    public void Control_frame_floods_are_enhance_your_calm()
    {
        foreach (var flood in new Action<Http2ConnectionStateMachine>[]
        {
            m => m.OnPing(T0),
            m => m.OnSettingsStart(T0),
            m => m.OnWindowUpdate(0, 1, T0),
            m => m.OnPriority(9, new Http2Priority(0, false, 16), T0),
            m => m.OnPriorityUpdate(9, "u=1"u8, T0),
        })
        {
            var m = Machine(new Http2ServerSettings { ControlFrameBudget = 50 });
            for (var i = 0; i < 50; i++) flood(m);
            ConnectionError(() => flood(m), Http2ErrorCode.EnhanceYourCalm);
        }

        var empty = Machine(new Http2ServerSettings { ControlFrameBudget = 5 });
        Request(empty, 1, endStream: false);
        for (var i = 0; i < 5; i++) empty.OnData(1, false, 0, 0, T0);
        ConnectionError(() => empty.OnData(1, false, 0, 0, T0), Http2ErrorCode.EnhanceYourCalm);
    }

    // ---- priorities (RFC 9218) and push (§8.4) ----

    [Fact]
    public void Priority_updates_apply_to_open_streams_and_to_streams_not_yet_opened()
    {
        var m = Machine();
        Request(m, 1, endStream: false);
        Assert.Equal(new Http2StreamPriority(1, true), m.OnPriorityUpdate(1, "u=1, i"u8, T0));
        Assert.Null(m.OnPriorityUpdate(3, "u=6"u8, T0));
        Request(m, 3);
        Assert.Equal(new Http2StreamPriority(6, false), m.PriorityOf(3));
        ConnectionError(() => m.OnPriorityUpdate(2, "u=1"u8, T0), Http2ErrorCode.ProtocolError);
    }

    [Fact]
    public void Push_reserves_even_streams_within_the_peers_limits()
    {
        var m = Machine();
        Request(m, 1);
        Assert.Equal(2, m.ReservePush(1));
        Assert.Equal(Http2StreamState.ReservedLocal, m.StateOf(2));
        m.OnHeadersSent(2, endStream: false);
        Assert.Equal(Http2StreamState.HalfClosedRemote, m.StateOf(2));
        m.OnDataSent(2, 10, endStream: true);
        Assert.Null(m.StateOf(2));

        m.OnSetting(Http2SettingId.MaxConcurrentStreams, 1);
        Assert.Equal(4, m.ReservePush(1));
        Assert.Equal(0, m.ReservePush(1));
        m.OnSetting(Http2SettingId.EnablePush, 0);
        m.OnResetSent(4);
        Assert.Equal(0, m.ReservePush(1));
        ConnectionError(() => m.OnOtherFrame("PUSH_PROMISE", isPushPromise: true), Http2ErrorCode.ProtocolError);
        ConnectionError(() => m.OnData(6, false, 1, 1, T0), Http2ErrorCode.ProtocolError);
    }

    [Fact]
    public void No_push_after_the_peer_goes_away()
    {
        var m = Machine();
        Request(m, 1);
        m.OnGoAway(0);
        Assert.Equal(0, m.ReservePush(1));
    }
}
